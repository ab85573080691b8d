package policies

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
)

// strictDecoder decodes built-in kinds, reporting unknown and duplicate fields.
var strictDecoder = serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()

// schemaErrors checks a built-in object against its Go type the way the API
// server's strict field validation does. Kinds the client-go scheme does
// not know (CRDs, typos in apiVersion) are not checked here. Objects the
// cheap walk of decodesCleanly vouches for skip the strict decode.
func schemaErrors(obj map[string]any) []any {
	gvk, ok := builtinKind(obj)
	if !ok {
		return []any{}
	}
	if t := goType(gvk); t != nil && decodesCleanly(obj, t) {
		return []any{}
	}
	return strictDecodeErrors(obj)
}

// builtinKind returns the group, version and kind of obj when the client-go
// scheme knows them.
func builtinKind(obj map[string]any) (schema.GroupVersionKind, bool) {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil || kind == "" || !scheme.Scheme.Recognizes(gv.WithKind(kind)) {
		return schema.GroupVersionKind{}, false
	}
	return gv.WithKind(kind), true
}

// strictDecodeErrors decodes obj's JSON strictly into its Go type and
// turns every unknown field and wrong type into a schema error.
func strictDecodeErrors(obj map[string]any) []any {
	raw, err := json.Marshal(obj)
	if err != nil {
		return []any{schemaError(nil, err.Error())}
	}
	_, _, err = strictDecoder.Decode(raw, nil, nil)
	if err == nil {
		return []any{}
	}
	if strict, ok := runtime.AsStrictDecodingError(err); ok {
		out := make([]any, 0, len(strict.Errors()))
		for _, e := range strict.Errors() {
			out = append(out, strictFieldError(e.Error()))
		}
		return out
	}
	return []any{typeError(err.Error())}
}

// goTypes caches the struct type of each recognized kind.
var goTypes sync.Map // schema.GroupVersionKind -> reflect.Type

// goType returns the struct type the scheme decodes gvk into, or nil.
func goType(gvk schema.GroupVersionKind) reflect.Type {
	if t, ok := goTypes.Load(gvk); ok {
		return t.(reflect.Type)
	}
	obj, err := scheme.Scheme.New(gvk)
	if err != nil {
		return nil
	}
	t := reflect.TypeOf(obj)
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	goTypes.Store(gvk, t.Elem())
	return t.Elem()
}

func schemaError(path []any, msg string) map[string]any {
	if path == nil {
		path = []any{}
	}
	return map[string]any{"path": path, "message": msg}
}

var quotedField = regexp.MustCompile(`field "([^"]+)"`)

// strictFieldError turns `unknown field "spec.template.spec.containers[0].livenesProbe"`
// into a path and a message.
func strictFieldError(msg string) map[string]any {
	m := quotedField.FindStringSubmatch(msg)
	if m == nil {
		return schemaError(nil, msg)
	}
	return schemaError(parseFieldPath(m[1]), msg)
}

var unmarshalType = regexp.MustCompile(`cannot unmarshal (\S+) into Go struct field \S+? of type (\S+)`)
var goStructField = regexp.MustCompile(`Go struct field [A-Za-z0-9_]+\.(\S+) of type`)

// typeError turns json's "cannot unmarshal string into Go struct field
// Deployment.spec.replicas of type int32" into a path and a short message.
func typeError(msg string) map[string]any {
	field := goStructField.FindStringSubmatch(msg)
	types := unmarshalType.FindStringSubmatch(msg)
	if field == nil || types == nil {
		return schemaError(nil, msg)
	}
	return schemaError(parseFieldPath(field[1]),
		"wrong type for field \""+field[1]+"\": got "+types[1]+", want "+types[2])
}

// parseFieldPath splits a.b[0].c into keys and indices. Go's type errors
// omit indices, so their paths stop at the first list (the caller's source
// lookup then points at the closest field it finds).
func parseFieldPath(s string) []any {
	var path []any
	for _, part := range strings.Split(s, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			path = append(path, name)
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			if n, err := strconv.Atoi(idx); err == nil {
				path = append(path, n)
			}
			rest = strings.TrimPrefix(after, "[")
		}
	}
	if path == nil {
		return []any{}
	}
	return path
}

package apivalidation

import (
	"encoding/json"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
)

// strictJSON is the API server's JSON decoding with field validation
// Strict (kubectl's default): case-sensitive, integers kept, unknown and
// duplicate fields reported after the object is decoded.
var strictJSON = kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, legacyscheme.Scheme, legacyscheme.Scheme,
	kjson.SerializerOptions{Strict: true})

// maxDecodeErrors bounds the values one object may have rejected while
// decoding; each costs a few decodes to locate.
const maxDecodeErrors = 50

// decode decodes obj into its versioned Go type as the API server does.
// The server stops at the first value its decoder rejects and names no
// field for most (a malformed quantity says only which pattern it wants);
// decode instead finds the rejected value by decoding parts of the object,
// reports it at its field path, drops it and decodes again, so every
// rejected value and then every unknown field is reported. The returned
// object lacks the dropped values; it is nil when decoding failed beyond
// a value.
func decode(obj map[string]any, gvk schema.GroupVersionKind) (runtime.Object, []decodeError) {
	// Most objects decode at the first try: only a rejected value needs the
	// copy that values are dropped from.
	out, err := decodeOnce(obj, gvk)
	if err == nil {
		return out, nil
	}
	data := deepCopy(obj)
	var errs []decodeError
	for range maxDecodeErrors {
		if err == nil {
			return out, errs
		}
		if strict, ok := runtime.AsStrictDecodingError(err); ok {
			for _, e := range strict.Errors() {
				errs = append(errs, strictError(e))
			}
			return out, errs
		}
		path, ok := locate(data, gvk, err.Error())
		if !ok || len(path) == 0 {
			return nil, append(errs, decodeError{message: err.Error()})
		}
		value, _ := valueAt(data, path)
		errs = append(errs, decodeError{path: path, value: value, err: err})
		remove(data, path)
		out, err = decodeOnce(data, gvk)
	}
	return nil, errs
}

// decodeError is a value the decoder rejected (err set) or an unknown or
// duplicate field (message set).
type decodeError struct {
	path    []any
	value   any
	err     error
	message string
}

func decodeOnce(data map[string]any, gvk schema.GroupVersionKind) (runtime.Object, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	into, err := legacyscheme.Scheme.New(gvk)
	if err != nil {
		return nil, err
	}
	out, _, err := strictJSON.Decode(raw, &gvk, into)
	return out, err
}

// locate finds the value behind a decoding error: the smallest part of
// data that, decoded with only the fields leading to it, fails with the
// same message.
func locate(data map[string]any, gvk schema.GroupVersionKind, msg string) ([]any, bool) {
	var path []any
	for {
		node, _ := valueAt(data, path)
		keys := childKeys(node)
		if len(keys) == 0 || failsWith(isolate(data, path, nil), gvk, msg) {
			return path, len(path) > 0 // a scalar, or the whole container is the wrong type
		}
		found := false
		for _, k := range keys {
			if isTypeField(path, k) {
				continue
			}
			if failsWith(isolate(data, path, k), gvk, msg) {
				path = append(path, k)
				found = true
				break
			}
		}
		if !found {
			return path, len(path) > 0
		}
	}
}

// isTypeField: apiVersion and kind are kept in every trial decode.
func isTypeField(path []any, k any) bool {
	return len(path) == 0 && (k == "apiVersion" || k == "kind")
}

func failsWith(data map[string]any, gvk schema.GroupVersionKind, msg string) bool {
	_, err := decodeOnce(data, gvk)
	if err == nil {
		return false
	}
	if _, strict := runtime.AsStrictDecodingError(err); strict {
		return false
	}
	return err.Error() == msg
}

// isolate copies data keeping, along path, only the ancestors of path and
// at path only the child keep (no child when keep is nil). Other list
// items become null, which decodes to a zero value.
func isolate(data map[string]any, path []any, keep any) map[string]any {
	var prune func(node any, depth int) any
	prune = func(node any, depth int) any {
		var want any
		if depth < len(path) {
			want = path[depth]
		} else {
			want = keep
		}
		child := func(v any) any {
			if depth < len(path) {
				return prune(v, depth+1)
			}
			return v
		}
		switch n := node.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, v := range n {
				if k == want {
					out[k] = child(v)
				} else if depth == 0 && (k == "apiVersion" || k == "kind") {
					out[k] = v
				}
			}
			return out
		case []any:
			out := make([]any, len(n))
			for i, v := range n {
				if i == want {
					out[i] = child(v)
				}
			}
			return out
		}
		return node
	}
	return prune(data, 0).(map[string]any)
}

func childKeys(node any) []any {
	var keys []any
	switch n := node.(type) {
	case map[string]any:
		for k := range n {
			keys = append(keys, k)
		}
		sortKeys(keys)
	case []any:
		for i := range n {
			keys = append(keys, i)
		}
	}
	return keys
}

func valueAt(data any, path []any) (any, bool) {
	cur := data
	for _, p := range path {
		switch n := cur.(type) {
		case map[string]any:
			k, _ := p.(string)
			v, ok := n[k]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, ok := p.(int)
			if !ok || i < 0 || i >= len(n) {
				return nil, false
			}
			cur = n[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// remove deletes a map entry or nulls a list item.
func remove(data map[string]any, path []any) {
	parent, ok := valueAt(data, path[:len(path)-1])
	if !ok {
		return
	}
	switch n := parent.(type) {
	case map[string]any:
		k, _ := path[len(path)-1].(string)
		delete(n, k)
	case []any:
		if i, ok := path[len(path)-1].(int); ok && i >= 0 && i < len(n) {
			n[i] = nil
		}
	}
}

func deepCopy(v map[string]any) map[string]any {
	return runtime.DeepCopyJSONValue(normalize(v)).(map[string]any)
}

// normalize turns the int64/float64/int scalars of decoded manifests into
// the shapes runtime.DeepCopyJSONValue accepts.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case int:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

var quotedField = regexp.MustCompile(`field "([^"]+)"`)

// strictError keeps the decoder's own words (`unknown field
// "spec.template.spec.containers[0].livenesProbe"`) and reads the path.
func strictError(err error) decodeError {
	msg := err.Error()
	e := decodeError{message: msg}
	if m := quotedField.FindStringSubmatch(msg); m != nil {
		e.path = ParsePath(m[1])
	}
	return e
}

var goType = regexp.MustCompile(`cannot unmarshal (\w+) into Go (?:struct field \S+|value) of type (\S+)`)

// fieldError words a rejected value as the API server's validation words
// its errors: the path, "Invalid value", the value when it is a scalar
// and not secret, and what the field wants, in JSON's terms rather than
// Go's.
func (e decodeError) fieldError(redact bool) *field.Error {
	path := FieldPath(e.path)
	detail := e.err.Error()
	if m := goType.FindStringSubmatch(detail); m != nil {
		detail = "must be " + jsonType(m[2])
	}
	var value any = field.OmitValueType{}
	switch e.value.(type) {
	case string, int64, float64, bool:
		if !redact {
			value = e.value
		}
	}
	return field.Invalid(path, value, detail)
}

// jsonType names a Go type by the JSON values it takes.
func jsonType(goType string) string {
	t := strings.TrimLeft(goType, "*")
	switch {
	case t == "string", t == "[]uint8", t == "[]byte":
		return "a string"
	case t == "bool":
		return "a boolean"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "intstr.IntOrString":
		return "an integer or a string"
	case t == "resource.Quantity":
		return "a quantity (a string or a number)"
	}
	return "an object"
}

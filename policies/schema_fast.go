package policies

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"sync"
)

// The strict decode of schemaErrors (JSON round trip into the Go type)
// costs more than evaluating most objects. decodesCleanly walks the object
// against the Go type instead and vouches only for what it is sure
// encoding/json's strict, case-sensitive decoding accepts: known field
// names, matching JSON kinds, integers in range, and values of types with
// their own UnmarshalJSON (Quantity, IntOrString, Time) that their
// decoder accepts. Anything else, and every problem, goes to the strict
// decode, which then writes the messages. A false answer is never wrong;
// a true answer must mean the strict decode reports nothing.

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonNumber      = reflect.TypeFor[json.Number]()
)

// decodesCleanly reports whether v decodes into a value of type t (a
// struct type) without any error or unknown field.
func decodesCleanly(v any, t reflect.Type) bool {
	return fits(v, t)
}

// typeInfo is what fits needs to know about a type, computed once.
type typeInfo struct {
	// unmarshaler: the type has its own UnmarshalJSON.
	unmarshaler bool
	// opaque: decoded in ways not modelled (UnmarshalText, json.Number,
	// structs with conflicting or ",string" fields).
	opaque bool
	// fields are a struct's JSON field names and types.
	fields map[string]reflect.Type
}

var typeInfos sync.Map // reflect.Type -> *typeInfo

func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{}
	ptr := reflect.PointerTo(t)
	switch {
	case ptr.Implements(jsonUnmarshaler):
		ti.unmarshaler = true
	case ptr.Implements(textUnmarshaler), t == jsonNumber:
		ti.opaque = true
	case t.Kind() == reflect.Struct:
		ti.fields = map[string]reflect.Type{}
		ti.opaque = !collectFields(t, ti.fields, map[reflect.Type]bool{})
	case t.Kind() == reflect.Map:
		key := t.Key()
		ti.opaque = key.Kind() != reflect.String || reflect.PointerTo(key).Implements(textUnmarshaler)
	}
	typeInfos.Store(t, ti)
	return ti
}

func fits(v any, t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		if v == nil {
			return true // a null pointer is set to nil, no unmarshaler runs
		}
		return fits(v, t.Elem())
	}
	ti := infoOf(t)
	switch {
	case ti.unmarshaler:
		return unmarshals(v, t)
	case ti.opaque:
		return false
	case v == nil:
		return true // null leaves other values untouched, without error
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		return ok && fitsStruct(m, ti.fields)
	case reflect.Map:
		return fitsMap(v, t)
	case reflect.Slice:
		return fitsSlice(v, t)
	case reflect.Interface:
		return t.NumMethod() == 0 && plainJSON(v)
	case reflect.String:
		_, ok := v.(string)
		return ok
	case reflect.Bool:
		_, ok := v.(bool)
		return ok
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := integer(v)
		return ok && !reflect.Zero(t).OverflowInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := integer(v)
		return ok && n >= 0 && !reflect.Zero(t).OverflowUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		f, ok := number(v)
		return ok && !reflect.Zero(t).OverflowFloat(f)
	}
	return false
}

func fitsStruct(m map[string]any, fields map[string]reflect.Type) bool {
	for k, val := range m {
		ft, known := fields[k]
		if !known || !fits(val, ft) {
			return false
		}
	}
	return true
}

func fitsMap(v any, t reflect.Type) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for _, val := range m {
		if !fits(val, t.Elem()) {
			return false
		}
	}
	return true
}

func fitsSlice(v any, t reflect.Type) bool {
	s, ok := v.([]any)
	if !ok || t.Elem().Kind() == reflect.Uint8 { // []byte is base64 text
		return false
	}
	for _, val := range s {
		if !fits(val, t.Elem()) {
			return false
		}
	}
	return true
}

// unmarshals runs the type's own UnmarshalJSON on v's JSON, as the strict
// decode would.
func unmarshals(v any, t reflect.Type) bool {
	if !plainJSON(v) {
		return false
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return false
	}
	return reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(raw) == nil
}

// plainJSON reports whether v holds only the types decoded manifests are
// made of, which json.Marshal writes without error.
func plainJSON(v any) bool {
	switch x := v.(type) {
	case nil, string, bool, int, int64:
		return true
	case float64:
		return !math.IsInf(x, 0) && !math.IsNaN(x)
	case map[string]any:
		for _, e := range x {
			if !plainJSON(e) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range x {
			if !plainJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}

func integer(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

func number(v any) (float64, bool) {
	if n, ok := integer(v); ok {
		return float64(n), true
	}
	f, ok := v.(float64)
	return f, ok && !math.IsInf(f, 0) && !math.IsNaN(f)
}

// collectFields adds the JSON names of t's fields the way encoding/json
// resolves them (tags, embedded structs promoted). It returns false for
// what it does not model: name conflicts (json's dominance rules),
// embedded pointers or non-structs, and ",string" fields.
func collectFields(t reflect.Type, into map[string]reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",string,") {
			return false
		}
		if sf.Anonymous && name == "" {
			if sf.Type.Kind() != reflect.Struct {
				return false // embedded pointers and non-structs: not modelled
			}
			if !collectFields(sf.Type, into, seen) {
				return false
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if _, dup := into[name]; dup {
			return false // encoding/json's dominance rules: not modelled
		}
		into[name] = sf.Type
	}
	return true
}

package source

import (
	"fmt"
	"math"
	"strconv"

	yamlv2 "go.yaml.in/yaml/v2"
	"go.yaml.in/yaml/v3"
)

// kubectl converts YAML to JSON with sigs.k8s.io/yaml, which resolves
// plain scalars with go-yaml v2, that is with YAML 1.1's rules: `on`, `yes`
// and `y` are booleans there (strings in YAML 1.2, which go-yaml v3
// follows). Lint keeps go-yaml v3's node tree for positions and resolves
// each plain scalar the way go-yaml v2 does, by asking go-yaml v2.

// resolver resolves plain scalars as go-yaml v2 does, caching per input:
// keys and values repeat a lot within a file.
type resolver struct {
	cache map[string]any
}

// errNotJSON marks scalars JSON cannot carry (.inf, .nan).
type errNotJSON string

func (e errNotJSON) Error() string { return string(e) }

// scalar returns the JSON-compatible value of a scalar node: string, bool,
// int64, float64 or nil.
func (r *resolver) scalar(n *yaml.Node) (any, error) {
	if n.Style&(yaml.TaggedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return tagged(n)
	}
	if !mayResolve(n.Value) {
		return n.Value, nil
	}
	if v, ok := r.cache[n.Value]; ok {
		return v, nil
	}
	v, err := resolveV2(n.Value)
	if err != nil {
		return nil, err
	}
	if r.cache == nil {
		r.cache = map[string]any{}
	}
	r.cache[n.Value] = v
	return v, nil
}

// mayResolve reports whether go-yaml v2 could resolve s to anything but a
// string: its resolver only looks further at values whose first byte is a
// sign, a digit, '.', '~' or one of "yYnNtTfFoO" (booleans and null, at
// most five letters long: "false"). The empty plain scalar is null.
func mayResolve(s string) bool {
	if s == "" {
		return true
	}
	switch c := s[0]; {
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return true
	case c == '~' || c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == 't' || c == 'T' ||
		c == 'f' || c == 'F' || c == 'o' || c == 'O':
		return len(s) <= 5
	}
	return false
}

// resolveV2 decodes the plain scalar text s with go-yaml v2.
func resolveV2(s string) (any, error) {
	var v any
	if err := yamlv2.Unmarshal([]byte(s), &v); err != nil {
		return s, nil //nolint:nilerr // not a scalar on its own (e.g. "no:"): go-yaml v3 read it as text
	}
	switch x := v.(type) {
	case nil, string, bool:
		return x, nil
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case uint64:
		return float64(x), nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, errNotJSON(fmt.Sprintf("%s is not a valid JSON number", s))
		}
		return x, nil
	}
	return s, nil // a mapping or sequence when read alone: text in context
}

// tagged resolves a quoted, block or explicitly tagged scalar as go-yaml v3
// does (quotes and block styles are strings in both YAML versions).
func tagged(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err := n.Decode(&b)
		return b, err
	case "!!int":
		var i int64
		err := n.Decode(&i)
		return i, err
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, err
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, errNotJSON(fmt.Sprintf("%s is not a valid JSON number", n.Value))
		}
		return f, nil
	}
	return n.Value, nil
}

// keyString turns a resolved mapping key into the JSON object key
// sigs.k8s.io/yaml makes of it: `on:` becomes "true", `1:` "1".
func keyString(k any) (string, error) {
	switch x := k.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 32), nil
	}
	return "", fmt.Errorf("unsupported map key %v", k)
}

package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// paramDefaultsQuery reads the defaults the Rego library declares, and
// the formats (regular expressions) string parameters must match.
const (
	paramDefaultsQuery = "data.feastflow.lib.params.defaults"
	paramFormatsQuery  = "data.feastflow.lib.params.formats"
)

// resolveParams merges overrides onto the library's defaults, refusing
// unknown keys, values of a different type than the default and strings
// that do not match the parameter's format.
func resolveParams(ctx context.Context, c *ast.Compiler, overrides map[string]any) (map[string]any, error) {
	defaults, err := readParamObject(ctx, c, paramDefaultsQuery)
	if err != nil {
		return nil, fmt.Errorf("read parameter defaults: %w", err)
	}
	formats, err := readParamObject(ctx, c, paramFormatsQuery)
	if err != nil {
		return nil, fmt.Errorf("read parameter formats: %w", err)
	}
	params := make(map[string]any, len(defaults))
	for k, v := range defaults {
		params[k] = v
	}
	for k, v := range overrides {
		def, known := defaults[k]
		if !known {
			return nil, fmt.Errorf("unknown parameter %q (known: %s)", k, strings.Join(sortedKeys(defaults), ", "))
		}
		typed, err := coerce(def, v)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", k, err)
		}
		if err := checkFormat(formats[k], typed); err != nil {
			return nil, fmt.Errorf("parameter %q: %w", k, err)
		}
		params[k] = typed
	}
	return params, nil
}

// readParamObject evaluates query to an object; an undefined one is empty.
func readParamObject(ctx context.Context, c *ast.Compiler, query string) (map[string]any, error) {
	rs, err := rego.New(rego.Compiler(c), rego.Query(query)).Eval(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if len(rs) == 1 && len(rs[0].Expressions) == 1 {
		out, _ = rs[0].Expressions[0].Value.(map[string]any)
	}
	return out, nil
}

// checkFormat refuses a string value that does not match format (a
// regular expression; none means any value).
func checkFormat(format, v any) error {
	pattern, ok := format.(string)
	s, isString := v.(string)
	if !ok || !isString {
		return nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return fmt.Errorf("format %q: %w", pattern, err)
	}
	if !re.MatchString(s) {
		return fmt.Errorf("%q does not match %s", s, pattern)
	}
	return nil
}

// coerce gives v the type of the default; strings from the command line
// are parsed as booleans or numbers when the default is one.
func coerce(def, v any) (any, error) {
	if s, ok := v.(string); ok {
		switch def.(type) {
		case bool:
			b, err := strconv.ParseBool(s)
			if err != nil {
				return nil, fmt.Errorf("want true or false, got %q", s)
			}
			return b, nil
		case json.Number, float64, int:
			n, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("want a number, got %q", s)
			}
			return n, nil
		}
	}
	if typeName(def) != typeName(v) {
		return nil, fmt.Errorf("want a %s like the default %v, got %v", typeName(def), def, v)
	}
	return v, nil
}

// ParseParam splits a command-line key=value parameter.
func ParseParam(kv string) (string, string, error) {
	k, v, ok := strings.Cut(kv, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return "", "", fmt.Errorf("parameter %q: want key=value", kv)
	}
	return k, v, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func typeName(v any) string {
	switch v.(type) {
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	default:
		return "number"
	}
}

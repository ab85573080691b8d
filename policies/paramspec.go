package policies

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// ParamSpec is the schema of one rule parameter, declared once: library
// parameters in lib/params.rego (`schema`), a custom rule's own in its
// METADATA (custom.params, the same fields). The engine checks every value
// given on the command line, in a params file or in the configuration
// file against it.
type ParamSpec struct {
	Name string `json:"name"`
	// Type is string, boolean, number or integer.
	Type        string `json:"type"`
	Default     any    `json:"default"`
	Description string `json:"description,omitempty"`
	// Enum, when set, lists the only allowed values.
	Enum []any `json:"enum,omitempty"`
	// Format is "quantity" (a Kubernetes resource quantity, parsed as
	// k8s.io/apimachinery's resource.ParseQuantity does) or "regex" (a
	// regular expression that compiles, RE2 syntax as Rego's regex builtins).
	Format string `json:"format,omitempty"`
	// Pattern is a regular expression a string value must match.
	Pattern string `json:"pattern,omitempty"`
	// Optional allows "" for a string with a Format (it switches the check off).
	Optional bool `json:"optional,omitempty"`
	// Rule is the id of the rule that declares the parameter; empty for the library.
	Rule string `json:"rule,omitempty"`

	pattern *regexp.Regexp
}

// Parameter types and formats a ParamSpec may declare.
const (
	ParamString    = "string"
	ParamBoolean   = "boolean"
	ParamNumber    = "number"
	ParamInteger   = "integer"
	FormatQuantity = "quantity"
	FormatRegex    = "regex"
)

var paramNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// parseParamSpec reads one parameter's schema (an object as Rego or YAML
// metadata gives it) and checks that it is coherent: a known type and
// format, a pattern that compiles, enum values and the default allowed.
func parseParamSpec(name string, raw any, rule string) (ParamSpec, error) {
	s := ParamSpec{Name: name, Rule: rule}
	if !paramNamePattern.MatchString(name) {
		return s, fmt.Errorf("parameter name %q must be snake_case", name)
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return s, fmt.Errorf("parameter %q: schema must be an object with type and default, got %v", name, raw)
	}
	known := []string{"type", "default", "description", "enum", "format", "pattern", "optional"}
	for k := range m {
		if !slices.Contains(known, k) {
			return s, fmt.Errorf("parameter %q: unknown schema field %q (known: %s)", name, k, strings.Join(known, ", "))
		}
	}
	s.Type, _ = m["type"].(string)
	s.Description, _ = m["description"].(string)
	s.Format, _ = m["format"].(string)
	s.Pattern, _ = m["pattern"].(string)
	s.Optional, _ = m["optional"].(bool)
	switch s.Type {
	case ParamString, ParamBoolean, ParamNumber, ParamInteger:
	default:
		return s, fmt.Errorf("parameter %q: type must be string, boolean, number or integer, got %q", name, s.Type)
	}
	if s.Format != "" && s.Format != FormatQuantity && s.Format != FormatRegex {
		return s, fmt.Errorf("parameter %q: format must be quantity or regex, got %q", name, s.Format)
	}
	if (s.Format != "" || s.Pattern != "" || s.Optional) && s.Type != ParamString {
		return s, fmt.Errorf("parameter %q: format, pattern and optional apply to strings only", name)
	}
	if s.Pattern != "" {
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			return s, fmt.Errorf("parameter %q: pattern: %w", name, err)
		}
		s.pattern = re
	}
	if raw, ok := m["enum"]; ok {
		list, ok := raw.([]any)
		if !ok || len(list) == 0 {
			return s, fmt.Errorf("parameter %q: enum must be a non-empty list", name)
		}
		for _, v := range list {
			if _, err := s.checkType(normalizeNumber(v), false); err != nil {
				return s, fmt.Errorf("parameter %q: enum value %v: %w", name, v, err)
			}
			s.Enum = append(s.Enum, normalizeNumber(v))
		}
	}
	def, ok := m["default"]
	if !ok {
		return s, fmt.Errorf("parameter %q: schema lacks a default", name)
	}
	var err error
	if s.Default, err = s.Check(def, false); err != nil {
		return s, fmt.Errorf("parameter %q: default: %w", name, err)
	}
	return s, nil
}

// Check returns v as the parameter's type when it is allowed, else an
// error saying what is. fromString parses booleans and numbers written
// as strings (values from --param are always strings).
func (s ParamSpec) Check(v any, fromString bool) (any, error) {
	typed, err := s.checkType(normalizeNumber(v), fromString)
	if err != nil {
		return nil, err
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return e == typed }) {
		return nil, fmt.Errorf("%s is not allowed: want %s", show(typed), s.Allowed())
	}
	str, isString := typed.(string)
	if !isString || (str == "" && s.Optional) {
		return typed, nil
	}
	switch s.Format {
	case FormatQuantity:
		if _, err := resource.ParseQuantity(str); err != nil {
			return nil, fmt.Errorf("%q is not a Kubernetes quantity: want %s", str, s.Allowed())
		}
	case FormatRegex:
		if _, err := regexp.Compile(str); err != nil {
			return nil, fmt.Errorf("%q is not a regular expression (%v): want %s", str, err, s.Allowed())
		}
	}
	if s.pattern != nil && !s.pattern.MatchString(str) {
		return nil, fmt.Errorf("%q is not allowed: want %s", str, s.Allowed())
	}
	return typed, nil
}

func (s ParamSpec) checkType(v any, fromString bool) (any, error) {
	str, isString := v.(string)
	switch s.Type {
	case ParamString:
		if isString {
			return str, nil
		}
	case ParamBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		if isString && fromString {
			if b, err := strconv.ParseBool(str); err == nil {
				return b, nil
			}
		}
	case ParamNumber, ParamInteger:
		f, ok := v.(float64)
		if isString && fromString {
			var err error
			f, err = strconv.ParseFloat(str, 64)
			ok = err == nil
		}
		if ok && (s.Type == ParamNumber || f == math.Trunc(f)) {
			return f, nil
		}
	}
	return nil, fmt.Errorf("%s is not allowed: want %s", show(v), s.Allowed())
}

// Allowed says in words what values the parameter takes.
func (s ParamSpec) Allowed() string {
	var parts []string
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			vals[i] = fmt.Sprint(e)
		}
		parts = append(parts, "one of "+strings.Join(vals, ", "))
	} else {
		switch s.Type {
		case ParamBoolean:
			parts = append(parts, "true or false")
		case ParamInteger:
			parts = append(parts, "an integer")
		case ParamNumber:
			parts = append(parts, "a number")
		default:
			switch s.Format {
			case FormatQuantity:
				parts = append(parts, "a Kubernetes quantity such as 500m, 2 or 4Gi")
			case FormatRegex:
				parts = append(parts, "a regular expression (RE2 syntax)")
			default:
				parts = append(parts, "a string")
			}
		}
	}
	if s.Pattern != "" {
		parts = append(parts, "matching "+s.Pattern)
	}
	if s.Optional {
		parts = append(parts, `or "" for none`)
	}
	return strings.Join(parts, " ")
}

// normalizeNumber turns the number types of OPA results and YAML/JSON
// decoders into float64; other values are returned as they are.
func normalizeNumber(v any) any {
	switch n := v.(type) {
	case json.Number:
		if f, err := n.Float64(); err == nil {
			return f
		}
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case uint64:
		return float64(n)
	case float32:
		return float64(n)
	}
	return v
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v (%s)", v, typeName(v))
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
	case nil:
		return "null"
	default:
		return "number"
	}
}

// sortedSpecNames returns the names of specs, sorted.
func sortedSpecNames(specs map[string]ParamSpec) []string {
	names := make([]string, 0, len(specs))
	for n := range specs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

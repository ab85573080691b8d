package apivalidation

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ParsePath splits a Kubernetes field path as field.Path renders it,
// spec.template.spec.containers[0].ports[0].containerPort or
// metadata.labels[app.kubernetes.io/name], into map keys (strings) and
// list indices (ints). A bracketed number is an index: map keys that are
// numbers read the same either way when looked up in YAML.
func ParsePath(s string) []any {
	var path []any
	for s != "" {
		switch {
		case s[0] == '.':
			s = s[1:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return append(path, s[1:])
			}
			inner := s[1:end]
			if n, err := strconv.Atoi(inner); err == nil {
				path = append(path, n)
			} else {
				path = append(path, inner)
			}
			s = s[end+1:]
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			path = append(path, s[:end])
			s = s[end:]
		}
	}
	return path
}

// FieldPath renders path (keys and indices) as a field.Path.
func FieldPath(path []any) *field.Path {
	if len(path) == 0 {
		return nil
	}
	p := field.NewPath(fmt.Sprint(path[0]))
	for _, e := range path[1:] {
		switch x := e.(type) {
		case int:
			p = p.Index(x)
		default:
			p = p.Child(fmt.Sprint(x))
		}
	}
	return p
}

func sortKeys(keys []any) {
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
}

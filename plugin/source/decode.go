package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseError is a document that could not be decoded; Line is 0 when unknown.
type ParseError struct {
	File    string
	Line    int
	Message string
}

// Error renders file:line: message.
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

// Parse splits a multi-document YAML or JSON stream into objects, expanding
// List kinds. Documents before a syntax error are kept; every problem is
// returned as a *ParseError alongside them.
func Parse(file string, data []byte) ([]*Document, []error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	src := &sourceText{data: data}
	var docs []*Document
	var errs []error
	for index := 0; ; index++ {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) {
			return docs, errs
		}
		if err != nil {
			// The decoder cannot resynchronise after a syntax error.
			return docs, append(errs, syntaxError(file, err))
		}
		if len(root.Content) == 0 {
			continue // an empty document, e.g. a trailing ---
		}
		d, err := objectsOf(&Document{File: file, src: src, index: index}, root.Content[0])
		docs = append(docs, d...)
		if err != nil {
			errs = append(errs, err)
		}
	}
}

func syntaxError(file string, err error) *ParseError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, after, _ := strings.Cut(rest, ":")
		if n, convErr := strconv.Atoi(num); convErr == nil {
			line, msg = n, strings.TrimSpace(after)
		}
	}
	return &ParseError{File: file, Line: line, Message: "invalid YAML: " + msg}
}

// objectsOf turns a document node into its object, or its items for a
// List; at says where the node is (file, document, List items).
func objectsOf(at *Document, n *yaml.Node) ([]*Document, error) {
	file := at.File
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil, nil
		}
		return nil, &ParseError{File: file, Line: n.Line, Message: "document is not a Kubernetes object (want a mapping)"}
	}
	v, err := toValue(n)
	if err != nil {
		return nil, &ParseError{File: file, Line: n.Line, Message: err.Error()}
	}
	obj := v.(map[string]any)
	kind, _ := obj["kind"].(string)
	apiVersion, _ := obj["apiVersion"].(string)
	if kind == "" || apiVersion == "" {
		return nil, &ParseError{File: file, Line: n.Line, Message: "document has no apiVersion or kind"}
	}
	if !isList(kind, obj) {
		d := *at
		d.Object = obj
		return []*Document{&d}, nil
	}
	items, _, _ := childOf(n, "items")
	var docs []*Document
	for i, item := range items.Content {
		d, err := objectsOf(&Document{File: file, src: at.src, index: at.index, items: append(at.items[:len(at.items):len(at.items)], i)}, item)
		if err != nil {
			return docs, err
		}
		docs = append(docs, d...)
	}
	return docs, nil
}

func isList(kind string, obj map[string]any) bool {
	_, hasItems := obj["items"].([]any)
	return hasItems && strings.HasSuffix(kind, "List")
}

// toValue converts a YAML node to the JSON-compatible value Kubernetes
// would decode: maps, slices, strings, int64, float64, bools and nil.
func toValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return toValue(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				return decodeSlow(n)
			}
			val, err := toValue(v)
			if err != nil {
				return nil, err
			}
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := toValue(c)
			if err != nil {
				return nil, err
			}
			s[i] = v
		}
		return s, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!str", "!!binary", "!!timestamp":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err := n.Decode(&b)
		return b, err
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, err
		}
		return i, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, err
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("line %d: %s is not a valid JSON number", n.Line, n.Value)
		}
		return f, nil
	}
	return n.Value, nil
}

// decodeSlow handles YAML merge keys with the library's own decoder.
func decodeSlow(n *yaml.Node) (any, error) {
	var v map[string]any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	return normalize(v), nil
}

func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalize(e)
		}
	case []any:
		for i, e := range t {
			t[i] = normalize(e)
		}
	case int:
		return int64(t)
	}
	return v
}

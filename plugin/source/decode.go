package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// ParseError is a document that could not be decoded; Line is 0 when unknown.
type ParseError struct {
	File    string
	Line    int
	Message string
	// notObject marks a document that is no object at all (not a mapping,
	// or neither apiVersion nor kind): see skipContent.
	notObject bool
}

// Error renders file:line: message.
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

// Parse splits a stream into objects the way kubectl reads it, expanding
// List kinds: a stream whose first non-space byte is '{' is a sequence of
// JSON objects (apimachinery's YAMLOrJSONDecoder), anything else is
// multi-document YAML whose plain scalars resolve as in YAML 1.1
// (sigs.k8s.io/yaml: `on` is a boolean). A mapping key defined twice is an
// error naming both lines. Documents before a syntax error are kept; every
// problem is returned as a *ParseError alongside them.
func Parse(file string, data []byte) ([]*Document, []error) {
	if utilyaml.IsJSONBuffer(data) {
		return parseJSON(file, data)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	src := &sourceText{data: data}
	c := &converter{file: file}
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
		d, err := c.objectsOf(&Document{File: file, src: src, index: index}, root.Content[0])
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

// converter turns YAML nodes into the values kubectl would send.
type converter struct {
	file string
	// lineOffset is added to node lines: a JSON object's lines within its file.
	lineOffset int
	resolver   resolver
}

func (c *converter) errorAt(n *yaml.Node, format string, args ...any) *ParseError {
	return &ParseError{File: c.file, Line: n.Line + c.lineOffset, Message: fmt.Sprintf(format, args...)}
}

// objectsOf turns a document node into its object, or its items for a
// List; at says where the node is (file, document, List items).
func (c *converter) objectsOf(at *Document, n *yaml.Node) ([]*Document, error) {
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil, nil
		}
		err := c.errorAt(n, "document is not a Kubernetes object (want a mapping)")
		err.notObject = true
		return nil, err
	}
	v, err := c.value(n)
	if err != nil {
		return nil, err
	}
	obj := v.(map[string]any)
	kind, _ := obj["kind"].(string)
	apiVersion, _ := obj["apiVersion"].(string)
	if kind == "" || apiVersion == "" {
		err := c.errorAt(n, "%s", missingTypeMessage(apiVersion, kind))
		err.notObject = kind == "" && apiVersion == ""
		return nil, err
	}
	if !isList(kind, obj) {
		d := *at
		d.Object = obj
		return []*Document{&d}, nil
	}
	items, _, _ := childOf(n, "items")
	var docs []*Document
	for i, item := range items.Content {
		d, err := c.objectsOf(&Document{File: at.File, src: at.src, index: at.index, items: append(at.items[:len(at.items):len(at.items)], i)}, item)
		if err != nil {
			return docs, err
		}
		docs = append(docs, d...)
	}
	return docs, nil
}

// missingTypeMessage says what kubectl says of an object without apiVersion or kind.
func missingTypeMessage(apiVersion, kind string) string {
	switch {
	case apiVersion == "" && kind == "":
		return "document has no apiVersion or kind: apiVersion not set, kind not set"
	case kind == "":
		return "document has no kind: kind not set"
	}
	return "document has no apiVersion: apiVersion not set"
}

func isList(kind string, obj map[string]any) bool {
	_, hasItems := obj["items"].([]any)
	return hasItems && strings.HasSuffix(kind, "List")
}

// value converts a YAML node to the JSON-compatible value kubectl would
// send: maps, slices, strings, int64, float64, bools and nil.
func (c *converter) value(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return c.value(n.Alias)
	case yaml.MappingNode:
		return c.mapping(n)
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, item := range n.Content {
			v, err := c.value(item)
			if err != nil {
				return nil, err
			}
			s[i] = v
		}
		return s, nil
	case yaml.ScalarNode:
		v, err := c.resolver.scalar(n)
		if err != nil {
			return nil, c.errorAt(n, "invalid value: %v", err)
		}
		return v, nil
	}
	return nil, c.errorAt(n, "unsupported YAML node")
}

// mapping converts a mapping, refusing a key defined twice (after YAML 1.1
// resolution, so `on` and `true` are the same key).
func (c *converter) mapping(n *yaml.Node) (any, error) {
	m := make(map[string]any, len(n.Content)/2)
	lines := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Tag == "!!merge" {
			return c.merged(n)
		}
		if k.Kind != yaml.ScalarNode {
			return nil, c.errorAt(k, "unsupported mapping key: a key must be a scalar")
		}
		kv, err := c.resolver.scalar(k)
		if err != nil {
			return nil, c.errorAt(k, "invalid key: %v", err)
		}
		key, err := keyString(kv)
		if err != nil {
			return nil, c.errorAt(k, "%v", err)
		}
		if first, dup := lines[key]; dup {
			return nil, c.errorAt(k, "mapping key %q already defined at line %d", key, first+c.lineOffset)
		}
		lines[key] = k.Line
		val, err := c.value(v)
		if err != nil {
			return nil, err
		}
		m[key] = val
	}
	return m, nil
}

// merged handles YAML merge keys (<<) with go-yaml's own decoder.
func (c *converter) merged(n *yaml.Node) (any, error) {
	var v map[string]any
	if err := n.Decode(&v); err != nil {
		return nil, c.errorAt(n, "%v", err)
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

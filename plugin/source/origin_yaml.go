package source

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// textRef places positions of a parsed text in its file: a patch file is
// its own text; an inline patch (a block scalar in a kustomization) starts
// on the line after its indicator, indented.
type textRef struct {
	file                   string
	lineOffset, colOffset  int
	fixedLine, fixedColumn int // when set, every position maps here (a quoted inline patch)
}

func (r textRef) place(line, column int) Place {
	if r.fixedLine > 0 {
		return Place{File: r.file, Line: r.fixedLine, Column: r.fixedColumn}
	}
	return Place{File: r.file, Line: line + r.lineOffset, Column: column + r.colOffset}
}

// yamlDoc is one object's mapping in a text: a resource document or a
// strategic-merge patch.
type yamlDoc struct {
	text textRef
	node *yaml.Node
}

// lookup walks the document along path.
func (d *yamlDoc) lookup(path []any, obj map[string]any) hit {
	return walk(d.text, d.node, path, obj)
}

// walk follows path from n, where n stands for obj: mapping keys by name,
// list items by the merge key of the rendered item (see itemOf). The hit
// is at the key of the deepest element found.
func walk(text textRef, n *yaml.Node, path []any, obj any) hit {
	h := hit{found: true, place: text.place(n.Line, n.Column)}
	value := obj
	for i, elem := range path {
		n = resolve(n)
		var next *yaml.Node
		line, col := 0, 0
		switch e := elem.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return h
			}
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == e {
					next, line, col = n.Content[j+1], n.Content[j].Line, n.Content[j].Column
					break
				}
			}
			m, _ := value.(map[string]any)
			value = m[e]
		case int:
			list, _ := value.([]any)
			if n.Kind != yaml.SequenceNode || e < 0 || e >= len(list) {
				return h
			}
			next = itemOf(n, list[e], e)
			if next != nil {
				line, col = next.Line, next.Column
			}
			value = list[e]
		}
		if next == nil {
			if i == 0 {
				h.found = false
			}
			return h
		}
		n = next
		h.depth, h.place = i+1, text.place(line, col)
	}
	n = resolve(n)
	h.equal = n.Kind == yaml.ScalarNode && isScalar(value) && n.Value == scalarString(value)
	return h
}

func resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// mergeKeys are the keys strategic merge patch matches list items by in
// the Kubernetes API (patchMergeKey), most common first.
var mergeKeys = []string{"name", "containerPort", "mountPath", "devicePath", "ip", "topologyKey", "port", "type", "scopeName"}

// itemOf finds the item of seq that stands for the rendered item: the one
// with the same merge key value when the rendered item has one, else the
// item at the same index (a list strategic merge replaces whole).
func itemOf(seq *yaml.Node, item any, index int) *yaml.Node {
	if m, ok := item.(map[string]any); ok {
		for _, key := range mergeKeys {
			v, ok := m[key]
			if !ok || !isScalar(v) {
				continue
			}
			for _, c := range seq.Content {
				c = resolve(c)
				if c.Kind != yaml.MappingNode {
					continue
				}
				for j := 0; j+1 < len(c.Content); j += 2 {
					if c.Content[j].Value == key && c.Content[j+1].Value == scalarString(v) {
						return c
					}
				}
			}
			return nil
		}
	}
	if index < len(seq.Content) {
		return seq.Content[index]
	}
	return nil
}

// existingPrefix is the longest prefix of path that obj holds: a finding
// about an absent field is placed at its closest parent.
func existingPrefix(obj any, path []any) []any {
	v := obj
	for i, elem := range path {
		switch e := elem.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return path[:i]
			}
			if v, ok = m[e]; !ok {
				return path[:i]
			}
		case int:
			l, ok := v.([]any)
			if !ok || e < 0 || e >= len(l) {
				return path[:i]
			}
			v = l[e]
		default:
			return path[:i]
		}
	}
	return path
}

// valueAt is obj's value at path, which existingPrefix returned.
func valueAt(obj any, path []any) any {
	v := obj
	for _, elem := range path {
		switch e := elem.(type) {
		case string:
			v = v.(map[string]any)[e]
		case int:
			v = v.([]any)[e]
		}
	}
	return v
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// scalarString renders a decoded scalar as YAML text would spell it.
func scalarString(v any) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(v)
}

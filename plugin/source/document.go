// Package source reads manifests for lint: files, directories, URLs, stdin
// and kustomize directories, split into documents that keep their YAML
// node positions so findings can point at file, line and column.
package source

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Document is one Kubernetes object read from a source.
type Document struct {
	// File names the source: a path, a URL, "<stdin>" or a kustomize directory.
	File string
	// Object is the decoded object.
	Object map[string]any
	// node is the object's YAML mapping node, for positions.
	node *yaml.Node
}

// Position returns the line and column of the field at path (keys and
// indices), or of its closest existing parent when the field is absent.
// The empty path is the object itself.
func (d *Document) Position(path []any) (line, column int) {
	n := d.node
	line, column = n.Line, n.Column
	for _, elem := range path {
		next, keyLine, keyCol := childOf(n, elem)
		if next == nil {
			return line, column
		}
		n, line, column = next, keyLine, keyCol
	}
	return line, column
}

// childOf finds elem in a mapping (by key) or a sequence (by index) and
// returns it with the position to report: the key's for mappings.
func childOf(n *yaml.Node, elem any) (*yaml.Node, int, int) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		key := fmt.Sprint(elem)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1], n.Content[i].Line, n.Content[i].Column
			}
		}
	case yaml.SequenceNode:
		if i, ok := elem.(int); ok && i >= 0 && i < len(n.Content) {
			item := n.Content[i]
			return item, item.Line, item.Column
		}
	}
	return nil, 0, 0
}

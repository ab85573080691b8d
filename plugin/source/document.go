// Package source reads manifests for lint: files, directories, URLs, stdin
// and kustomize directories, split into documents that keep their YAML
// node positions so findings can point at file, line and column.
package source

import (
	"bytes"
	"fmt"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Document is one Kubernetes object read from a source.
type Document struct {
	// File names the source: a path, a URL, "<stdin>" or a kustomize directory.
	File string
	// Object is the decoded object.
	Object map[string]any
	// src is the text the object was read from; its YAML nodes, which
	// hold positions, are parsed again only when a position is asked for.
	src *sourceText
	// index is the document's place in the YAML stream; items the indices
	// of List items leading to the object, if it came from a List.
	index int
	items []int
	// origin is kustomize's record of where a rendered object came from.
	origin *Origin
}

// Locate returns where the field at path was written: in the document's
// own file at Position(path) or, for an object rendered by kustomize,
// in the base resource, patch or kustomization entry that produced it
// (see Origin.Locate). It is safe for concurrent use.
func (d *Document) Locate(path []any) Place {
	if d.origin != nil {
		return d.origin.Locate(d.Object, path)
	}
	line, column := d.Position(path)
	return Place{File: d.File, Line: line, Column: column}
}

// attachOrigins gives each document rendered by kustomize its origin:
// origins are in the rendered stream's order, one per object.
func attachOrigins(docs []*Document, origins []*Origin) {
	if len(docs) != len(origins) {
		return
	}
	for i, d := range docs {
		o := origins[i]
		meta, _ := d.Object["metadata"].(map[string]any)
		if d.Object["kind"] == o.kind && meta["name"] == o.name {
			d.origin = o
		}
	}
}

// Position returns the line and column of the field at path (keys and
// indices), or of its closest existing parent when the field is absent.
// The empty path is the object itself. It is safe for concurrent use.
func (d *Document) Position(path []any) (line, column int) {
	n := d.src.node(d.index, d.items)
	if n == nil {
		return 0, 0
	}
	line, column = n.Line, n.Column
	for _, elem := range path {
		next, keyLine, keyCol := childOf(n, elem)
		if next == nil {
			break
		}
		n, line, column = next, keyLine, keyCol
	}
	return d.src.place(line, column)
}

// place turns a position within s.data into one within its file.
func (s *sourceText) place(line, column int) (int, int) {
	if line == 1 {
		column += s.columnOffset
	}
	return line + s.lineOffset, column
}

// sourceText is the text of one input. Keeping it instead of the YAML
// node trees keeps memory small; most documents never need a position.
type sourceText struct {
	data []byte
	// lineOffset and columnOffset place data within its file: a JSON
	// object of a stream starts after the objects before it. The column
	// offset applies to data's first line only.
	lineOffset, columnOffset int
	once                     sync.Once
	roots                    []*yaml.Node
}

// node returns the mapping node of document index (the List item at
// items within it), parsing the text once on first use.
func (s *sourceText) node(index int, items []int) *yaml.Node {
	s.once.Do(func() {
		dec := yaml.NewDecoder(bytes.NewReader(s.data))
		for {
			var root yaml.Node
			if err := dec.Decode(&root); err != nil {
				return // io.EOF, or the syntax error Parse reported
			}
			s.roots = append(s.roots, &root)
		}
	})
	if index >= len(s.roots) || len(s.roots[index].Content) == 0 {
		return nil
	}
	n := s.roots[index].Content[0]
	for _, i := range items {
		list, _, _ := childOf(n, "items")
		if list == nil || list.Kind != yaml.SequenceNode || i >= len(list.Content) {
			return nil
		}
		n = list.Content[i]
	}
	return n
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

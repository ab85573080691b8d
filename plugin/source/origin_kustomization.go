package source

import (
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/resid"
)

// kustomizationFile is one kustomization of the tree with its positions.
type kustomizationFile struct {
	tree  *kustomizeTree
	file  string
	node  *yaml.Node
	lines []string
}

// target is the object the sources are looked up for.
type target struct {
	obj        map[string]any
	kind, name string
}

// sources lists what this kustomization may have set on the object, in
// the order kustomize's builtin transformers run: patchesStrategicMerge,
// patches, namespace, patchesJson6902, replicas, images.
func (k *kustomizationFile) sources(obj map[string]any, kind, name string) []fieldSource {
	t := target{obj: obj, kind: kind, name: name}
	var out []fieldSource
	if list, _ := field(k.node, "patchesStrategicMerge"); list != nil && list.Kind == yaml.SequenceNode {
		for _, item := range list.Content {
			out = append(out, k.patchSources(t, resolve(item), nil)...)
		}
	}
	if list, _ := field(k.node, "patches"); list != nil && list.Kind == yaml.SequenceNode {
		for _, item := range list.Content {
			out = append(out, k.patchEntry(t, resolve(item))...)
		}
	}
	if v, key := field(k.node, "namespace"); v != nil && v.Kind == yaml.ScalarNode {
		out = append(out, &entrySource{path: []any{"metadata", "namespace"}, value: v.Value,
			place: Place{File: k.file, Line: key.Line, Column: key.Column}})
	}
	if list, _ := field(k.node, "patchesJson6902"); list != nil && list.Kind == yaml.SequenceNode {
		for _, item := range list.Content {
			out = append(out, k.patchEntry(t, resolve(item))...)
		}
	}
	out = append(out, k.replicaSources(t)...)
	out = append(out, k.imageSources(t)...)
	return out
}

// patchEntry reads one entry of patches or patchesJson6902 (path or
// inline patch, and target).
func (k *kustomizationFile) patchEntry(t target, item *yaml.Node) []fieldSource {
	var sel *types.Selector
	if tn, _ := field(item, "target"); tn != nil {
		sel = &types.Selector{}
		if err := tn.Decode(sel); err != nil {
			return nil
		}
		if !selects(sel, t) {
			return nil
		}
	}
	if p, _ := field(item, "patch"); p != nil && p.Kind == yaml.ScalarNode {
		return k.patchSources(t, p, sel)
	}
	if p, _ := field(item, "path"); p != nil && p.Kind == yaml.ScalarNode {
		return k.patchSources(t, p, sel)
	}
	return nil
}

// patchSources reads a patch given as a file path or inline text (n, a
// scalar), with its target when it has one, and returns the parts of it
// that apply to the object: strategic-merge documents for it, and
// JSON 6902 operations.
func (k *kustomizationFile) patchSources(t target, n *yaml.Node, sel *types.Selector) []fieldSource {
	if n.Kind != yaml.ScalarNode {
		return nil
	}
	var docs []*yaml.Node
	var text textRef
	if strings.Contains(n.Value, "\n") || strings.HasPrefix(strings.TrimSpace(n.Value), "[") || strings.HasPrefix(strings.TrimSpace(n.Value), "{") {
		docs = parseDocuments([]byte(n.Value))
		text = k.inlineText(n)
	} else {
		file := filepath.Join(filepath.Dir(k.file), n.Value)
		docs = k.tree.documents(file)
		text = textRef{file: file}
	}
	var out []fieldSource
	for _, d := range docs {
		d = resolve(d)
		switch d.Kind {
		case yaml.SequenceNode:
			if sel != nil {
				out = append(out, jsonPatchSources(text, d)...)
			}
		case yaml.MappingNode:
			if sel == nil && (scalarField(d, "kind") != t.kind || !nameMatches(metadataName(d), t.name)) {
				continue
			}
			out = append(out, &yamlDoc{text: text, node: d})
		}
	}
	return out
}

// inlineText places an inline patch: a literal block scalar's text starts
// on the line after its indicator, at the indentation of its first line;
// any other style is placed on the scalar itself.
func (k *kustomizationFile) inlineText(n *yaml.Node) textRef {
	if n.Style&yaml.LiteralStyle != 0 {
		for i := n.Line; i < len(k.lines); i++ { // k.lines[i] is line i+1
			line := k.lines[i]
			if strings.TrimSpace(line) == "" {
				continue
			}
			indent := len(line) - len(strings.TrimLeft(line, " "))
			return textRef{file: k.file, lineOffset: i, colOffset: indent}
		}
	}
	return textRef{file: k.file, fixedLine: n.Line, fixedColumn: n.Column}
}

// selects reports whether a patch target selects the object, as
// kustomize's selector does (anchored regular expressions for group,
// version, kind, name and namespace; label and annotation selectors). A
// name also matches when kustomize's prefixes and suffixes grew it into
// the rendered one.
func selects(sel *types.Selector, t target) bool {
	re, err := types.NewSelectorRegex(sel)
	if err != nil {
		return false
	}
	apiVersion, _ := t.obj["apiVersion"].(string)
	group, version := resid.ParseGroupVersion(apiVersion)
	if !re.MatchGvk(resid.NewGvk(group, version, t.kind)) {
		return false
	}
	if !re.MatchName(t.name) && !nameMatches(sel.Name, t.name) {
		return false
	}
	meta, _ := t.obj["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	if sel.Namespace != "" && !re.MatchNamespace(ns) {
		return false
	}
	return matchesSet(sel.LabelSelector, meta["labels"]) && matchesSet(sel.AnnotationSelector, meta["annotations"])
}

func matchesSet(selector string, m any) bool {
	if selector == "" {
		return true
	}
	s, err := labels.Parse(selector)
	if err != nil {
		return false
	}
	set := labels.Set{}
	if mm, ok := m.(map[string]any); ok {
		for k, v := range mm {
			if str, ok := v.(string); ok {
				set[k] = str
			}
		}
	}
	return s.Matches(set)
}

// generatorEntry finds the entry of a generator list (configMapGenerator,
// secretGenerator, helmCharts) that made the object named name: the
// longest entry name the rendered name grew from.
func (k *kustomizationFile) generatorEntry(fieldName, name string) (line, column int, ok bool) {
	list, _ := field(k.node, fieldName)
	if list == nil || list.Kind != yaml.SequenceNode {
		return 0, 0, false
	}
	best := ""
	for _, item := range list.Content {
		v, key := field(item, "name")
		if v == nil || !nameMatches(v.Value, name) || len(v.Value) <= len(best) {
			continue
		}
		best, line, column, ok = v.Value, key.Line, key.Column, true
	}
	return line, column, ok
}

package source

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// entrySource is a kustomization entry that sets one field to one value
// (namespace, a replicas entry).
type entrySource struct {
	path  []any
	value string
	place Place
}

func (e *entrySource) lookup(path []any, obj map[string]any) hit {
	if !slices.Equal(path, e.path) {
		return hit{}
	}
	return hit{found: true, depth: len(path), place: e.place, equal: scalarString(valueAt(obj, path)) == e.value}
}

// replicaSources reads the replicas entries naming the object.
func (k *kustomizationFile) replicaSources(t target) []fieldSource {
	list, _ := field(k.node, "replicas")
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	var out []fieldSource
	for _, item := range list.Content {
		if !nameMatches(scalarField(item, "name"), t.name) {
			continue
		}
		if v, key := field(item, "count"); v != nil {
			out = append(out, &entrySource{path: []any{"spec", "replicas"}, value: v.Value,
				place: Place{File: k.file, Line: key.Line, Column: key.Column}})
		}
	}
	return out
}

// imageSource is an images entry: it sets the image of every container
// whose image has its name.
type imageSource struct {
	name, newName, newTag, digest string
	place                         Place
}

// imageSources reads the images entries.
func (k *kustomizationFile) imageSources(target) []fieldSource {
	list, _ := field(k.node, "images")
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	var out []fieldSource
	for _, item := range list.Content {
		s := &imageSource{name: scalarField(item, "name"), newName: scalarField(item, "newName"),
			newTag: scalarField(item, "newTag"), digest: scalarField(item, "digest")}
		// The entry's line that made the rendered reference what it is.
		for _, key := range []string{"digest", "newTag", "newName", "name"} {
			if v, kn := field(item, key); v != nil {
				s.place = Place{File: k.file, Line: kn.Line, Column: kn.Column}
				break
			}
		}
		out = append(out, s)
	}
	return out
}

var containerLists = []string{"containers", "initContainers", "ephemeralContainers"}

func (s *imageSource) lookup(path []any, obj map[string]any) hit {
	n := len(path)
	list, _ := path[max(n-3, 0)].(string)
	if n < 3 || path[n-1] != "image" || !slices.Contains(containerLists, list) {
		return hit{}
	}
	image, _ := valueAt(obj, path).(string)
	repo, tag, digest := splitImage(image)
	want := s.name
	if s.newName != "" {
		want = s.newName
	}
	if repo != want || (s.digest != "" && digest != s.digest) || (s.digest == "" && s.newTag != "" && tag != s.newTag) {
		return hit{}
	}
	return hit{found: true, depth: n, place: s.place, equal: true}
}

// splitImage splits name[:tag][@digest].
func splitImage(image string) (repo, tag, digest string) {
	repo, digest, _ = strings.Cut(image, "@")
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo, tag = repo[:i], repo[i+1:]
	}
	return repo, tag, digest
}

// jsonPatchOp is one add or replace operation of a JSON 6902 patch.
type jsonPatchOp struct {
	text     textRef
	path     []string // the pointer's reference tokens
	value    *yaml.Node
	valueKey *yaml.Node
}

// jsonPatchSources reads the operations of a JSON 6902 patch that set
// values (add, replace).
func jsonPatchSources(text textRef, ops *yaml.Node) []fieldSource {
	var out []fieldSource
	for _, op := range ops.Content {
		kind := scalarField(op, "op")
		value, valueKey := field(op, "value")
		pointer := scalarField(op, "path")
		if (kind != "add" && kind != "replace") || value == nil || !strings.HasPrefix(pointer, "/") {
			continue
		}
		var tokens []string
		for _, tok := range strings.Split(pointer[1:], "/") {
			tokens = append(tokens, strings.NewReplacer("~1", "/", "~0", "~").Replace(tok))
		}
		out = append(out, &jsonPatchOp{text: text, path: tokens, value: value, valueKey: valueKey})
	}
	return out
}

// lookup finds path within the operation's value when the operation's
// pointer leads to path or to one of its parents.
func (op *jsonPatchOp) lookup(path []any, obj map[string]any) hit {
	if len(op.path) > len(path) {
		return hit{}
	}
	for i, tok := range op.path {
		switch e := path[i].(type) {
		case string:
			if tok != e {
				return hit{}
			}
		case int:
			if tok != "-" && tok != strconv.Itoa(e) {
				return hit{}
			}
		}
	}
	at := path[:len(op.path)]
	h := walk(op.text, op.value, path[len(op.path):], valueAt(obj, at))
	h.found = true
	if h.depth == 0 { // the operation's value is the field: its key's place
		h.place = op.text.place(op.valueKey.Line, op.valueKey.Column)
	}
	h.depth += len(op.path)
	return h
}

package source

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/konfig"
)

// kustomizeTree reads the files of one kustomization tree, each once, for
// Origin.Locate (which runs for many findings in parallel).
type kustomizeTree struct {
	root string // the kustomize directory as the user named it

	mu             sync.Mutex
	texts          map[string][]*yaml.Node
	kustomizations map[string]*kustomizationFile
}

func newKustomizeTree(root string) *kustomizeTree {
	return &kustomizeTree{root: root, texts: map[string][]*yaml.Node{}, kustomizations: map[string]*kustomizationFile{}}
}

// path turns a path kustomize recorded (relative to the built directory)
// into one relative to where the user ran the command.
func (t *kustomizeTree) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(t.root, p)
}

// topKustomization is the built directory's kustomization file.
func (t *kustomizeTree) topKustomization() string {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		file := filepath.Join(t.root, name)
		if _, err := os.Stat(file); err == nil {
			return file
		}
	}
	return filepath.Join(t.root, konfig.DefaultKustomizationFileName())
}

// documents returns the YAML documents of file (nil when it cannot be
// read or parsed: kustomize read it, so that is rare), parsed once.
func (t *kustomizeTree) documents(file string) []*yaml.Node {
	t.mu.Lock()
	defer t.mu.Unlock()
	if docs, ok := t.texts[file]; ok {
		return docs
	}
	data, err := os.ReadFile(file)
	var docs []*yaml.Node
	if err == nil {
		docs = parseDocuments(data)
	}
	t.texts[file] = docs
	return docs
}

// parseDocuments returns the root nodes of a YAML (or JSON) stream, up to
// the first syntax error.
func parseDocuments(data []byte) []*yaml.Node {
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) || err != nil {
			return docs
		}
		if len(root.Content) > 0 {
			docs = append(docs, root.Content[0])
		}
	}
}

// document finds the object of kind named (as rendered) name in file: a
// document of that kind whose name kustomize may have grown into name,
// else the file's only document of that kind.
func (t *kustomizeTree) document(file, kind, name string) *yamlDoc {
	var ofKind []*yaml.Node
	for _, n := range t.documents(file) {
		n = resolve(n)
		if n.Kind != yaml.MappingNode || scalarField(n, "kind") != kind {
			continue
		}
		if nameMatches(metadataName(n), name) {
			return &yamlDoc{text: textRef{file: file}, node: n}
		}
		ofKind = append(ofKind, n)
	}
	if len(ofKind) == 1 {
		return &yamlDoc{text: textRef{file: file}, node: ofKind[0]}
	}
	return nil
}

// kustomization returns the parsed kustomization file, or nil.
func (t *kustomizeTree) kustomization(file string) *kustomizationFile {
	t.mu.Lock()
	k, ok := t.kustomizations[file]
	t.mu.Unlock()
	if ok {
		return k
	}
	if docs := t.documents(file); len(docs) > 0 && resolve(docs[0]).Kind == yaml.MappingNode {
		k = &kustomizationFile{tree: t, file: file, node: resolve(docs[0])}
		if data, err := os.ReadFile(file); err == nil {
			k.lines = strings.Split(string(data), "\n")
		}
	}
	t.mu.Lock()
	t.kustomizations[file] = k
	t.mu.Unlock()
	return k
}

// field returns the value of key in mapping n, and its key node.
func field(n *yaml.Node, key string) (value, keyNode *yaml.Node) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolve(n.Content[i+1]), n.Content[i]
		}
	}
	return nil, nil
}

// scalarField is the scalar value of key in mapping n, or "".
func scalarField(n *yaml.Node, key string) string {
	if v, _ := field(n, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func metadataName(n *yaml.Node) string {
	meta, _ := field(n, "metadata")
	return scalarField(meta, "name")
}

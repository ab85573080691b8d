package source

import (
	"path/filepath"
	"slices"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// kustomize renders dir with kustomize's own library, as kubectl -k does,
// and returns the rendered stream with the origin of each of its
// documents (in stream order). Kustomize's origin tracking
// (buildMetadata: [originAnnotations, transformerAnnotations]) is turned
// on for the build; the annotations it adds are read and then removed
// again unless the kustomization asked for them itself, so the objects
// checked are the ones kubectl -k would send.
func kustomize(dir string) (Input, []*Origin, error) {
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionUnspecified // as kubectl: the kustomization's sortOptions, else legacy order
	fs := &trackingFS{FileSystem: filesys.MakeFsOnDisk()}
	if abs, err := filepath.Abs(dir); err == nil {
		fs.root = abs
	}
	m, err := krusty.MakeKustomizer(opts).Run(fs, dir)
	if err != nil {
		return Input{}, nil, &ParseError{File: dir, Message: "kustomize: " + err.Error()}
	}
	tree := newKustomizeTree(dir)
	origins := make([]*Origin, 0, m.Size())
	for _, r := range m.Resources() {
		origins = append(origins, tree.originOf(r))
	}
	if !slices.Contains(fs.userMetadata, types.OriginAnnotations) {
		if err := m.RemoveOriginAnnotations(); err != nil {
			return Input{}, nil, &ParseError{File: dir, Message: "kustomize: " + err.Error()}
		}
	}
	if !slices.Contains(fs.userMetadata, types.TransformerAnnotations) {
		if err := m.RemoveTransformerAnnotations(); err != nil {
			return Input{}, nil, &ParseError{File: dir, Message: "kustomize: " + err.Error()}
		}
	}
	data, err := m.AsYaml()
	if err != nil {
		return Input{}, nil, &ParseError{File: dir, Message: "kustomize: " + err.Error()}
	}
	return Input{Name: KustomizeName(dir), Data: data}, origins, nil
}

// originOf reads the origin kustomize recorded on r.
func (t *kustomizeTree) originOf(r *resource.Resource) *Origin {
	o := &Origin{tree: t, kind: r.GetKind(), name: r.GetName()}
	if origin, err := r.GetOrigin(); err == nil && origin != nil {
		o.resource = *origin
	}
	if trans, err := r.GetTransformations(); err == nil {
		for _, tr := range trans {
			if tr != nil {
				o.transformations = append(o.transformations, *tr)
			}
		}
	}
	return o
}

// KustomizeName names the rendered output of a kustomize directory.
func KustomizeName(dir string) string { return "kustomize(" + dir + ")" }

// trackingFS is the disk, except that the top kustomization file read
// from root also asks for kustomize's origin and transformer annotations
// (nested kustomizations inherit the top one's buildMetadata).
type trackingFS struct {
	filesys.FileSystem
	root string
	// userMetadata is the buildMetadata the kustomization itself listed.
	userMetadata []string
}

// ReadFile reads path, adding the buildMetadata options to the top
// kustomization file. A file it cannot parse is returned unchanged, for
// kustomize to report.
func (fs *trackingFS) ReadFile(path string) ([]byte, error) {
	data, err := fs.FileSystem.ReadFile(path)
	if err != nil || fs.root == "" || !isTopKustomization(fs.root, path) {
		return data, err
	}
	node, perr := kyaml.Parse(string(data))
	if perr != nil || node.YNode().Kind != kyaml.MappingNode {
		return data, nil
	}
	var meta []string
	if field := node.Field("buildMetadata"); field != nil && field.Value != nil {
		for _, item := range field.Value.YNode().Content {
			meta = append(meta, item.Value)
		}
	}
	fs.userMetadata = meta
	want := slices.Clone(meta)
	for _, o := range []string{types.OriginAnnotations, types.TransformerAnnotations} {
		if !slices.Contains(want, o) {
			want = append(want, o)
		}
	}
	if err := node.PipeE(kyaml.SetField("buildMetadata", kyaml.NewListRNode(want...))); err != nil {
		return data, nil
	}
	out, merr := node.String()
	if merr != nil {
		return data, nil
	}
	return []byte(out), nil
}

// isTopKustomization reports whether path is a kustomization file of root.
func isTopKustomization(root, path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil || filepath.Dir(abs) != root {
		return false
	}
	return slices.Contains(konfig.RecognizedKustomizationFileNames(), filepath.Base(abs))
}

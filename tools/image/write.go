package main

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// Annotations on the index's entry in index.json that name the image:
// containerd (ctr import, kind load image-archive) reads the first, docker
// load the first or the second.
const (
	annotationImageName = "io.containerd.image.name"
	annotationRefName   = "org.opencontainers.image.ref.name"
)

// WriteLayout writes idx as an OCI image layout in dir (replacing what is
// there), its index.json naming it ref (repository:tag).
func WriteLayout(dir string, idx v1.ImageIndex, ref, tag string) (layout.Path, error) {
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return "", fmt.Errorf("write layout: %w", err)
	}
	err = p.AppendIndex(idx, layout.WithAnnotations(map[string]string{
		annotationImageName: ref,
		annotationRefName:   tag,
	}))
	if err != nil {
		return "", fmt.Errorf("write layout: %w", err)
	}
	return p, nil
}

// dockerManifest is docker's legacy manifest.json entry, which docker
// load before version 25 needs; it names the first platform's image.
type dockerManifest struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// WriteTarball writes the layout in dir, plus a legacy manifest.json for
// the first image of idx, as one tar archive at file. Entries are sorted,
// with fixed owners and mtime, so the archive is reproducible too.
func WriteTarball(file, dir string, idx v1.ImageIndex, ref string, mtime time.Time) error {
	legacy, err := legacyManifest(idx, ref)
	if err != nil {
		return err
	}
	var names []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return fmt.Errorf("read layout: %w", err)
	}
	sort.Strings(names)
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	add := func(name string, data []byte) error {
		h := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err == nil {
			err = add(name, data)
		}
		if err != nil {
			_ = f.Close()
			return fmt.Errorf("write %s: %w", file, err)
		}
	}
	if err := add("manifest.json", legacy); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", file, err)
	}
	if err := tw.Close(); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", file, err)
	}
	return f.Close()
}

func legacyManifest(idx v1.ImageIndex, ref string) ([]byte, error) {
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	if len(im.Manifests) == 0 {
		return nil, fmt.Errorf("empty index")
	}
	img, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		return nil, err
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, err
	}
	entry := dockerManifest{Config: blobPath(m.Config.Digest), RepoTags: []string{ref}}
	for _, l := range m.Layers {
		entry.Layers = append(entry.Layers, blobPath(l.Digest))
	}
	return json.Marshal([]dockerManifest{entry})
}

func blobPath(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

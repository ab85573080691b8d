package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Options describe one image build.
type Options struct {
	// Root is the repository root (holding go.mod and cmd/).
	Root string
	// Package is the main package to build, relative to Root.
	Package string
	// Binary is the file name of the binary in the image (at /).
	Binary string
	// Version goes into the binary (internal/buildinfo), the label
	// org.opencontainers.image.version and the tag.
	Version string
	// Revision is the source commit (label org.opencontainers.image.revision
	// and the binary's build information).
	Revision string
	// Source is the repository URL (label org.opencontainers.image.source).
	Source string
	// Created is the images' creation time, every file's mtime and the
	// binary's build date: the commit's time, so one commit gives one digest.
	Created time.Time
	// Platforms are os/arch pairs, e.g. linux/amd64.
	Platforms []v1.Platform
}

// User is the image's user and group: non-root, the distroless "nonroot".
const User = "65532:65532"

// passwd and group name root and nonroot; no shell exists in the image.
const (
	passwd = "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	group  = "root:x:0:\nnonroot:x:65532:\n"
)

// BuildIndex builds a static binary per platform and returns the OCI
// image index of the images built on an empty base.
func BuildIndex(o Options, workDir string) (v1.ImageIndex, error) {
	var idx v1.ImageIndex = mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, p := range o.Platforms {
		bin := filepath.Join(workDir, p.OS+"-"+p.Architecture, o.Binary)
		if err := goBuild(o, p, bin); err != nil {
			return nil, err
		}
		img, err := imageFor(o, p, bin)
		if err != nil {
			return nil, err
		}
		platform := p
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: &platform},
		})
	}
	return idx, nil
}

// goBuild cross-compiles a static, reproducible binary: no cgo, no paths
// of this machine, no VCS stamp, no build id.
func goBuild(o Options, p v1.Platform, out string) error {
	const bi = "github.com/feastflow/kubectl-feastflow/internal/buildinfo"
	ldflags := fmt.Sprintf("-s -w -buildid= -X %s.version=%s -X %s.commit=%s -X %s.date=%s",
		bi, o.Version, bi, o.Revision, bi, o.Created.UTC().Format(time.RFC3339))
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", out, "./"+strings.TrimPrefix(o.Package, "./"))
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+p.OS, "GOARCH="+p.Architecture)
	if stderr, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s for %s/%s: %w\n%s", o.Package, p.OS, p.Architecture, err, stderr)
	}
	return nil
}

// imageFor is one platform's image: a single layer holding /etc/passwd,
// /etc/group and the binary, on nothing.
func imageFor(o Options, p v1.Platform, bin string) (v1.Image, error) {
	data, err := os.ReadFile(bin)
	if err != nil {
		return nil, fmt.Errorf("read binary: %w", err)
	}
	layerTar, err := layerTarball(o.Binary, data, o.Created)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:     layer,
		MediaType: types.OCILayer,
		History:   v1.History{Created: v1.Time{Time: o.Created}, CreatedBy: "tools/image: " + o.Binary + " on an empty base", Comment: "static binary, /etc/passwd, /etc/group"},
	})
	if err != nil {
		return nil, fmt.Errorf("append layer: %w", err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = p.OS, p.Architecture, p.Variant
	cfg.Created = v1.Time{Time: o.Created}
	cfg.Author = "feastflow"
	cfg.Config = v1.Config{
		Entrypoint: []string{"/" + o.Binary},
		User:       User,
		WorkingDir: "/",
		Env:        []string{"PATH=/"},
		Labels:     Labels(o),
	}
	return mutate.ConfigFile(img, cfg)
}

// Labels are the OCI annotations the image's config carries.
func Labels(o Options) map[string]string {
	l := map[string]string{
		"org.opencontainers.image.title":       o.Binary,
		"org.opencontainers.image.description": "Validating admission webhook enforcing the kubectl-feastflow policy catalog",
		"org.opencontainers.image.source":      o.Source,
		"org.opencontainers.image.version":     o.Version,
		"org.opencontainers.image.created":     o.Created.UTC().Format(time.RFC3339),
	}
	if o.Revision != "" {
		l["org.opencontainers.image.revision"] = o.Revision
	}
	return l
}

// layerTarball is the layer's uncompressed tar, byte for byte the same
// for the same inputs: fixed order, owners and times.
func layerTarball(name string, binary []byte, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	entries := []struct {
		name string
		mode int64
		data []byte
		dir  bool
	}{
		{name: "etc/", mode: 0o755, dir: true},
		{name: "etc/group", mode: 0o644, data: []byte(group)},
		{name: "etc/passwd", mode: 0o644, data: []byte(passwd)},
		{name: "home/", mode: 0o755, dir: true},
		{name: "home/nonroot/", mode: 0o700, dir: true},
		{name: name, mode: 0o755, data: binary},
	}
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, ModTime: mtime, Format: tar.FormatPAX, Typeflag: tar.TypeReg, Size: int64(len(e.data))}
		if e.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if e.name == "home/nonroot/" {
			h.Uid, h.Gid = 65532, 65532
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("layer tar: %w", err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, fmt.Errorf("layer tar: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("layer tar: %w", err)
	}
	return buf.Bytes(), nil
}

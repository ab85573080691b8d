package main

import (
	"archive/tar"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testOptions build the real webhook from this checkout at the version
// of the VERSION file.
func testOptions(t *testing.T) Options {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	version, err := ReadVersion(filepath.Join(root, "VERSION"))
	require.NoError(t, err)
	plats, err := parsePlatforms("linux/amd64,linux/arm64")
	require.NoError(t, err)
	return Options{
		Root: root, Package: "cmd/feastflow-webhook", Binary: "feastflow-webhook",
		Version: version, Revision: "0123456789abcdef0123", Source: "https://github.com/feastflow/kubectl-feastflow",
		Created: time.Unix(1767225600, 0).UTC(), Platforms: plats,
	}
}

// TestImage builds the image twice (reproducible: same digest, same
// tarball), opens the written layout with go-containerregistry, checks
// every platform's config and layer, extracts the binary of this
// machine's architecture and runs its --version.
func TestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the webhook twice")
	}
	o := testOptions(t)
	first, err := Build(o, t.TempDir(), "ghcr.io/feastflow/feastflow-webhook")
	require.NoError(t, err)
	second, err := Build(o, t.TempDir(), "ghcr.io/feastflow/feastflow-webhook")
	require.NoError(t, err)
	assert.Equal(t, first.Digest, second.Digest, "two builds of one commit differ")
	assert.Equal(t, fileSHA(t, first.Tarball), fileSHA(t, second.Tarball), "two tarballs of one commit differ")
	t.Logf("index %s", first.Digest)

	p, err := layout.FromPath(first.Layout)
	require.NoError(t, err)
	top, err := p.ImageIndex()
	require.NoError(t, err)
	topManifest, err := top.IndexManifest()
	require.NoError(t, err)
	require.Len(t, topManifest.Manifests, 1, "index.json names one image index")
	assert.Equal(t, types.OCIImageIndex, topManifest.Manifests[0].MediaType)
	assert.Equal(t, "ghcr.io/feastflow/feastflow-webhook:"+o.Version, topManifest.Manifests[0].Annotations[annotationImageName])
	assert.Equal(t, o.Version, topManifest.Manifests[0].Annotations[annotationRefName])
	assert.Equal(t, first.Digest, topManifest.Manifests[0].Digest)

	idx, err := top.ImageIndex(first.Digest)
	require.NoError(t, err)
	im, err := idx.IndexManifest()
	require.NoError(t, err)
	require.Len(t, im.Manifests, 2)
	ran := false
	for i, want := range []string{"amd64", "arm64"} {
		desc := im.Manifests[i]
		require.NotNil(t, desc.Platform)
		assert.Equal(t, "linux", desc.Platform.OS)
		assert.Equal(t, want, desc.Platform.Architecture)
		assert.Equal(t, types.OCIManifestSchema1, desc.MediaType)
		img, err := idx.Image(desc.Digest)
		require.NoError(t, err)
		cfg, err := img.ConfigFile()
		require.NoError(t, err)
		assert.Equal(t, want, cfg.Architecture)
		assert.Equal(t, []string{"/feastflow-webhook"}, cfg.Config.Entrypoint)
		assert.Equal(t, "65532:65532", cfg.Config.User)
		assert.Equal(t, "https://github.com/feastflow/kubectl-feastflow", cfg.Config.Labels["org.opencontainers.image.source"])
		assert.Equal(t, o.Version, cfg.Config.Labels["org.opencontainers.image.version"])
		assert.Equal(t, o.Revision, cfg.Config.Labels["org.opencontainers.image.revision"])
		assert.True(t, cfg.Created.Time.Equal(o.Created))

		files := imageFiles(t, mutate.Extract(img))
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		assert.ElementsMatch(t, []string{"etc", "etc/group", "etc/passwd", "home", "home/nonroot", "feastflow-webhook"}, names, "the image holds the binary, users and nothing else (no shell)")
		assert.Contains(t, string(files["etc/passwd"].data), "nonroot:x:65532:65532:")
		bin := filepath.Join(t.TempDir(), "feastflow-webhook-"+want)
		require.NoError(t, os.WriteFile(bin, files["feastflow-webhook"].data, 0o755))
		assert.EqualValues(t, 0o755, files["feastflow-webhook"].mode&0o777)
		assertStatic(t, bin, want)
		if want == runtime.GOARCH {
			out, err := exec.Command(bin, "--version").CombinedOutput()
			require.NoError(t, err, "%s", out)
			want := "feastflow-webhook " + o.Version + " (commit " + o.Revision[:12] + ", built 2026-01-01T00:00:00Z, "
			assert.True(t, strings.HasPrefix(strings.TrimSpace(string(out)), want), "--version printed %q, want %q...", out, want)
			ran = true
		}
	}
	assert.True(t, ran || runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64", "the binary of this machine was not run")
	assertTarball(t, first.Tarball, "ghcr.io/feastflow/feastflow-webhook:"+o.Version)
}

type imageFile struct {
	mode int64
	data []byte
}

// imageFiles reads the flattened filesystem of an image.
func imageFiles(t *testing.T, rc io.ReadCloser) map[string]imageFile {
	t.Helper()
	defer rc.Close()
	files := map[string]imageFile{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		require.NoError(t, err)
		data, err := io.ReadAll(tr)
		require.NoError(t, err)
		// mutate.Extract writes directory names without the trailing
		// slash the layer has; compare names in that cleaned form.
		files[strings.TrimSuffix(h.Name, "/")] = imageFile{mode: h.Mode, data: data}
	}
}

// assertStatic checks the ELF binary's architecture and that it has no
// interpreter (no dynamic loader, no libc needed).
func assertStatic(t *testing.T, bin, arch string) {
	t.Helper()
	f, err := elf.Open(bin)
	require.NoError(t, err)
	defer f.Close()
	machines := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}
	assert.Equal(t, machines[arch], f.Machine)
	for _, prog := range f.Progs {
		assert.NotEqual(t, elf.PT_INTERP, prog.Type, "%s binary is dynamically linked", arch)
	}
}

// assertTarball checks the archive holds the OCI layout (oci-layout,
// index.json, blobs) and a docker load manifest.json naming ref.
func assertTarball(t *testing.T, file, ref string) {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	files := imageFiles(t, f)
	require.Contains(t, files, "oci-layout")
	require.Contains(t, files, "index.json")
	var legacy []dockerManifest
	require.NoError(t, json.Unmarshal(files["manifest.json"].data, &legacy))
	require.Len(t, legacy, 1)
	assert.Equal(t, []string{ref}, legacy[0].RepoTags)
	for _, blob := range append([]string{legacy[0].Config}, legacy[0].Layers...) {
		assert.Contains(t, files, blob, "manifest.json names a blob the archive lacks")
	}
}

func fileSHA(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

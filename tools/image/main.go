// Command image builds the feastflow-webhook container image with Go
// tooling only (no Docker daemon, no base image to pull): a static binary
// per platform on an empty base, as one OCI image index, written as an OCI
// image layout directory and as a tarball that docker load, kind load
// image-archive and ctr images import accept. The same commit gives the
// same digest. `make image` runs it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	root := fs.String("root", "../..", "Repository root")
	out := fs.String("out", "../../bin/image", "Output directory: oci/ (the layout) and <name>.tar")
	versionFile := fs.String("version-file", "", "File holding the version (default: ROOT/VERSION)")
	repo := fs.String("repository", "ghcr.io/feastflow/feastflow-webhook", "Image repository the tag belongs to")
	source := fs.String("source", "https://github.com/feastflow/kubectl-feastflow", "Source repository URL (label)")
	platforms := fs.String("platforms", "linux/amd64,linux/arm64", "Comma-separated os/arch list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rootDir, err := filepath.Abs(*root)
	if err != nil {
		return err
	}
	if *versionFile == "" {
		*versionFile = filepath.Join(rootDir, "VERSION")
	}
	version, err := ReadVersion(*versionFile)
	if err != nil {
		return err
	}
	plats, err := parsePlatforms(*platforms)
	if err != nil {
		return err
	}
	rev, created := commit(rootDir)
	o := Options{
		Root: rootDir, Package: "cmd/feastflow-webhook", Binary: "feastflow-webhook",
		Version: version, Revision: rev, Source: *source, Created: created, Platforms: plats,
	}
	res, err := Build(o, *out, *repo)
	if err != nil {
		return err
	}
	fmt.Printf("built %s (%s)\n  index   %s\n  layout  %s\n  tarball %s\n", res.Ref, strings.Join(strings.Split(*platforms, ","), ", "), res.Digest, res.Layout, res.Tarball)
	return nil
}

// Result is where Build wrote the image.
type Result struct {
	Ref, Layout, Tarball string
	Digest               v1.Hash
}

// Build builds the index and writes OUT/oci and OUT/<binary>-<version>.oci.tar.
func Build(o Options, out, repository string) (*Result, error) {
	work, err := os.MkdirTemp("", "feastflow-image-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	idx, err := BuildIndex(o, work)
	if err != nil {
		return nil, err
	}
	digest, err := idx.Digest()
	if err != nil {
		return nil, err
	}
	res := &Result{
		Ref: repository + ":" + o.Version, Digest: digest,
		Layout:  filepath.Join(out, "oci"),
		Tarball: filepath.Join(out, o.Binary+"-"+o.Version+".oci.tar"),
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if _, err := WriteLayout(res.Layout, idx, res.Ref, o.Version); err != nil {
		return nil, err
	}
	if err := WriteTarball(res.Tarball, res.Layout, idx, res.Ref, o.Created); err != nil {
		return nil, err
	}
	return res, nil
}

// ReadVersion reads the one version variable: the first line of file.
func ReadVersion(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read version: %w", err)
	}
	v := strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0])
	if v == "" {
		return "", fmt.Errorf("%s: empty version", file)
	}
	return v, nil
}

func parsePlatforms(s string) ([]v1.Platform, error) {
	var out []v1.Platform
	for _, p := range strings.Split(s, ",") {
		osName, arch, ok := strings.Cut(strings.TrimSpace(p), "/")
		if !ok || osName == "" || arch == "" {
			return nil, fmt.Errorf("--platforms: %q is not os/arch", p)
		}
		out = append(out, v1.Platform{OS: osName, Architecture: arch})
	}
	return out, nil
}

// commit is HEAD's hash and time; outside a git checkout, none and the
// Unix epoch (still reproducible). SOURCE_DATE_EPOCH overrides the time.
func commit(root string) (string, time.Time) {
	created := time.Unix(0, 0).UTC()
	var rev string
	if out, err := exec.Command("git", "-C", root, "log", "-1", "--format=%H %ct").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) == 2 {
			rev = f[0]
			if sec, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				created = time.Unix(sec, 0).UTC()
			}
		}
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
			created = time.Unix(sec, 0).UTC()
		}
	}
	return rev, created
}

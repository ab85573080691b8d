package release

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The platforms every release ships (.goreleaser.yaml's goos × goarch).
var targets = []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}

// snapshot is what `make dist` left in dist/.
type snapshot struct {
	dir       string
	meta      metadata
	archives  map[string]artifact // by file name
	checksums map[string]string   // file name -> sha256, from checksums.txt
}

// metadata is the part of goreleaser's dist/metadata.json the test reads.
type metadata struct {
	ProjectName string    `json:"project_name"`
	Version     string    `json:"version"`
	Commit      string    `json:"commit"`
	Date        time.Time `json:"date"`
}

// artifact is one entry of goreleaser's dist/artifacts.json.
type artifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Goos   string `json:"goos"`
	Goarch string `json:"goarch"`
	Type   string `json:"type"`
}

// loadSnapshot reads dist/, or skips when `make dist` has not run:
// goreleaser builds six targets, minutes of CPU that `make test` does not pay.
func loadSnapshot(t *testing.T) snapshot {
	t.Helper()
	dir := os.Getenv("FEASTFLOW_DIST")
	if dir == "" {
		dir = filepath.Join("..", "..", "dist")
	}
	// goreleaser writes artifacts.json last: without it there is no
	// finished snapshot.
	if _, err := os.Stat(filepath.Join(dir, "artifacts.json")); err != nil {
		if os.Getenv("FEASTFLOW_DIST") != "" {
			t.Fatalf("FEASTFLOW_DIST=%s holds no goreleaser snapshot: %v", dir, err)
		}
		t.Skip("no snapshot release in dist/: `make dist` builds one and runs this test")
	}
	s := snapshot{dir: dir, archives: map[string]artifact{}, checksums: map[string]string{}}
	readJSON(t, filepath.Join(dir, "metadata.json"), &s.meta)

	var artifacts []artifact
	readJSON(t, filepath.Join(dir, "artifacts.json"), &artifacts)
	for _, a := range artifacts {
		if a.Type == "Archive" {
			s.archives[a.Name] = a
		}
	}

	f, err := os.Open(filepath.Join(dir, "checksums.txt"))
	require.NoError(t, err)
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		sum, name, ok := strings.Cut(lines.Text(), "  ")
		require.True(t, ok, "checksums.txt line %q is not `SHA256  NAME`", lines.Text())
		s.checksums[name] = sum
	}
	require.NoError(t, lines.Err())
	return s
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v), file)
}

func fileSHA256(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// renderKrewManifest renders .krew.yaml as krew-release-bot does on a
// release: text/template with .TagName; addURIAndSha renders the URL
// template, takes the archive's sha256 (here from dist/ instead of the
// download) and returns "uri: URL\n    sha256: SUM", four spaces as the
// bot's own; indent N re-indents that for deeper nesting.
func renderKrewManifest(t *testing.T, s snapshot, tag string) []byte {
	t.Helper()
	var sums []string
	funcs := template.FuncMap{
		"addURIAndSha": func(url, tag string) (string, error) {
			var u bytes.Buffer
			inner, err := template.New("url").Parse(url)
			if err != nil {
				return "", err
			}
			if err := inner.Execute(&u, map[string]string{"TagName": tag, "Version": strings.TrimPrefix(tag, "v")}); err != nil {
				return "", err
			}
			name := path.Base(u.String())
			if _, ok := s.archives[name]; !ok {
				return "", fmt.Errorf("%s names %s, which goreleaser did not produce", u.String(), name)
			}
			sum := fileSHA256(t, filepath.Join(s.dir, name))
			sums = append(sums, sum)
			return fmt.Sprintf("uri: %s\n    sha256: %s", u.String(), sum), nil
		},
		"indent": func(n int, v string) string {
			v = strings.ReplaceAll(v, "    sha256:", "sha256:")
			pad := strings.Repeat(" ", n)
			return strings.TrimSpace(pad + strings.ReplaceAll(v, "\n", "\n"+pad))
		},
	}
	tmpl, err := template.New(".krew.yaml").Funcs(funcs).ParseFiles(filepath.Join("..", "..", ".krew.yaml"))
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, tmpl.Execute(&out, map[string]string{"TagName": tag}))
	require.NotEmpty(t, sums, ".krew.yaml names no archive")
	return out.Bytes()
}

// TestDistMatchesKrewManifest checks the snapshot release against
// .krew.yaml: one archive per target, checksums.txt right, the manifest as
// krew-release-bot would render it valid by krew's own validator, and every
// platform installed by krew itself from its archive (sha256 checked, LICENSE
// present, the plugin binary linked); the host's binary reports the release.
func TestDistMatchesKrewManifest(t *testing.T) {
	s := loadSnapshot(t)
	tag := "v" + s.meta.Version

	want := map[string]string{} // archive name -> target
	for _, target := range targets {
		want[archiveName(tag, target)] = target
	}
	for name, a := range s.archives {
		assert.Equal(t, want[name], a.Goos+"/"+a.Goarch, "archive %s: unexpected name or target", name)
		assert.Equal(t, fileSHA256(t, filepath.Join(s.dir, name)), s.checksums[name], "checksums.txt entry of %s", name)
	}
	assert.Len(t, s.archives, len(targets), "one archive per target")

	manifestDir := t.TempDir()
	manifest := filepath.Join(manifestDir, "feastflow.yaml")
	require.NoError(t, os.WriteFile(manifest, renderKrewManifest(t, s, tag), 0o644))
	validate := goTool(t, "validate-krew-manifest", "-manifest", manifest, "-skip-install")
	out, err := validate.CombinedOutput()
	require.NoError(t, err, "krew's validate-krew-manifest:\n%s", out)

	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			installWithKrew(t, s, manifest, target)
		})
	}
}

// archiveName is the archive goreleaser names for target ("linux/amd64"),
// the name .krew.yaml's URLs end in.
func archiveName(tag, target string) string {
	goos, goarch, _ := strings.Cut(target, "/")
	ext := ".tar.gz"
	if goos == "windows" {
		ext = ".zip"
	}
	return fmt.Sprintf("kubectl-feastflow_%s_%s_%s%s", tag, goos, goarch, ext)
}

// installWithKrew installs target's archive with krew itself, as a user of
// that platform would (KREW_OS and KREW_ARCH pick the platform, --archive
// stands in for the download, krew checks its sha256 against the manifest),
// then checks what krew installed.
func installWithKrew(t *testing.T, s snapshot, manifest, target string) {
	goos, goarch, _ := strings.Cut(target, "/")
	tag := "v" + s.meta.Version
	root := t.TempDir()
	install := goTool(t, "krew", "install", "--manifest="+manifest, "--archive="+filepath.Join(s.dir, archiveName(tag, target)))
	install.Env = append(os.Environ(), "KREW_ROOT="+root, "KREW_OS="+goos, "KREW_ARCH="+goarch)
	out, err := install.CombinedOutput()
	require.NoError(t, err, "krew install:\n%s", out)

	store := filepath.Join(root, "store", "feastflow", tag)
	license, err := os.ReadFile(filepath.Join(store, "LICENSE"))
	require.NoError(t, err, "LICENSE in the archive")
	repoLicense, err := os.ReadFile(filepath.Join("..", "..", "LICENSE"))
	require.NoError(t, err)
	assert.Equal(t, string(repoLicense), string(license), "the archive's LICENSE is the repository's")

	exe, shim := "kubectl-feastflow", "kubectl_complete-feastflow"
	if goos == "windows" {
		exe, shim = exe+".exe", shim+".cmd"
	}
	for _, name := range []string{exe, shim} {
		info, err := os.Stat(filepath.Join(store, name))
		require.NoError(t, err, "%s in the archive", name)
		if goos != "windows" {
			assert.NotZero(t, info.Mode().Perm()&0o111, "%s is executable", name)
		}
	}
	bin := filepath.Join(root, "bin", exe)
	_, err = os.Stat(bin)
	require.NoError(t, err, "krew linked the plugin binary")

	if target != runtime.GOOS+"/"+runtime.GOARCH {
		return
	}
	out, err = exec.Command(bin, "version", "-o", "json").Output()
	require.NoError(t, err)
	var info struct {
		Binary, Version, Commit, BuildDate, Platform string
	}
	require.NoError(t, json.Unmarshal(out, &info))
	assert.Equal(t, "kubectl-feastflow", info.Binary)
	assert.Equal(t, tag, info.Version)
	assert.Equal(t, s.meta.Commit, info.Commit)
	assert.Equal(t, s.meta.Date.UTC().Format(time.RFC3339), info.BuildDate)
	assert.Equal(t, target, info.Platform)
}

// goTool runs a tool pinned in this module's go.mod.
func goTool(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	return exec.Command("go", append([]string{"tool", name}, args...)...)
}

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// hook is one entry of .pre-commit-hooks.yaml.
type hook struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Description   string   `json:"description"`
	Entry         string   `json:"entry"`
	Args          []string `json:"args"`
	Language      string   `json:"language"`
	Files         string   `json:"files"`
	RequireSerial bool     `json:"require_serial"`
}

// runHook runs a hook as pre-commit does: entry, then args, then the
// staged files that match `files`, from the repository root (dir), with
// this test binary as kubectl-feastflow.
func runHook(t *testing.T, h hook, dir string, args, staged []string) (string, int) {
	t.Helper()
	files := regexp.MustCompile(h.Files)
	argv := append(strings.Fields(h.Entry), args...)
	for _, f := range staged {
		if files.MatchString(f) {
			argv = append(argv, f)
		}
	}
	// The entry's program, as PATH would find it with the plugin installed.
	require.Equal(t, "kubectl-feastflow", argv[0])
	cmd := exec.Command(pluginShim(t), argv[1:]...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil {
		require.ErrorAs(t, err, &exit)
		return out.String(), exit.ExitCode()
	}
	return out.String(), 0
}

func loadHooks(t *testing.T) []hook {
	t.Helper()
	b, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	require.NoError(t, err)
	var hooks []hook
	require.NoError(t, yaml.UnmarshalStrict(b, &hooks))
	require.NotEmpty(t, hooks)
	return hooks
}

// TestPreCommitHooks runs every hook on a copy of FeastFlow's manifests
// with one staged file: the whole tree is read, so the NetworkPolicies in
// another file cover the staged Deployment; only the staged file is
// reported. The same file linted alone fails those cross-object rules.
func TestPreCommitHooks(t *testing.T) {
	repo := t.TempDir()
	require.NoError(t, os.CopyFS(filepath.Join(repo, "k8s"), os.DirFS("../../manifests/feastflow/base")))
	before := filepath.Join(repo, "before")
	require.NoError(t, os.CopyFS(before, os.DirFS("../../testdata/before")))
	args := []string{"-R", "-f", "k8s/"}

	for _, h := range loadHooks(t) {
		t.Run(h.ID, func(t *testing.T) {
			assert.Contains(t, []string{"golang", "system"}, h.Language)
			assert.True(t, h.RequireSerial, "one run must see every staged file")
			assert.Equal(t, "kubectl-feastflow lint", h.Entry)

			out, code := runHook(t, h, repo, args, []string{"k8s/backend-deployment.yaml", "README.md"})
			assert.Equal(t, 0, code, out)
			assert.Contains(t, out, "passed")

			out, code = runHook(t, h, repo, []string{"-f", "k8s/backend-deployment.yaml"}, []string{"k8s/backend-deployment.yaml"})
			assert.Equal(t, 1, code, "alone, the Deployment lacks its NetworkPolicies:\n%s", out)
			assert.Contains(t, out, "netpol-default-deny-required")

			out, code = runHook(t, h, repo, []string{"-R", "-f", "before/"}, []string{"before/06-backend-deployment.yaml"})
			assert.Equal(t, 1, code, out)
			assert.Contains(t, out, "before/06-backend-deployment.yaml")
			assert.NotContains(t, out, "02-secrets.yaml", "findings in files not staged are not reported")
		})
	}
}

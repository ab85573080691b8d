package lint_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files")

func TestLintExitCodes(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("apiVersion: v1\nkind: [\n"), 0o644))
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"shipped manifests are clean", []string{"lint", "-R", "-f", "../../../manifests/"}, cmdutil.ExitOK},
		{"prod overlay is clean", []string{"lint", "-k", "../../../manifests/feastflow/overlays/prod"}, cmdutil.ExitOK},
		{"dev overlay is clean", []string{"lint", "-k", "../../../manifests/feastflow/overlays/dev"}, cmdutil.ExitOK},
		{"before copy has deny findings", []string{"lint", "-f", "../../../testdata/before"}, cmdutil.ExitFindings},
		{"warnings pass by default", []string{"lint", "-f", "testdata/warn-only.yaml"}, cmdutil.ExitOK},
		{"warnings fail with --fail-on=warn", []string{"lint", "-f", "testdata/warn-only.yaml", "--fail-on=warn"}, cmdutil.ExitFindings},
		{"malformed file is an input error", []string{"lint", "-f", dir, "-f", "../../../testdata/before"}, cmdutil.ExitUsage},
		{"no input", []string{"lint"}, cmdutil.ExitUsage},
		{"unknown format", []string{"lint", "-f", "../../../testdata/before", "-o", "xml"}, cmdutil.ExitUsage},
		{"unknown param", []string{"lint", "-f", "../../../testdata/before", "--param", "nope=1"}, cmdutil.ExitUsage},
		{"bad pod security level", []string{"lint", "-f", "../../../testdata/before", "--param", "pod_security_level=strict"}, cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := clitest.Run(t, tt.args...)
			assert.Equal(t, tt.want, code, out)
		})
	}
}

func TestMalformedFileDoesNotHideOthers(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\n  bad: indent\n"), 0o644))
	out, code := clitest.Run(t, "lint", "-f", dir, "-f", "../../../testdata/before", "-o", "json")
	require.Equal(t, cmdutil.ExitUsage, code)
	var doc struct {
		Findings []struct {
			RuleID string `json:"ruleID"`
		} `json:"findings"`
		Errors []struct {
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	require.Len(t, doc.Errors, 1)
	assert.Equal(t, filepath.Join(dir, "broken.yaml"), doc.Errors[0].File)
	assert.Equal(t, 3, doc.Errors[0].Line)
	assert.NotEmpty(t, doc.Findings, "the other files are still checked")
}

// TestBeforeGolden pins lint's text output on the "before" copy of
// FeastFlow's manifests, linted from the repository's root as README shows
// it; -update rewrites it.
func TestBeforeGolden(t *testing.T) {
	t.Chdir(filepath.Join("..", "..", ".."))
	for _, format := range []string{"text", "sarif"} {
		t.Run(format, func(t *testing.T) {
			out, code := clitest.Run(t, "lint", "-f", "testdata/before", "-o", format)
			require.Equal(t, cmdutil.ExitFindings, code)
			golden := filepath.Join("testdata", "golden", "before."+format)
			if *updateGolden {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), out)
		})
	}
}

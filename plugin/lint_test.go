package plugin

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files")

// runCLI runs the root command with args and returns stdout and the exit code.
func runCLI(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := NewCmdFeastflow(genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut})
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), ExitCode(err)
}

func TestLintExitCodes(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("apiVersion: v1\nkind: [\n"), 0o644))
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"shipped manifests are clean", []string{"lint", "-R", "-f", "../manifests/"}, ExitOK},
		{"prod overlay is clean", []string{"lint", "-k", "../manifests/feastflow/overlays/prod"}, ExitOK},
		{"dev overlay is clean", []string{"lint", "-k", "../manifests/feastflow/overlays/dev"}, ExitOK},
		{"before copy has deny findings", []string{"lint", "-f", "../testdata/before"}, ExitFindings},
		{"warnings pass by default", []string{"lint", "-f", "testdata/warn-only.yaml"}, ExitOK},
		{"warnings fail with --fail-on=warn", []string{"lint", "-f", "testdata/warn-only.yaml", "--fail-on=warn"}, ExitFindings},
		{"malformed file is an input error", []string{"lint", "-f", dir, "-f", "../testdata/before"}, ExitUsage},
		{"no input", []string{"lint"}, ExitUsage},
		{"unknown format", []string{"lint", "-f", "../testdata/before", "-o", "xml"}, ExitUsage},
		{"unknown param", []string{"lint", "-f", "../testdata/before", "--param", "nope=1"}, ExitUsage},
		{"bad pod security level", []string{"lint", "-f", "../testdata/before", "--param", "pod_security_level=strict"}, ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := runCLI(t, tt.args...)
			assert.Equal(t, tt.want, code, out)
		})
	}
}

func TestMalformedFileDoesNotHideOthers(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\n  bad: indent\n"), 0o644))
	out, code := runCLI(t, "lint", "-f", dir, "-f", "../testdata/before", "-o", "json")
	require.Equal(t, ExitUsage, code)
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
// FeastFlow's manifests; -update rewrites it.
func TestBeforeGolden(t *testing.T) {
	for _, format := range []string{"text", "sarif"} {
		t.Run(format, func(t *testing.T) {
			out, code := runCLI(t, "lint", "-f", "../testdata/before", "-o", format)
			require.Equal(t, ExitFindings, code)
			golden := filepath.Join("..", "testdata", "golden", "before."+format)
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

func TestRulesCommand(t *testing.T) {
	out, code := runCLI(t, "rules")
	require.Equal(t, ExitOK, code)
	assert.Contains(t, out, "liveness-probe-required")
	out, code = runCLI(t, "rules", "netpol-default-deny-required")
	require.Equal(t, ExitOK, code)
	assert.Contains(t, out, "How to fix:")
	_, code = runCLI(t, "rules", "no-such-rule")
	assert.Equal(t, ExitUsage, code)
}

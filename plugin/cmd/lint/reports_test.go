package lint_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

func TestLintReportFiles(t *testing.T) {
	dir := t.TempDir()
	sarif, summary := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "summary.md")
	out, code := clitest.Run(t, "lint", "-f", "../../../testdata/before", "-o", "json",
		"--report", "sarif="+sarif, "--report", "markdown="+summary)
	assert.Equal(t, cmdutil.ExitFindings, code)

	var doc struct {
		Findings []json.RawMessage `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), "stdout keeps -o json")
	b, err := os.ReadFile(sarif)
	require.NoError(t, err)
	var log struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(b, &log))
	require.Len(t, log.Runs, 1)
	assert.Len(t, log.Runs[0].Results, len(doc.Findings), "the SARIF file holds the same run's findings")
	b, err = os.ReadFile(summary)
	require.NoError(t, err)
	assert.Contains(t, string(b), "| [`secret-values-in-manifest`]")

	for _, bad := range []string{"sarif", "xml=" + filepath.Join(dir, "x"), "sarif="} {
		_, code := clitest.Run(t, "lint", "-f", "../../../testdata/before", "--report", bad)
		assert.Equal(t, cmdutil.ExitUsage, code, "--report %s", bad)
	}
}

// findings is the part of lint's JSON output these tests read.
type findings struct {
	Findings []struct {
		RuleID   string `json:"ruleID"`
		Location struct {
			File string `json:"file"`
		} `json:"location"`
	} `json:"findings"`
}

// treeFindings lints dir as a whole and returns the rule ids of the
// findings located in file: what reporting only file must show.
func treeFindings(t *testing.T, dir, file string) []string {
	t.Helper()
	out, _ := clitest.Run(t, "lint", "-o", "json", "-R", "-f", dir)
	var all findings
	require.NoError(t, json.Unmarshal([]byte(out), &all))
	var rules []string
	for _, f := range all.Findings {
		if f.Location.File == file {
			rules = append(rules, f.RuleID)
		}
	}
	return rules
}

func TestLintOnlyReport(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		code  int
		files []string
		rules []string
	}{
		{
			name: "positional file", args: []string{"-R", "-f", "../../../testdata/before", "../../../testdata/before/06-backend-deployment.yaml"},
			code: cmdutil.ExitFindings, files: []string{"../../../testdata/before/06-backend-deployment.yaml"},
			rules: treeFindings(t, "../../../testdata/before", "../../../testdata/before/06-backend-deployment.yaml"),
		},
		{
			name: "flag, spelled differently", args: []string{"-R", "-f", "../../../testdata/before", "--only-report", "./../../../testdata/before/06-backend-deployment.yaml"},
			code: cmdutil.ExitFindings, files: []string{"../../../testdata/before/06-backend-deployment.yaml"},
		},
		{name: "clean file in a failing tree", args: []string{"-R", "-f", "../../../testdata/before", "../../../testdata/before/01-configmap.yaml"}, code: cmdutil.ExitOK},
		{
			// The tree's NetworkPolicies cover the Deployment; alone it fails.
			name: "cross-object rules see the whole tree", args: []string{"-R", "-f", "../../../manifests/feastflow/base", "../../../manifests/feastflow/base/backend-deployment.yaml"},
			code: cmdutil.ExitOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rules != nil {
				require.NotEmpty(t, tt.rules)
				require.Contains(t, tt.rules, "netpol-default-deny-required", "a cross-object finding")
			}
			out, code := clitest.Run(t, append([]string{"lint", "-o", "json"}, tt.args...)...)
			require.Equal(t, tt.code, code, out)
			var got findings
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			var rules []string
			for _, f := range got.Findings {
				assert.Contains(t, tt.files, f.Location.File)
				rules = append(rules, f.RuleID)
			}
			if tt.rules != nil {
				assert.ElementsMatch(t, tt.rules, rules)
			}
		})
	}
	_, code := clitest.Run(t, "lint", "-o", "json", "-f", "../../../manifests/feastflow/base/backend-deployment.yaml")
	assert.Equal(t, cmdutil.ExitFindings, code, "alone, the Deployment lacks its NetworkPolicies")
}

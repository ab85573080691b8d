package test_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmd/test"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

const teamRule = `# METADATA
# title: Deployments carry a team label
# description: Every Deployment names its team.
# related_resources:
#   - ref: https://example.com/labels
# custom:
#   id: team-label-required
#   kinds: [Deployment]
#   severity: deny
#   remediation: Add metadata.labels.team.
package acme.ownership.team_label

violation contains {"msg": sprintf("%s has no team label", [input.object.metadata.name])} if {
	not input.object.metadata.labels.team
}
`

const teamTests = `package acme.ownership.team_label_test

import data.acme.ownership.team_label

test_missing if {
	count(team_label.violation) == 1 with input as {"object": {"metadata": {"name": "a"}}}
}

test_present if {
	count(team_label.violation) == 0 with input as {"object": {"metadata": {"name": "a", "labels": {"team": "x"}}}}
}
`

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
%s
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.0
`

// ruleDir writes a policy directory with the team rule in its own folder,
// as the built-in rules are laid out, plus the given extra files.
func ruleDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	folder := filepath.Join(dir, "ownership", "team-label-required")
	require.NoError(t, os.MkdirAll(folder, 0o755))
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(folder, name), []byte(content), 0o644))
	}
	return dir
}

func withLabels(labels string) string { return strings.Replace(deployment, "%s", labels, 1) }

// TestTestCommand: `kubectl feastflow test DIR` runs the Rego unit tests
// and the fixtures of the rules under DIR; exit codes as lint's. (No such
// command existed before.)
func TestTestCommand(t *testing.T) {
	good := map[string]string{
		"team.rego":      teamRule,
		"team_test.rego": teamTests,
		"fail.yaml":      withLabels(""),
		"pass.yaml":      withLabels("  labels: {team: shop}"),
	}
	with := func(name, content string) map[string]string {
		files := map[string]string{}
		for k, v := range good {
			files[k] = v
		}
		files[name] = content
		return files
	}
	tests := []struct {
		name     string
		files    map[string]string
		code     int
		contains []string
	}{
		{"everything passes", good, cmdutil.ExitOK, []string{"PASS", "test_missing", "test_present", "fail.yaml  team-label-required (1 findings)", "4 passed, 0 failed"}},
		{"a failing Rego test", with("team_test.rego", teamTests+"\ntest_wrong if {\n\tcount(team_label.violation) == 2 with input as {\"object\": {\"metadata\": {\"name\": \"a\"}}}\n}\n"),
			cmdutil.ExitFindings, []string{"FAIL", "team_test.rego:13", "test_wrong", "4 passed, 1 failed"}},
		{"a pass fixture with findings", with("pass.yaml", withLabels("")), cmdutil.ExitFindings,
			[]string{"pass.yaml should produce no team-label-required findings, produced 1: shop/Deployment/api: api has no team label"}},
		{"a fail fixture without findings", with("fail.yaml", withLabels("  labels: {team: shop}")), cmdutil.ExitFindings,
			[]string{"fail.yaml should produce team-label-required findings, produced none"}},
		{"a fixture that does not parse", with("fail.yaml", "apiVersion: v1\nkind: [\n"), cmdutil.ExitUsage, []string{"fail.yaml:2", "1 input errors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := ruleDir(t, tt.files)
			out, msg, code := clitest.RunErr(t, "test", dir)
			assert.Equal(t, tt.code, code, out+msg)
			for _, s := range tt.contains {
				assert.Contains(t, out, s)
			}
		})
	}
}

// TestTestCommandErrors: what cannot be run is exit 2, naming file and line.
func TestTestCommandErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"test module does not compile", map[string]string{"team.rego": teamRule, "team_test.rego": "package x_test\n\ntest_a if {\n\tundefined_fn(1)\n}\n"},
			"team_test.rego:4"},
		{"rule without metadata", map[string]string{"team.rego": "package acme.team\n\ndeny contains \"x\" if true\n"}, "team.rego:3"},
		{"nothing to test", map[string]string{"team.rego": teamRule}, "no Rego tests (_test.rego) and no rule fixtures"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := ruleDir(t, tt.files)
			_, msg, code := clitest.RunErr(t, "test", dir)
			assert.Equal(t, cmdutil.ExitUsage, code, msg)
			assert.Contains(t, msg, tt.want)
		})
	}
}

func TestTestCommandJSON(t *testing.T) {
	dir := ruleDir(t, map[string]string{"team.rego": teamRule, "team_test.rego": teamTests, "fail.yaml": withLabels("")})
	out, msg, code := clitest.RunErr(t, "test", dir, "-o", "json")
	require.Equal(t, cmdutil.ExitOK, code, msg)
	var report test.TestReport
	require.NoError(t, json.Unmarshal([]byte(out), &report), out)
	assert.Len(t, report.Tests, 2)
	require.Len(t, report.Fixtures, 1)
	assert.Equal(t, test.FixtureResult{Rule: "team-label-required", File: filepath.Join(dir, "ownership", "team-label-required", "fail.yaml"), Pass: true, Findings: 1}, report.Fixtures[0])
	assert.Equal(t, test.TestSummary{Pass: 3}, report.Summary)
}

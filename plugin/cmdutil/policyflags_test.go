package cmdutil_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

// TestBadParamValues: a parameter value its schema does not allow is exit
// 2 naming the parameter, where the value came from and what is allowed.
// The cpu_limit, max_cpu and params-file cases exited 0 before parameter
// schemas.
func TestBadParamValues(t *testing.T) {
	dir := t.TempDir()
	paramsFile := filepath.Join(dir, "params.yaml")
	require.NoError(t, os.WriteFile(paramsFile, []byte("cpu_limit: deny\nmax_memory: 2Gb\n"), 0o644))
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"enum", []string{"--param", "cpu_limit=dney"},
			[]string{`parameter "cpu_limit" (--param cpu_limit=dney): "dney" is not allowed: want one of warn, deny, off`}},
		{"quantity", []string{"--param", "max_cpu=lots"},
			[]string{`parameter "max_cpu" (--param max_cpu=lots): "lots" is not a Kubernetes quantity`}},
		{"params file names its line", []string{"--params-file", paramsFile},
			[]string{`parameter "max_memory" (` + paramsFile + `:2): "2Gb" is not a Kubernetes quantity`}},
		{"unknown name", []string{"--param", "cpu_limits=deny"},
			[]string{`unknown parameter "cpu_limits" (--param cpu_limits=deny); known parameters: cpu_limit,`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"lint", "-f", "../../testdata/before"}, tt.args...)
			_, msg, code := clitest.RunErr(t, args...)
			assert.Equal(t, cmdutil.ExitUsage, code, msg)
			for _, want := range tt.want {
				assert.Contains(t, msg, want)
			}
		})
	}
}

// TestVerboseSaysWhichRulesAreReplaced: --verbose names each custom rule
// and the built-in rule it replaces.
func TestVerboseSaysWhichRulesAreReplaced(t *testing.T) {
	dir := t.TempDir()
	rule := "# METADATA\n# title: t\n# description: d\n# related_resources:\n#   - ref: https://example.com\n# custom:\n#   id: %s\n#   kinds: [Deployment]\n#   remediation: r\npackage acme.%s\n\nwarn contains \"x\" if false\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cpu.rego"), fmt.Appendf(nil, rule, "cpu-limit", "cpu"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "team.rego"), fmt.Appendf(nil, rule, "team-label", "team"), 0o644))
	_, msg, code := clitest.RunErr(t, "lint", "-f", "../../manifests/feastflow/base", "--policy-dir", dir, "--verbose")
	assert.Equal(t, cmdutil.ExitOK, code, msg)
	assert.Contains(t, msg, "policies: rule cpu-limit from "+filepath.Join(dir, "cpu.rego")+" replaces the built-in rule (policies/rules/resources/cpu-limit/cpu_limit.rego)")
	assert.Contains(t, msg, "policies: custom rule team-label from "+filepath.Join(dir, "team.rego"))
	_, msg, _ = clitest.RunErr(t, "lint", "-f", "../../manifests/feastflow/base", "--policy-dir", dir)
	assert.NotContains(t, msg, "replaces", "quiet without --verbose")
}

// TestPolicyErrorsStopTheRun: lint and apply compile the catalog while they
// read their inputs (StartEngine); a --policy-dir module that does not
// compile is still exit 2 naming its file and line, with no report and
// nothing applied.
func TestPolicyErrorsStopTheRun(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.rego")
	rule := "# METADATA\n# title: t\n# description: d\n# related_resources:\n#   - ref: https://example.com\n# custom:\n#   id: bad\n#   severity: deny\n#   kinds: [Deployment]\n#   remediation: r\npackage acme.bad\n\nviolation contains x if {\n\tx := undefined_function(1)\n}\n"
	require.NoError(t, os.WriteFile(bad, []byte(rule), 0o644))
	// A cluster that is never contacted: the run must stop before.
	kubeconfig := filepath.Join(dir, "kubeconfig")
	require.NoError(t, os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: feastflow}}]
current-context: x
`), 0o600))
	for _, verb := range []string{"lint", "apply"} {
		t.Run(verb, func(t *testing.T) {
			args := []string{verb, "-f", "../../manifests/feastflow/base", "--policy-dir", dir}
			if verb == "apply" {
				args = append(args, "--kubeconfig", kubeconfig)
			}
			out, msg, code := clitest.RunErr(t, args...)
			assert.Equal(t, cmdutil.ExitUsage, code, msg)
			assert.Contains(t, msg, bad+":14:")
			assert.Contains(t, msg, "undefined_function")
			assert.Empty(t, out, "no report, nothing applied")
		})
	}
}

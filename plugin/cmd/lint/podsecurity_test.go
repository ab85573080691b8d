package lint_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

// TestLintPrivilegedExampleReportsEachControl lints issue 11's example (a
// privileged root container with hostNetwork, hostPID, SYS_ADMIN and a
// hostPath / volume): every Pod Security Standards control it violates is
// reported at the line of its field, baseline ones denied, restricted
// ones warned.
func TestLintPrivilegedExampleReportsEachControl(t *testing.T) {
	out, code := clitest.Run(t, "lint", "-f", "../../../testdata/pod-security/privileged.yaml", "-o", "json")
	require.Equal(t, cmdutil.ExitFindings, code, out)
	var doc struct {
		Findings []struct {
			RuleID   string `json:"ruleID"`
			Severity string `json:"severity"`
			Field    string `json:"field"`
			Location struct {
				Line int `json:"line"`
			} `json:"location"`
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	type at struct {
		rule, severity string
		line           int
	}
	var got []at
	for _, f := range doc.Findings {
		got = append(got, at{f.RuleID, f.Severity, f.Location.Line})
	}
	for _, want := range []at{
		{"pss-host-namespaces", "deny", 16},         // hostNetwork: true
		{"pss-host-namespaces", "deny", 17},         // hostPID: true
		{"pss-privileged", "deny", 22},              // privileged: true
		{"pss-capabilities-baseline", "deny", 25},   // add: [SYS_ADMIN]
		{"pss-host-path-volumes", "deny", 30},       // hostPath:
		{"pss-run-as-user", "warn", 23},             // runAsUser: 0
		{"pss-capabilities-restricted", "warn", 24}, // capabilities: without drop
		{"pss-capabilities-restricted", "warn", 25}, // add: [SYS_ADMIN]
		{"pss-volume-types", "warn", 30},            // hostPath:
		{"pss-privilege-escalation", "warn", 21},    // securityContext:
		{"pss-run-as-non-root", "warn", 21},         // securityContext:
		{"pss-seccomp-restricted", "warn", 21},      // securityContext:
	} {
		assert.Contains(t, got, want)
	}
}

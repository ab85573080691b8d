package lint_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

// TestLintValidationLocations lints fixtures the API server refuses and
// expects each finding at the offending field's own line, also inside
// block and flow lists, in JSON streams and for values rejected while
// decoding.
func TestLintValidationLocations(t *testing.T) {
	tests := []struct {
		file, version string
		want          []string // "line:column severity rule message"
	}{
		{"port-string.yaml", "", []string{
			`17:15 deny schema-strict spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "8080": must be an integer`,
			`18:11 deny schema-strict unknown field "spec.template.spec.containers[0].livenesProbe"`,
		}},
		{"memory.yaml", "", []string{
			`13:11 deny schema-strict spec.containers[0].resources.requests.memory: Invalid value: "256 MiB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
		}},
		{"range.yaml", "", []string{
			`5:3 deny schema-strict spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`,
			`9:16 deny schema-strict spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive`,
		}},
		{"removed-api.yaml", "", []string{
			`1:1 deny api-version-served extensions/v1beta1 Deployment is not served by Kubernetes 1.37: it was removed in 1.16; use apps/v1 Deployment`,
		}},
		{"removed-api.yaml", "1.15", []string{
			`1:1 warn api-version-served extensions/v1beta1 Deployment is deprecated since Kubernetes 1.8 and is not served from 1.16; use apps/v1 Deployment`,
		}},
		{"stream.json", "", []string{
			`4:16 deny schema-strict spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive`,
			`4:15 deny schema-strict spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.version, func(t *testing.T) {
			args := []string{"lint", "-f", filepath.Join("testdata", "validation", tt.file), "-o", "json"}
			if tt.version != "" {
				args = append(args, "--kubernetes-version", tt.version)
			}
			out, _ := clitest.Run(t, args...)
			var doc struct {
				Findings []struct {
					RuleID, Severity, Message string
					Location                  struct{ Line, Column int }
				}
			}
			require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
			var got []string
			for _, f := range doc.Findings {
				if f.RuleID == "schema-strict" || f.RuleID == "api-version-served" {
					got = append(got, fmtFinding(f.Location.Line, f.Location.Column, f.Severity, f.RuleID, f.Message))
				}
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

func fmtFinding(line, col int, sev, rule, msg string) string {
	return fmt.Sprintf("%d:%d %s %s %s", line, col, sev, rule, msg)
}

// TestLintKubernetesVersionFlag: a malformed release is a usage error.
func TestLintKubernetesVersionFlag(t *testing.T) {
	file := filepath.Join("testdata", "validation", "removed-api.yaml")
	for version, usage := range map[string]bool{"1.37": false, "v1.15.3": false, "abc": true, "2.0": true, "1": true, "": true, "1.x": true} {
		_, code := clitest.Run(t, "lint", "-f", file, "--kubernetes-version", version)
		if usage {
			assert.Equal(t, cmdutil.ExitUsage, code, version)
		} else {
			assert.Equal(t, cmdutil.ExitFindings, code, version)
		}
	}
}

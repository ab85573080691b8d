package policies

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// metaBlock is a complete package-scoped METADATA block for a custom rule.
func metaBlock(id string, extra string) string {
	return "# METADATA\n# title: t\n# description: d\n# related_resources:\n#   - ref: https://example.com\n# custom:\n#   id: " + id +
		"\n#   kinds: [Deployment]\n#   remediation: r\n" + extra
}

// TestPolicyDirRules: any package whose METADATA carries custom.id is a
// rule, whatever its package path; conftest's deny and warn are result
// sets too. Before, every case here but "feastflow.rules package" was
// silently dropped (no finding, no error).
func TestPolicyDirRules(t *testing.T) {
	tests := []struct {
		name         string
		src          string
		wantID       string
		wantArea     string
		wantSeverity Severity
		wantMsg      string
	}{
		{"feastflow.rules package", metaBlock("team-label", "#   severity: deny\n") + "package feastflow.rules.team.label\n\nviolation contains {\"msg\": \"no team\"} if true\n",
			"team-label", "team", SeverityDeny, "no team"},
		{"any package", metaBlock("team-label", "#   severity: warn\n") + "package acme.k8s.team_label\n\nviolation contains {\"msg\": \"no team\"} if true\n",
			"team-label", "custom", SeverityWarn, "no team"},
		{"custom.area", metaBlock("team-label", "#   severity: warn\n#   area: ownership\n") + "package acme.team_label\n\nviolation contains {\"msg\": \"no team\"} if true\n",
			"team-label", "ownership", SeverityWarn, "no team"},
		{"conftest deny with messages", metaBlock("team-label", "") + "package main\n\ndeny contains msg if {\n\tmsg := sprintf(\"%s has no team\", [input.object.metadata.name])\n}\n",
			"team-label", "custom", SeverityDeny, "api has no team"},
		{"conftest warn", metaBlock("team-label", "") + "package acme.warnings\n\nwarn contains \"no team\" if true\n",
			"team-label", "custom", SeverityWarn, "no team"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "rule.rego"), tt.src)
			// A helper library beside it is not a rule and not an error.
			writeFile(t, filepath.Join(dir, "lib.rego"), "package acme.lib\n\nteam(obj) := obj.metadata.labels.team\n")
			e := newTestEngine(t, Options{PolicyDirs: []string{dir}})
			rule, ok := findRuleByID(e.Rules(), tt.wantID)
			require.True(t, ok, "custom rule is in the catalog")
			assert.Equal(t, tt.wantArea, rule.Area)
			assert.Equal(t, tt.wantSeverity, rule.Severity)
			fs, err := e.Evaluate(context.Background(), deploymentWithoutProbes())
			require.NoError(t, err)
			var got []Finding
			for _, f := range fs {
				if f.RuleID == tt.wantID {
					got = append(got, f)
				}
			}
			require.Len(t, got, 1, ruleIDs(fs))
			assert.Equal(t, tt.wantMsg, got[0].Message)
			assert.Equal(t, tt.wantSeverity, got[0].Severity)
		})
	}
}

// TestPolicyDirLookalikes: a module that looks like a rule but lacks its
// metadata is an error naming its file and line, never silently dropped.
// Before, the first three loaded without error and never ran.
func TestPolicyDirLookalikes(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"deny without metadata", "package acme.rules\n\nimport rego.v1\n\ndeny contains \"x\" if true\n",
			[]string{`rule.rego:5: package acme.rules defines "deny" like a rule, but has no package-scoped # METADATA block with custom.id`}},
		{"conftest-style suffix", "package main\n\nviolation_no_team contains \"x\" if true\n",
			[]string{`rule.rego:3: package main defines "violation_no_team" like a rule`}},
		{"metadata above the rule, not the package", "package acme.team\n\n" + metaBlock("team-label", "#   severity: deny\n") + "violation contains {\"msg\": \"x\"} if true\n",
			[]string{`rule.rego:3: the # METADATA block with custom.id is scoped to a rule, not the package`}},
		{"no result set", metaBlock("team-label", "#   severity: deny\n") + "package acme.team\n\nteam := 1\n",
			[]string{`rule.rego:11: rule team-label defines none of violation, deny, warn`}},
		{"two result sets", metaBlock("team-label", "#   severity: deny\n") + "package acme.team\n\ndeny contains \"x\" if true\n\nwarn contains \"y\" if true\n",
			[]string{`rule.rego:11: rule team-label defines deny and warn`}},
		{"feastflow.rules package without metadata", "package feastflow.rules.x.y\n\nteam := 1\n",
			[]string{`rule.rego:1: rule package feastflow.rules.x.y has no package-scoped # METADATA block with custom.id`}},
		{"missing metadata fields", "# METADATA\n# custom:\n#   id: team-label\n#   kinds: [all]\npackage acme.team\n\ndeny contains \"x\" if true\n",
			[]string{`rule.rego:1: rule acme.team metadata lacks title, description, custom.remediation, related_resources (docs link)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "rule.rego"), tt.src)
			_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
			require.Error(t, err)
			for _, want := range tt.want {
				assert.Contains(t, err.Error(), filepath.Join(dir, want))
			}
		})
	}
}

// TestPolicyDirErrorsAreAllReported: every broken module of a directory
// is named, not only the first.
func TestPolicyDirErrorsAreAllReported(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.rego"), "package acme.a\n\ndeny contains \"x\" if true\n")
	writeFile(t, filepath.Join(dir, "b.rego"), "package acme.b\n\nwarn contains \"x\" if true\n")
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "a.rego")+":3")
	assert.Contains(t, err.Error(), filepath.Join(dir, "b.rego")+":3")
}

// TestPolicyDirReplacementIsRecorded: a rule with a built-in id replaces
// it, and the catalog says which file it replaced.
func TestPolicyDirReplacementIsRecorded(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "cpu.rego"), metaBlock("cpu-limit", "#   severity: deny\n")+"package acme.cpu\n\nviolation contains {\"msg\": \"mine\"} if true\n")
	e := newTestEngine(t, Options{PolicyDirs: []string{dir}})
	rule, ok := findRuleByID(e.Rules(), "cpu-limit")
	require.True(t, ok)
	assert.Equal(t, filepath.Join(dir, "cpu.rego"), rule.File)
	assert.Equal(t, "policies/rules/resources/cpu-limit/cpu_limit.rego", rule.Replaces)
	other, ok := findRuleByID(e.Rules(), "memory-limit-required")
	require.True(t, ok)
	assert.Empty(t, other.Replaces)
}

func findRuleByID(rules []Rule, id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// TestCustomRuleParams: a custom rule declares its own parameters in its
// METADATA; their values are checked like the library's and reach the
// rule through params.value. (Before, custom.params did not exist and
// params.value of an undeclared key was undefined.)
func TestCustomRuleParams(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "team.rego"), metaBlock("team-label", "#   severity: deny\n#   params:\n#     team_label:\n#       type: string\n#       default: team\n#       pattern: \"^[a-z]+$\"\n")+
		"package acme.team\n\nimport data.feastflow.lib.params\n\nviolation contains {\"msg\": params.value(\"team_label\")} if true\n")
	tests := []struct {
		name    string
		params  map[string]any
		wantMsg string
		wantErr string
	}{
		{"default", nil, "team", ""},
		{"override", map[string]any{"team_label": "owner"}, "owner", ""},
		{"checked against its pattern", map[string]any{"team_label": "Owner Label"}, "", `parameter "team_label": "Owner Label" is not allowed: want a string matching ^[a-z]+$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Params: tt.params})
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			fs, err := e.Evaluate(context.Background(), deploymentWithoutProbes())
			require.NoError(t, err)
			var msgs []string
			for _, f := range fs {
				if f.RuleID == "team-label" {
					msgs = append(msgs, f.Message)
				}
			}
			assert.Equal(t, []string{tt.wantMsg}, msgs)
		})
	}
	bad := t.TempDir()
	writeFile(t, filepath.Join(bad, "team.rego"), metaBlock("team-label", "#   severity: deny\n#   params:\n#     cpu_limit:\n#       type: string\n#       default: x\n")+
		"package acme.team\n\nviolation contains {\"msg\": \"x\"} if true\n")
	_, err := New(context.Background(), Options{PolicyDirs: []string{bad}})
	require.ErrorContains(t, err, `rule team-label declares parameter "cpu_limit", already declared by the library`)
}

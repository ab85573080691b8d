package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/policies"
)

const header = "apiVersion: config.feastflow.io/v1alpha1\nkind: Configuration\n"

func TestParse(t *testing.T) {
	src := header + `rules:
  disable: [pod-security, image-tag-pinned]
  enable: [pss-privileged]
severity:
  cpu-limit: deny
params:
  cpu_limit: deny
  max_cpu: "2"
ignore: [vendor/**, "**/*.generated.yaml"]
exemptions:
  - rules: [liveness-probe-required]
    namespace: batch
    kind: Job
    name: nightly-*
    reason: batch worker without an HTTP endpoint
    until: 2027-03-31
`
	f, err := Parse(".feastflow.yaml", "/repo", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, []policies.RuleToggle{
		{RuleSelector: policies.RuleSelector{Name: "pod-security", Source: ".feastflow.yaml:4"}},
		{RuleSelector: policies.RuleSelector{Name: "image-tag-pinned", Source: ".feastflow.yaml:4"}},
		{RuleSelector: policies.RuleSelector{Name: "pss-privileged", Source: ".feastflow.yaml:5"}, Enabled: true},
	}, f.Toggles)
	assert.Equal(t, []policies.SeverityOverride{{RuleSelector: policies.RuleSelector{Name: "cpu-limit", Source: ".feastflow.yaml:7"}, Severity: policies.SeverityDeny}}, f.Severity)
	assert.Equal(t, map[string]any{"cpu_limit": "deny", "max_cpu": "2"}, f.Params.Values)
	assert.Equal(t, ".feastflow.yaml:10", f.Params.Sources["max_cpu"])
	assert.Equal(t, []string{"vendor/**", "**/*.generated.yaml"}, f.Ignore)
	assert.Equal(t, []policies.CentralExemption{{
		Rules:     []policies.RuleSelector{{Name: "liveness-probe-required", Source: ".feastflow.yaml:13"}},
		Namespace: "batch", Kind: "Job", Name: "nightly-*",
		Reason: "batch worker without an HTTP endpoint", Until: "2027-03-31", Source: ".feastflow.yaml:13",
	}}, f.Exemptions)
}

// TestParseErrors: the file is decoded strictly; every error names the
// file and line, all of them at once.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown top-level key", header + "rule:\n  disable: [x]\n", []string{`c.yaml:3: unknown field "rule" in the configuration (known: apiVersion, exemptions, ignore, kind, params, rules, severity)`}},
		{"unknown key in rules", header + "rules:\n  off: [x]\n", []string{`c.yaml:4: unknown field "off" in rules (known: disable, enable)`}},
		{"unknown key in an exemption", header + "exemptions:\n  - rules: [cpu-limit]\n    kind: Job\n    reason: r\n    expires: 2027-01-01\n", []string{`c.yaml:7: unknown field "expires" in an exemption`}},
		{"wrong apiVersion", "apiVersion: v1\nkind: Configuration\n", []string{`c.yaml:1: apiVersion must be config.feastflow.io/v1alpha1, not "v1"`}},
		{"missing kind", "apiVersion: config.feastflow.io/v1alpha1\n", []string{`c.yaml:1: kind is required`}},
		{"empty file", "", []string{`c.yaml: empty configuration`}},
		{"severity off", header + "severity:\n  cpu-limit: off\n", []string{`c.yaml:4: severity of cpu-limit must be deny or warn, not "off" (to switch a rule off, list it in rules.disable)`}},
		{"disable not a list", header + "rules:\n  disable: cpu-limit\n", []string{`c.yaml:4: rules.disable must be a list`}},
		{"enabled and disabled", header + "rules:\n  disable: [cpu-limit]\n  enable: [cpu-limit]\n", []string{`c.yaml:5: "cpu-limit" is both enabled here and disabled at line 4`}},
		{"bad glob", header + "ignore: [\"vendor/[\"]\n", []string{`c.yaml:3: ignore pattern "vendor/[" is not a valid glob`}},
		{"duplicate key", header + "params:\n  cpu_limit: deny\n  cpu_limit: warn\n", []string{`c.yaml:5: params: key "cpu_limit" already given at line 4`}},
		{"two documents", header + "---\n" + header, []string{`c.yaml:3: want one YAML document`}},
		{"several errors", header + "rulez: 1\nseverity:\n  cpu-limit: fatal\n", []string{`c.yaml:3: unknown field "rulez"`, `c.yaml:5: severity of cpu-limit must be deny or warn`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", "/repo", []byte(tt.src))
			require.Error(t, err)
			for _, want := range tt.want {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	nested := filepath.Join(root, "a", "b")
	require.NoError(t, os.MkdirAll(nested, 0o755))
	got, err := Find(nested)
	require.NoError(t, err)
	if got != "" {
		// A configuration above the temporary directory would be found; the test needs none.
		t.Skipf("a %s above %s: %s", FileName, root, got)
	}
	require.NoError(t, os.WriteFile(filepath.Join(root, FileName), []byte(header), 0o644))
	got, err = Find(nested)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, FileName), got)
	require.NoError(t, os.WriteFile(filepath.Join(root, "a", FileName), []byte(header), 0o644))
	got, err = Find(nested)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "a", FileName), got, "the nearest wins")
}

func TestIgnores(t *testing.T) {
	root := t.TempDir()
	f := &File{Dir: root, Ignore: []string{"vendor", "**/*.generated.yaml", "charts/*/tests/**", "./tmp/"}}
	tests := []struct {
		file string
		want bool
	}{
		{filepath.Join(root, "vendor", "a.yaml"), true},
		{filepath.Join(root, "vendor", "deep", "b.yaml"), true},
		{filepath.Join(root, "app", "vendor", "b.yaml"), false},
		{filepath.Join(root, "app", "x.generated.yaml"), true},
		{filepath.Join(root, "x.generated.yaml"), true},
		{filepath.Join(root, "charts", "web", "tests", "t.yaml"), true},
		{filepath.Join(root, "charts", "web", "templates", "t.yaml"), false},
		{filepath.Join(root, "tmp", "t.yaml"), true},
		{filepath.Join(root, "app", "deploy.yaml"), false},
		{filepath.Join(filepath.Dir(root), "vendor", "a.yaml"), false},
		{"https://example.com/vendor/a.yaml", false},
		{"<stdin>", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, f.Ignores(tt.file), tt.file)
	}
	var none *File
	assert.False(t, none.Ignores(filepath.Join(root, "vendor", "a.yaml")))
}

package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

// configRepo writes a repository holding a .feastflow.yaml, a StatefulSet
// without probes in k8s/ and a broken file in k8s/vendor/ that only the
// ignore pattern keeps out of the run.
func configRepo(t *testing.T, config string) string {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "k8s", "vendor"), 0o755))
	before, err := os.ReadFile("../../../testdata/before/04-postgres-deployment.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "k8s", "postgres.yaml"), before, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "k8s", "vendor", "broken.yaml"), []byte("apiVersion: v1\nkind: [\n"), 0o644))
	if config != "" {
		require.NoError(t, os.WriteFile(filepath.Join(root, ".feastflow.yaml"), []byte(config), 0o644))
	}
	return root
}

const repoConfig = `apiVersion: config.feastflow.io/v1alpha1
kind: Configuration
rules:
  disable: [pod-security, network]
severity:
  cpu-limit: deny
ignore: [k8s/vendor]
exemptions:
  - rules: [readiness-probe-required, liveness-probe-required]
    namespace: feastflow
    kind: StatefulSet
    name: postgres
    reason: the operator checks postgres
`

// TestConfigFile drives lint with .feastflow.yaml, found from the working
// directory upward or named by --config. Every case failed before the
// configuration file existed (unknown flags, or the broken vendored file).
func TestConfigFile(t *testing.T) {
	root := configRepo(t, repoConfig)
	t.Chdir(filepath.Join(root, "k8s"))
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
		absent   []string
	}{
		{"discovered upward, ignore honoured by -R", []string{"lint", "-R", "-f", "."}, cmdutil.ExitFindings,
			[]string{"exempt  readiness-probe-required", "exempted by " + filepath.Join(root, ".feastflow.yaml") + ":9: the operator checks postgres", "deny    cpu-limit"},
			[]string{"pss-", "netpol-", "broken.yaml"}},
		{"ignore honoured by positional paths", []string{"lint", "postgres.yaml", "vendor/broken.yaml"}, cmdutil.ExitFindings, []string{"postgres.yaml"}, []string{"broken.yaml"}},
		{"--disable for one run", []string{"lint", "-f", "postgres.yaml", "--disable", "resources,probes,secrets"}, cmdutil.ExitOK, nil, []string{"cpu-limit"}},
		{"--enable over the file", []string{"lint", "-f", "postgres.yaml", "--enable", "network"}, cmdutil.ExitFindings, []string{"netpol-default-deny-required"}, nil},
		{"--config '' reads none", []string{"lint", "-R", "-f", ".", "--config", ""}, cmdutil.ExitUsage, []string{"pss-"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, msg, code := clitest.RunErr(t, tt.args...)
			assert.Equal(t, tt.code, code, out+msg)
			for _, s := range tt.contains {
				assert.Contains(t, out, s)
			}
			for _, s := range tt.absent {
				assert.NotContains(t, out, s)
			}
		})
	}
}

// TestConfigErrors: a configuration error is exit 2 naming the file and
// line; an unknown rule id or area is never silently ignored.
func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		config string
		args   []string
		want   string
	}{
		{"unknown rule id", "apiVersion: config.feastflow.io/v1alpha1\nkind: Configuration\nrules:\n  disable: [cpu-limits]\n", nil,
			`.feastflow.yaml:4: "cpu-limits" is neither a rule id nor an area`},
		{"unknown key", "apiVersion: config.feastflow.io/v1alpha1\nkind: Configuration\nexemption: []\n", nil,
			`.feastflow.yaml:3: unknown field "exemption" in the configuration`},
		{"bad parameter", "apiVersion: config.feastflow.io/v1alpha1\nkind: Configuration\nparams:\n  cpu_limit: dney\n", nil,
			`parameter "cpu_limit" (` + "CONFIG" + `:4): "dney" is not allowed: want one of warn, deny, off`},
		{"exemption without reason", "apiVersion: config.feastflow.io/v1alpha1\nkind: Configuration\nexemptions:\n  - rules: [cpu-limit]\n    kind: Job\n", nil,
			`.feastflow.yaml:4: exemption has no reason`},
		{"unknown --disable", "", []string{"--disable", "cpu-limits"}, `--disable cpu-limits: "cpu-limits" is neither a rule id nor an area`},
		{"--config missing", "", []string{"--config", "nope.yaml"}, `read configuration: open nope.yaml: no such file or directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := configRepo(t, tt.config)
			t.Chdir(root)
			args := append([]string{"lint", "-f", "k8s/postgres.yaml"}, tt.args...)
			_, msg, code := clitest.RunErr(t, args...)
			assert.Equal(t, cmdutil.ExitUsage, code, msg)
			assert.Contains(t, msg, strings.ReplaceAll(tt.want, "CONFIG", filepath.Join(root, ".feastflow.yaml")))
		})
	}
}

// TestExemptedByConfigInEveryFormat: an object exempted centrally is
// listed as exempted in every output format.
func TestExemptedByConfigInEveryFormat(t *testing.T) {
	root := configRepo(t, repoConfig)
	t.Chdir(root)
	marks := map[string]string{
		"text":     "exempt  readiness-probe-required",
		"json":     `"source": "` + filepath.Join(root, ".feastflow.yaml") + `:9"`,
		"yaml":     "source: " + filepath.Join(root, ".feastflow.yaml") + ":9",
		"sarif":    `"justification": "the operator checks postgres"`,
		"junit":    `<skipped message="exempted by ` + filepath.Join(root, ".feastflow.yaml") + `:9: the operator checks postgres"`,
		"github":   "::notice file=k8s/postgres.yaml",
		"markdown": "exempted",
	}
	for format, mark := range marks {
		t.Run(format, func(t *testing.T) {
			out, msg, code := clitest.RunErr(t, "lint", "-f", "k8s/postgres.yaml", "-o", format)
			assert.Equal(t, cmdutil.ExitFindings, code, msg)
			assert.Contains(t, out, mark)
		})
	}
}

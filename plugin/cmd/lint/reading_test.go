package lint_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

// jsonReport is the part of -o json the reading tests look at.
type jsonReport struct {
	Findings []struct {
		RuleID   string `json:"ruleID"`
		Message  string `json:"message"`
		Location struct {
			File string `json:"file"`
			Line int    `json:"line"`
			Note string `json:"note"`
		} `json:"location"`
	} `json:"findings"`
	Errors []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
	Summary struct {
		Objects int `json:"objects"`
	} `json:"summary"`
}

func lintJSON(t *testing.T, args ...string) (jsonReport, int) {
	t.Helper()
	out, code := clitest.Run(t, append([]string{"lint", "-o", "json"}, args...)...)
	var r jsonReport
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	return r, code
}

func TestLintDuplicateObject(t *testing.T) {
	r, code := lintJSON(t, "-f", "testdata/reading/dup")
	assert.Equal(t, cmdutil.ExitFindings, code)
	var dups []string
	for _, f := range r.Findings {
		if f.RuleID == "duplicate-object" {
			dups = append(dups, f.Message)
			assert.Equal(t, "testdata/reading/dup/b.yaml", f.Location.File)
			assert.Equal(t, 6, f.Location.Line)
		}
	}
	require.Len(t, dups, 1, "the ConfigMap in namespace other is another object")
	assert.Contains(t, dups[0], "testdata/reading/dup/a.yaml:4:3")
}

func TestLintNoObjectsPassed(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"directory of subdirectories without -R", []string{"-f", "testdata/reading/nested"}},
		{"empty stdin", []string{"-f", "-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, code := lintJSON(t, tt.args...)
			assert.Equal(t, cmdutil.ExitUsage, code)
			require.Len(t, r.Errors, 1)
			assert.Contains(t, r.Errors[0].Message, "no objects passed")
		})
	}
}

func TestLintPositionalPaths(t *testing.T) {
	r, code := lintJSON(t, "testdata/reading/nested/sub/cm.yaml", "testdata/reading/dup/")
	assert.Equal(t, cmdutil.ExitFindings, code, "the duplicate in dup/ is found")
	assert.Equal(t, 4, r.Summary.Objects)
	r, code = lintJSON(t, "-R", "testdata/reading/nested")
	assert.Equal(t, cmdutil.ExitOK, code)
	assert.Equal(t, 1, r.Summary.Objects)
}

// TestLintSkipsNonKubernetesYAML: a repository's other YAML (a Helm chart,
// a CI workflow, kustomizations) is skipped with a note under -R; a file
// that mixes objects with a document lacking apiVersion and kind is still
// an input error.
func TestLintSkipsNonKubernetesYAML(t *testing.T) {
	out, code := clitest.Run(t, "lint", "-o", "json", "-R", "-f", "testdata/reading/repo")
	var r struct {
		jsonReport
		Skipped []struct {
			File    string `json:"file"`
			Message string `json:"message"`
		} `json:"skipped"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	assert.Equal(t, cmdutil.ExitUsage, code, "config/broken.yaml is a broken manifest")
	require.Len(t, r.Errors, 1, out)
	assert.Equal(t, "testdata/reading/repo/config/broken.yaml", r.Errors[0].File)
	assert.Equal(t, 6, r.Errors[0].Line)
	skipped := map[string]string{}
	for _, s := range r.Skipped {
		skipped[s.File] = s.Message
	}
	assert.Contains(t, skipped["testdata/reading/repo/chart"], "helm template testdata/reading/repo/chart")
	assert.Contains(t, skipped["testdata/reading/repo/.github/workflows/ci.yml"], "not a Kubernetes manifest")
	assert.Contains(t, skipped["testdata/reading/repo/deploy/kustomization.yaml"], "kubectl feastflow lint -k testdata/reading/repo/deploy")
	assert.Contains(t, skipped["testdata/reading/repo/config/renamed-kustomization.yaml"], "-k testdata/reading/repo/config")
	assert.Len(t, skipped, 4)
	assert.Equal(t, 2, r.Summary.Objects, "deploy/settings.yaml and the first object of broken.yaml")

	for _, named := range []string{"testdata/reading/repo/chart/values.yaml", "testdata/reading/repo/chart/templates/deployment.yaml", "testdata/reading/repo/.github/workflows/ci.yml"} {
		r, code := lintJSON(t, named)
		assert.Equal(t, cmdutil.ExitUsage, code, "nothing left to lint: no objects passed")
		require.Len(t, r.Errors, 1)
		assert.Contains(t, r.Errors[0].Message, "no objects passed")
	}
}

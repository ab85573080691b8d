package lint_test

import (
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

// The overlay of testdata/kustomize-origin: an inline patch lowers the
// memory limit below the base's request (kustomization.yaml line 21), a
// JSON 6902 patch lowers the cpu limit (its value on line 29), the images
// entry sets the latest tag (newTag, line 32) and sidecar.yaml adds a
// container without probes (line 10).
const (
	originOverlay = "testdata/kustomize-origin/overlay"
	originKust    = originOverlay + "/kustomization.yaml"
	originSidecar = originOverlay + "/sidecar.yaml"
	originBase    = "testdata/kustomize-origin/base/deployment.yaml"
)

// TestLintKustomizeLocations: with -k, every format points at the file
// and line of the kustomization tree that produced the field, never at a
// line of the rendered stream.
func TestLintKustomizeLocations(t *testing.T) {
	want := []struct{ rule, message, file, line string }{
		{"limit-below-request", "memory limit", originKust, "21"},
		{"limit-below-request", "cpu limit", originKust, "29"},
		{"image-tag-pinned", "latest", originKust, "32"},
		{"readiness-probe-required", `"sidecar"`, originSidecar, "10"},
		{"readiness-probe-required", `"app"`, originBase, "18"},
	}

	t.Run("json", func(t *testing.T) {
		r, code := lintJSON(t, "-k", originOverlay)
		assert.Equal(t, cmdutil.ExitFindings, code)
		for _, w := range want {
			found := false
			for _, f := range r.Findings {
				if f.RuleID == w.rule && strings.Contains(f.Message, w.message) {
					found = true
					assert.Equal(t, w.file, f.Location.File, "%s %s", w.rule, w.message)
					assert.Equal(t, w.line, itoa(f.Location.Line), "%s %s", w.rule, w.message)
				}
			}
			assert.True(t, found, "no %s finding about %s", w.rule, w.message)
		}
		for _, f := range r.Findings {
			assert.NotContains(t, f.Location.File, "kustomize(", "%s: a path that is no file", f.RuleID)
		}
	})

	t.Run("text", func(t *testing.T) {
		out, _ := clitest.Run(t, "lint", "-k", originOverlay)
		for _, w := range want {
			section := textSection(out, w.file)
			require.NotEmpty(t, section, "no %s section in\n%s", w.file, out)
			assert.Regexp(t, `(?m)^\s+`+w.line+`:\d+\s+\w+\s+`+w.rule+`\s.*`+regexpQuote(w.message), section)
		}
		assert.NotContains(t, out, "kustomize(")
	})

	t.Run("github", func(t *testing.T) {
		out, _ := clitest.Run(t, "lint", "-o", "github", "-k", originOverlay)
		for _, w := range want {
			assert.Regexp(t, `(?m)^::\w+ file=`+regexpQuote(w.file)+`,line=`+w.line+`,col=\d+,title=`+w.rule+`::.*`+regexpQuote(w.message), out)
		}
		assert.NotContains(t, out, "kustomize(")
	})

	t.Run("sarif", func(t *testing.T) {
		out, _ := clitest.Run(t, "lint", "-o", "sarif", "-k", originOverlay)
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID    string `json:"ruleId"`
					Message   struct{ Text string }
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine int }
						}
					}
				}
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out), &log))
		for _, w := range want {
			found := false
			for _, r := range log.Runs[0].Results {
				if r.RuleID == w.rule && strings.Contains(r.Message.Text, w.message) {
					found = true
					loc := r.Locations[0].PhysicalLocation
					assert.Equal(t, w.file, loc.ArtifactLocation.URI)
					assert.Equal(t, w.line, itoa(loc.Region.StartLine))
				}
			}
			assert.True(t, found, "no %s result about %s", w.rule, w.message)
		}
	})

	t.Run("junit", func(t *testing.T) {
		out, _ := clitest.Run(t, "lint", "-o", "junit", "-k", originOverlay)
		var suites struct {
			Suites []struct {
				Name  string `xml:"name,attr"`
				Cases []struct {
					Failure *struct {
						Type string `xml:"type,attr"`
						Text string `xml:",chardata"`
					} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		require.NoError(t, xml.Unmarshal([]byte(out), &suites), out)
		var texts []string
		for _, s := range suites.Suites {
			assert.NotContains(t, s.Name, "kustomize(")
			for _, c := range s.Cases {
				if c.Failure != nil {
					texts = append(texts, c.Failure.Text)
				}
			}
		}
		all := strings.Join(texts, "\n")
		for _, w := range want {
			assert.Regexp(t, regexpQuote(w.file)+`:`+w.line+`:\d+: .*`+regexpQuote(w.message), all)
		}
	})
}

// TestLintKustomizeGenerated: an object a generator made has no file of
// its own; its findings name the generator's entry and say so.
func TestLintKustomizeGenerated(t *testing.T) {
	r, _ := lintJSON(t, "-k", "../../source/testdata/kustomize/overlay")
	found := false
	for _, f := range r.Findings {
		if f.RuleID != "secret-values-in-manifest" {
			continue
		}
		found = true
		assert.Equal(t, "../../source/testdata/kustomize/overlay/kustomization.yaml", f.Location.File)
		assert.Equal(t, 39, f.Location.Line, "the secretGenerator entry")
		assert.Contains(t, f.Location.Note, "generated by secretGenerator")
	}
	require.True(t, found)
	out, _ := clitest.Run(t, "lint", "-k", "../../source/testdata/kustomize/overlay")
	assert.Contains(t, out, "(generated by secretGenerator in ../../source/testdata/kustomize/overlay/kustomization.yaml)")
	assert.NotContains(t, out, "not-a-real-token", "a secret value never leaks")
}

// textSection is the part of text output under the heading file.
func textSection(out, file string) string {
	_, after, ok := strings.Cut(out, "\n"+file+"\n")
	if !ok {
		if !strings.HasPrefix(out, file+"\n") {
			return ""
		}
		after = strings.TrimPrefix(out, file+"\n")
	}
	section, _, _ := strings.Cut(after, "\n\n")
	return section
}

var (
	itoa        = strconv.Itoa
	regexpQuote = regexp.QuoteMeta
)

package output

import (
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJUnitGolden(t *testing.T) {
	printGolden(t, JUnit{}, "junit")
}

// junitRead is what a CI parser sees in the output.
type junitRead struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Tests int    `xml:"tests,attr"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func readJUnit(t *testing.T, r *Report) junitRead {
	t.Helper()
	var doc junitRead
	require.NoError(t, xml.Unmarshal(render(t, JUnit{}, r), &doc))
	return doc
}

func TestJUnitCounts(t *testing.T) {
	tests := []struct {
		name                             string
		report                           *Report
		tests, failures, errors, skipped int
		suites                           []string
	}{
		{"report", fixtureReport(), 8, 2, 1, 1, []string{
			noFile, "manifests/backend.yaml", "manifests/broken.yaml", "manifests/frontend.yaml",
			"manifests/namespace.yaml", "manifests/postgres.yaml",
		}},
		{"clean", cleanReport(), 5, 0, 0, 0, cleanReport().CheckedFiles},
		{"clean without file names", &Report{Files: 2, Objects: 3}, 1, 0, 0, 0, []string{toolName}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := readJUnit(t, tc.report)
			assert.Equal(t, []int{tc.tests, tc.failures, tc.errors, tc.skipped},
				[]int{doc.Tests, doc.Failures, doc.Errors, doc.Skipped})
			var suites []string
			for _, s := range doc.Suites {
				suites = append(suites, s.Name)
				assert.Equal(t, len(s.Cases), s.Tests)
			}
			assert.Equal(t, tc.suites, suites)
		})
	}
}

// TestJUnitEscaping reads text with XML metacharacters back unchanged.
func TestJUnitEscaping(t *testing.T) {
	r := fixtureReport()
	r.Findings[3].Severity = "deny"
	r.Findings[3].Message = "a <b> & \"c\" ]]> 'd' \x1b"
	doc := readJUnit(t, r)
	backend := doc.Suites[1]
	require.Equal(t, "manifests/backend.yaml", backend.Name)
	require.NotNil(t, backend.Cases[1].Failure)
	assert.Equal(t, "a <b> & \"c\" ]]> 'd' \uFFFD", backend.Cases[1].Failure.Message)
	assert.Contains(t, backend.Cases[1].Failure.Text, "feastflow/Deployment/backend: a <b> & \"c\" ]]> 'd' \uFFFD")
}

// Package output renders lint reports: one file per format (text, json,
// yaml, sarif, junit, github, markdown), each with golden tests.
package output

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// InputError is a file (or document) that could not be read or parsed.
// Line is 0 when unknown.
type InputError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Error renders file:line: message.
func (e InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

// Report is everything one lint run produced.
type Report struct {
	// Findings, exempted ones included (see Finding.Exempted), sorted by
	// file, line, column, rule id.
	Findings []policies.Finding
	// Errors are inputs that could not be checked; the rest still were.
	Errors []InputError
	// Skipped are inputs that are not Kubernetes manifests (Helm charts,
	// kustomizations, other YAML), with why: notes, not errors.
	Skipped []InputError
	// Rules is the catalog the run used (SARIF lists it as rule metadata).
	Rules []policies.Rule
	// Files and Objects count what was checked.
	Files   int
	Objects int
	// CheckedFiles names the files that were read, clean ones included, so
	// formats that list every file (JUnit) can show the clean ones passing.
	// Optional: when empty, only files with findings or errors are listed.
	CheckedFiles []string
	// ToolVersion is printed where formats carry it (SARIF).
	ToolVersion string
}

// Summary counts findings by outcome.
type Summary struct {
	Deny     int `json:"deny"`
	Warn     int `json:"warn"`
	Exempted int `json:"exempted"`
	Errors   int `json:"errors"`
	Files    int `json:"files"`
	Objects  int `json:"objects"`
}

// Summary counts the report's findings: exempted findings count only as exempted.
func (r *Report) Summary() Summary {
	s := Summary{Errors: len(r.Errors), Files: r.Files, Objects: r.Objects}
	for _, f := range r.Findings {
		switch {
		case f.Exempted():
			s.Exempted++
		case f.Severity == policies.SeverityDeny:
			s.Deny++
		default:
			s.Warn++
		}
	}
	return s
}

// SortFindings orders findings by file, line, column, rule id and message.
func SortFindings(fs []policies.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := locationOf(fs[i]), locationOf(fs[j])
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if fs[i].RuleID != fs[j].RuleID {
			return fs[i].RuleID < fs[j].RuleID
		}
		return fs[i].Message < fs[j].Message
	})
}

func locationOf(f policies.Finding) policies.Location {
	if f.Location == nil {
		return policies.Location{}
	}
	return *f.Location
}

// Printer writes a report in one format.
type Printer interface {
	Print(w io.Writer, r *Report) error
}

// Formats lists the accepted -o values.
var Formats = []string{"text", "json", "yaml", "sarif", "junit", "github", "markdown"}

// New returns the printer for format; color applies to text only.
func New(format string, color bool) (Printer, error) {
	switch strings.ToLower(format) {
	case "text", "":
		return &Text{Color: color}, nil
	case "json":
		return JSON{}, nil
	case "yaml":
		return YAML{}, nil
	case "sarif":
		return SARIF{}, nil
	case "junit":
		return JUnit{}, nil
	case "github":
		return GitHub{}, nil
	case "markdown":
		return Markdown{}, nil
	}
	return nil, fmt.Errorf("unknown output format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

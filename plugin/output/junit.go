package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// JUnit prints the report as JUnit XML for CI test views: one testsuite
// per file and one testcase per finding, named "RULE-ID Kind/name". Denied
// findings fail, exempted ones are skipped, warnings pass with the warning
// in system-out, and input errors are errors. Clean files (from
// Report.CheckedFiles) get one passing testcase.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// junitText is element text kept readable in a CDATA section.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// Print writes the report as JUnit XML.
func (JUnit) Print(w io.Writer, r *Report) error {
	doc := newJUnitSuites(r)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

func newJUnitSuites(r *Report) junitSuites {
	cases := map[string][]junitCase{}
	for _, e := range sortedErrors(r) {
		cases[e.File] = append(cases[e.File], errorCase(e))
	}
	for _, f := range sortedFindings(r) {
		file := locationOf(f).File
		cases[file] = append(cases[file], findingCase(f, suiteName(file)))
	}
	for _, file := range r.CheckedFiles {
		if _, ok := cases[file]; !ok {
			cases[file] = []junitCase{{Name: "all rules passed", Classname: file}}
		}
	}
	if len(cases) == 0 {
		name := fmt.Sprintf("%s in %s passed", Plural(r.Objects, "object"), Plural(r.Files, "file"))
		cases[toolName] = []junitCase{{Name: name, Classname: toolName}}
	}
	files := make([]string, 0, len(cases))
	for file := range cases {
		files = append(files, file)
	}
	sort.Strings(files)
	doc := junitSuites{Name: toolName}
	for _, file := range files {
		s := junitSuite{Name: suiteName(file), Cases: cases[file], Tests: len(cases[file])}
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Error != nil:
				s.Errors++
			case c.Skipped != nil:
				s.Skipped++
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	return doc
}

func suiteName(file string) string {
	if file == "" {
		return noFile
	}
	return file
}

func errorCase(e InputError) junitCase {
	name := "input error"
	if e.Line > 0 {
		name = fmt.Sprintf("input error at line %d", e.Line)
	}
	return junitCase{
		Name:      name,
		Classname: suiteName(e.File),
		Error:     &junitProblem{Message: e.Message, Type: "input", Text: xmlText(e.Error())},
	}
}

func findingCase(f policies.Finding, file string) junitCase {
	c := junitCase{Name: f.RuleID + " " + f.Object.String(), Classname: file}
	switch {
	case f.Exempted():
		c.Skipped = &junitSkipped{Message: exemptionNote(f.Exemption)}
	case f.Severity == policies.SeverityDeny:
		c.Failure = &junitProblem{Message: f.Message, Type: f.RuleID, Text: xmlText(findingDetail(f))}
	default:
		c.SystemOut = &junitText{Text: xmlText("warning: " + findingDetail(f))}
	}
	return c
}

// findingDetail is the finding's position and message, then how to fix it.
func findingDetail(f policies.Finding) string {
	var b strings.Builder
	if loc := f.Location; loc != nil && loc.File != "" {
		b.WriteString(loc.File)
		if loc.Line > 0 {
			b.WriteString(":" + position(loc.Line, loc.Column))
		}
		b.WriteString(": ")
	}
	b.WriteString(objectMessage(f) + locationNote(f))
	if f.Remediation != "" {
		b.WriteString("\nremediation: " + f.Remediation)
	}
	if f.DocsURL != "" {
		b.WriteString("\ndocs: " + f.DocsURL)
	}
	return b.String()
}

// xmlText replaces the characters XML 1.0 cannot carry with U+FFFD.
// Attributes get this from encoding/xml; CDATA sections do not.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}

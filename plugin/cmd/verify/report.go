package verify

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/feastflow/kubectl-feastflow/plugin/output"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// CheckStatus is the outcome of one verify check.
type CheckStatus string

// Check outcomes: a failing check makes verify exit 1, a warning does not.
const (
	StatusPass CheckStatus = "pass"
	StatusWarn CheckStatus = "warn"
	StatusFail CheckStatus = "fail"
)

// Sections of the verify checklist, in printing order.
const (
	SectionWebhook  = "webhook"
	SectionPolicies = "policies"
	SectionRollouts = "rollouts"
	SectionNetwork  = "network"
)

var sectionTitles = map[string]string{
	SectionWebhook:  "Webhook",
	SectionPolicies: "Policies",
	SectionRollouts: "Rollouts",
	SectionNetwork:  "Services and NetworkPolicies",
}

// Check is one line of the verify checklist.
type Check struct {
	Section string      `json:"section"`
	Name    string      `json:"name"`
	Status  CheckStatus `json:"status"`
	Message string      `json:"message"`
	// Details are further lines: offending pods, commands to run, ...
	Details []string `json:"details,omitempty"`
	// Findings are the policy findings behind a policies check.
	Findings []policies.Finding `json:"findings,omitempty"`
}

// VerifyReport is everything one verify run found.
type VerifyReport struct {
	// Context is the kubeconfig context the run used; empty when unknown.
	Context string  `json:"context,omitempty"`
	Checks  []Check `json:"checks"`
}

// CheckSummary counts checks by status.
type CheckSummary struct {
	Pass int `json:"pass"`
	Warn int `json:"warn"`
	Fail int `json:"fail"`
}

// Summary counts the report's checks by status.
func (r *VerifyReport) Summary() CheckSummary {
	var s CheckSummary
	for _, c := range r.Checks {
		switch c.Status {
		case StatusPass:
			s.Pass++
		case StatusWarn:
			s.Warn++
		default:
			s.Fail++
		}
	}
	return s
}

// verifyFormats are the accepted `verify -o` values.
var verifyFormats = []string{"text", "json"}

// printVerifyReport writes the report in format (text or json).
func printVerifyReport(w io.Writer, format string, r *VerifyReport) error {
	if format == "json" {
		return printVerifyJSON(w, r)
	}
	return printVerifyText(w, r)
}

// printVerifyJSON writes {"context", "checks": [...], "summary"}.
func printVerifyJSON(w io.Writer, r *VerifyReport) error {
	out := struct {
		*VerifyReport
		Summary CheckSummary `json:"summary"`
	}{r, r.Summary()}
	if out.Checks == nil {
		out.Checks = []Check{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// statusMark is the checklist mark of a status, as lint's text printer
// marks passing and failing runs.
func statusMark(s CheckStatus) string {
	switch s {
	case StatusPass:
		return "✔"
	case StatusWarn:
		return "!"
	}
	return "✖"
}

// printVerifyText writes the checklist: a title per section, one line per
// check (mark, name, message) with its details indented below, then the
// summary line.
func printVerifyText(w io.Writer, r *VerifyReport) error {
	bw := bufio.NewWriter(w)
	if r.Context != "" {
		fmt.Fprintf(bw, "Context %s\n\n", output.Printable(r.Context))
	}
	for _, section := range []string{SectionWebhook, SectionPolicies, SectionRollouts, SectionNetwork} {
		checks := checksIn(r.Checks, section)
		if len(checks) == 0 {
			continue
		}
		fmt.Fprintln(bw, sectionTitles[section])
		width := 0
		for _, c := range checks {
			width = max(width, utf8.RuneCountInString(c.Name))
		}
		for _, c := range checks {
			name := output.Printable(c.Name)
			pad := strings.Repeat(" ", width-utf8.RuneCountInString(c.Name)+2)
			fmt.Fprintf(bw, "  %s %s%s%s\n", statusMark(c.Status), name, pad, output.Printable(c.Message))
			for _, d := range c.Details {
				fmt.Fprintf(bw, "      %s\n", output.Printable(d))
			}
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, verifySummaryLine(r.Summary()))
	return bw.Flush()
}

func checksIn(checks []Check, section string) []Check {
	var out []Check
	for _, c := range checks {
		if c.Section == section {
			out = append(out, c)
		}
	}
	return out
}

// verifySummaryLine renders e.g. "✖ 2 checks failed, 1 warning, 14 passed"
// or "✔ 16 checks passed".
func verifySummaryLine(s CheckSummary) string {
	switch {
	case s.Fail > 0:
		return fmt.Sprintf("✖ %s failed, %s, %d passed", output.Plural(s.Fail, "check"), output.Plural(s.Warn, "warning"), s.Pass)
	case s.Warn > 0:
		return fmt.Sprintf("! %s passed, %s", output.Plural(s.Pass, "check"), output.Plural(s.Warn, "warning"))
	}
	return fmt.Sprintf("✔ %s passed", output.Plural(s.Pass, "check"))
}

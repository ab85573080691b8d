package output

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// JSON prints the report as one indented JSON document:
// {"findings": [...], "errors": [...], "summary": {...}}.
type JSON struct{}

// document is the shape JSON and YAML share. Lists are never null, and
// exempted findings carry their exemption object.
type document struct {
	Findings []policies.Finding `json:"findings"`
	Errors   []InputError       `json:"errors"`
	Skipped  []InputError       `json:"skipped,omitempty"`
	Summary  Summary            `json:"summary"`
}

// newDocument sorts copies of the report's findings and errors.
func newDocument(r *Report) document {
	d := document{Findings: sortedFindings(r), Errors: sortedErrors(r), Skipped: r.Skipped, Summary: r.Summary()}
	if d.Findings == nil {
		d.Findings = []policies.Finding{}
	}
	if d.Errors == nil {
		d.Errors = []InputError{}
	}
	return d
}

// Print writes the report as JSON.
func (JSON) Print(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(newDocument(r)); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// Package linter lints one run: the loaded documents evaluated as one
// batch by the engine, findings located in the user's files, run-level
// checks (duplicate objects) added; lint, apply and test share it.
package linter

import (
	"context"
	"errors"

	"github.com/feastflow/kubectl-feastflow/internal/parallel"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/output"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// Lint evaluates every loaded document with the engine as one batch
// (Engine.EvaluateAll: the documents form the inventory of cross-object
// rules and are evaluated in parallel) and returns the report.
func Lint(ctx context.Context, engine *policies.Engine, loaded source.Result) (*output.Report, error) {
	batch := policies.Batch{Objects: make([]map[string]any, len(loaded.Documents))}
	for i, d := range loaded.Documents {
		batch.Objects[i] = d.Object
	}
	perDoc, err := engine.EvaluateAll(ctx, batch)
	if err != nil {
		return nil, err
	}
	parallel.For(len(loaded.Documents), func(i int) { locate(loaded.Documents[i], perDoc[i]) })
	report := &output.Report{
		Rules:   append(engine.Rules(), RunRules()...),
		Files:   loaded.Inputs,
		Objects: len(loaded.Documents),
		Errors:  inputErrors(loaded.Errors),
	}
	for _, s := range loaded.Skipped {
		report.Skipped = append(report.Skipped, output.InputError{File: s.File, Message: s.Reason})
	}
	if len(loaded.Documents) == 0 {
		report.Errors = append(report.Errors, output.InputError{Message: "no objects passed to lint"})
	}
	for _, fs := range perDoc {
		report.Findings = append(report.Findings, fs...)
	}
	report.Findings = append(report.Findings, duplicateFindings(engine, loaded.Documents)...)
	output.SortFindings(report.Findings)
	return report, nil
}

// locate gives each finding of document d the file position of its field.
func locate(d *source.Document, findings []policies.Finding) {
	for i := range findings {
		findings[i].Location = fieldLocation(d, findings[i].Path)
	}
}

// fieldLocation is where the field at path of d was written (for -k, in
// the kustomization tree: see source.Document.Locate).
func fieldLocation(d *source.Document, path []any) *policies.Location {
	p := d.Locate(path)
	return &policies.Location{File: p.File, Line: p.Line, Column: p.Column, Note: p.Note}
}

func inputErrors(errs []error) []output.InputError {
	out := make([]output.InputError, 0, len(errs))
	for _, err := range errs {
		var pe *source.ParseError
		if errors.As(err, &pe) {
			out = append(out, output.InputError{File: pe.File, Line: pe.Line, Message: pe.Message})
			continue
		}
		out = append(out, output.InputError{Message: err.Error()})
	}
	return out
}

// Verdict maps a lint report to the run's outcome: nil, or an
// *cmdutil.ExitError carrying ExitUsage (2) when an input could not be read
// or ExitFindings (1) for deny findings, or warnings when failOn is warn.
// Input errors win over findings.
func Verdict(report *output.Report, failOn policies.Severity) error {
	s := report.Summary()
	switch {
	case s.Errors > 0:
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage}
	case s.Deny > 0, failOn == policies.SeverityWarn && s.Warn > 0:
		return &cmdutil.ExitError{Code: cmdutil.ExitFindings}
	}
	return nil
}

package plugin

import (
	"context"
	"errors"

	"github.com/feastflow/kubectl-feastflow/internal/parallel"
	"github.com/feastflow/kubectl-feastflow/plugin/output"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// Lint evaluates every loaded document with the engine, all documents
// forming the inventory of cross-object rules, and returns the report.
// Documents are evaluated in parallel; the engine compiled once.
func Lint(ctx context.Context, engine *policies.Engine, loaded source.Result) (*output.Report, error) {
	inv := policies.NewInventory()
	for _, d := range loaded.Documents {
		inv.Add(engine.ObjectRef(d.Object), d.Object)
	}
	if err := engine.SetInventory(ctx, inv); err != nil {
		return nil, err
	}
	perDoc := make([][]policies.Finding, len(loaded.Documents))
	evalErrs := make([]error, len(loaded.Documents))
	parallel.For(len(loaded.Documents), func(i int) {
		perDoc[i], evalErrs[i] = evaluateDocument(ctx, engine, loaded.Documents[i])
	})
	if err := errors.Join(evalErrs...); err != nil {
		return nil, err
	}
	report := &output.Report{
		Rules:   append(engine.Rules(), runRules...),
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

func evaluateDocument(ctx context.Context, engine *policies.Engine, d *source.Document) ([]policies.Finding, error) {
	findings, err := engine.Evaluate(ctx, d.Object)
	if err != nil {
		return nil, err
	}
	for i := range findings {
		line, col := d.Position(findings[i].Path)
		findings[i].Location = &policies.Location{File: d.File, Line: line, Column: col}
	}
	return findings, nil
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

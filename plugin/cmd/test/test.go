// Package test is `kubectl feastflow test DIR...`: the Rego unit tests and
// pass/fail fixtures of custom rules, run against the embedded catalog.
package test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/resource"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/linter"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// TestOptions are the options of `kubectl feastflow test DIR...`.
type TestOptions struct {
	genericiooptions.IOStreams
	Policy cmdutil.PolicyFlags
	API    cmdutil.APIFlags
	Output string
	Dirs   []string

	engine *policies.Engine
}

// FixtureResult is the outcome of one rule fixture run through the engine.
type FixtureResult struct {
	Rule     string `json:"rule"`
	File     string `json:"file"`
	Pass     bool   `json:"pass"`
	Findings int    `json:"findings"`
	Error    string `json:"error,omitempty"`
	// InputError marks a fixture that could not be read or decoded (exit 2).
	InputError bool `json:"inputError,omitempty"`
}

// TestReport is what `test` prints: Rego unit tests, then fixtures.
type TestReport struct {
	Tests    []policies.TestResult `json:"tests"`
	Fixtures []FixtureResult       `json:"fixtures"`
	// NoFixtures lists custom rules without pass.yaml or fail.yaml.
	NoFixtures []string    `json:"noFixtures,omitempty"`
	Summary    TestSummary `json:"summary"`
}

// TestSummary counts results.
type TestSummary struct {
	Pass    int `json:"pass"`
	Fail    int `json:"fail"`
	Skipped int `json:"skipped"`
	// InputErrors are fixtures that could not be read (exit 2).
	InputErrors int `json:"inputErrors"`
}

const testExample = `  # Run the Rego unit tests and pass/fail fixtures of your rules
  kubectl feastflow test ./my-rules

  # As JSON, with a parameter the rules see
  kubectl feastflow test ./my-rules -o json --param max_cpu=2`

// NewCmdTest returns `kubectl feastflow test DIR...`.
func NewCmdTest(streams genericiooptions.IOStreams) *cobra.Command {
	o := &TestOptions{IOStreams: streams}
	cmd := &cobra.Command{
		Use:   "test DIR...",
		Short: "Run the unit tests and fixtures of custom rules",
		Long: `Test custom rules (as conftest verify, gator verify or kyverno test do).

Every DIR is a policy directory (as --policy-dir): its rules are compiled
with the embedded library and catalog (a rule with a built-in id replaces
it), then
  - its Rego unit tests (test_ rules in _test.rego files) run with OPA's
    tester, against the whole catalog and the effective parameters;
  - each of its rules' fixtures, pass.yaml and fail.yaml beside the rule's
    .rego (the layout of the built-in rules: <area>/<rule-id>/), is linted
    through the whole engine as one run: fail.yaml must give at least one
    finding of the rule, pass.yaml none.

Exit codes: 0 everything passed, 1 a test or fixture failed, 2 usage or
input errors (a rule or test that does not compile, an unreadable fixture,
no tests and no fixtures found).`,
		Example: testExample,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Dirs = args
			return cmdutil.RunE(o)(cmd, args)
		},
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "text", "Output format: text|json")
	o.Policy.ErrOut = streams.ErrOut
	o.Policy.AddFlags(cmd.Flags())
	o.API.AddFlags(cmd.Flags())
	return cmd
}

// Complete compiles the catalog with the directories as policy dirs; the
// fixtures are linted as lint does, with the API server's check.
func (o *TestOptions) Complete(ctx context.Context) error {
	o.Policy.PolicyDirs = append(o.Policy.PolicyDirs, o.Dirs...)
	var err error
	if o.Policy.Validate, err = o.API.ValidateFunc(); err != nil {
		return err
	}
	o.engine, err = o.Policy.Engine(ctx, policies.ModeFiles, "")
	return err
}

// Validate checks the output format.
func (o *TestOptions) Validate() error {
	if o.Output != "text" && o.Output != "json" {
		return cmdutil.UsageError("unknown output format %q (want text or json)", o.Output)
	}
	return nil
}

// Run runs the tests and fixtures, prints the report and returns an
// *cmdutil.ExitError with code 1 on failures and 2 on input errors.
func (o *TestOptions) Run(ctx context.Context) error {
	tests, err := o.engine.RunRegoTests(ctx, o.Dirs)
	if err != nil {
		return cmdutil.UsageError("%w", err)
	}
	report := &TestReport{Tests: tests}
	o.runFixtures(ctx, report)
	if len(report.Tests) == 0 && len(report.Fixtures) == 0 {
		return cmdutil.UsageError("no Rego tests (_test.rego) and no rule fixtures (pass.yaml, fail.yaml) under %s", strings.Join(o.Dirs, ", "))
	}
	report.summarize()
	if err := o.print(report); err != nil {
		return err
	}
	switch {
	case report.Summary.InputErrors > 0:
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage}
	case report.Summary.Fail > 0:
		return &cmdutil.ExitError{Code: cmdutil.ExitFindings}
	}
	return nil
}

// runFixtures lints each fixture of the rules read from the directories.
func (o *TestOptions) runFixtures(ctx context.Context, report *TestReport) {
	for _, r := range o.engine.Rules() {
		if !r.Custom || !o.underDirs(r.File) {
			continue
		}
		found := false
		for _, name := range []string{policies.FixtureFail, policies.FixturePass} {
			path := policies.FixturePath(r, name)
			if _, err := os.Stat(path); err != nil {
				continue
			}
			found = true
			report.Fixtures = append(report.Fixtures, o.runFixture(ctx, r, name, path))
		}
		if !found {
			report.NoFixtures = append(report.NoFixtures, r.ID)
		}
	}
}

func (o *TestOptions) runFixture(ctx context.Context, r policies.Rule, name, path string) FixtureResult {
	res := FixtureResult{Rule: r.ID, File: path}
	loaded := source.Load(ctx, resource.FilenameOptions{Filenames: []string{path}}, nil)
	lint, err := linter.Lint(ctx, o.engine, loaded)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	if len(lint.Errors) > 0 {
		res.Error, res.InputError = lint.Errors[0].Error(), true
		return res
	}
	res.Findings, err = policies.CheckFixture(r, name, lint.Findings)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.Pass = true
	return res
}

func (o *TestOptions) underDirs(file string) bool {
	for _, dir := range o.Dirs {
		if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") {
			return true
		}
	}
	return false
}

func (r *TestReport) summarize() {
	for _, t := range r.Tests {
		switch {
		case t.Skipped:
			r.Summary.Skipped++
		case t.Pass:
			r.Summary.Pass++
		default:
			r.Summary.Fail++
		}
	}
	for _, f := range r.Fixtures {
		switch {
		case f.Pass:
			r.Summary.Pass++
		case f.InputError:
			r.Summary.InputErrors++
		default:
			r.Summary.Fail++
		}
	}
}

func (o *TestOptions) print(r *TestReport) error {
	if o.Output == "json" {
		return cmdutil.WriteJSON(o.Out, r)
	}
	w := o.Out
	for _, t := range r.Tests {
		status := "PASS"
		switch {
		case t.Skipped:
			status = "SKIP"
		case !t.Pass:
			status = "FAIL"
		}
		fmt.Fprintf(w, "%s  %s:%d  %s (%s)\n", status, t.File, t.Line, t.Name, t.Duration.Round(1000))
		if t.Error != "" {
			fmt.Fprintf(w, "      %s\n", t.Error)
		}
		if t.Output != "" && !t.Pass {
			fmt.Fprintf(w, "      %s\n", strings.ReplaceAll(strings.TrimSpace(t.Output), "\n", "\n      "))
		}
	}
	for _, f := range r.Fixtures {
		status := "PASS"
		if !f.Pass {
			status = "FAIL"
		}
		fmt.Fprintf(w, "%s  %s  %s (%d findings)\n", status, f.File, f.Rule, f.Findings)
		if f.Error != "" {
			fmt.Fprintf(w, "      %s\n", f.Error)
		}
	}
	for _, id := range r.NoFixtures {
		fmt.Fprintf(w, "note  rule %s has no pass.yaml or fail.yaml beside its .rego\n", id)
	}
	s := r.Summary
	_, err := fmt.Fprintf(w, "%d passed, %d failed, %d skipped, %d input errors\n", s.Pass, s.Fail, s.Skipped, s.InputErrors)
	return err
}

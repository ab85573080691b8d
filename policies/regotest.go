package policies

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego unit test (a test_ rule).
type TestResult struct {
	// Name is the test's full name, data.<package>.<rule>.
	Name string `json:"name"`
	// File and Line locate the test rule.
	File string `json:"file"`
	Line int    `json:"line"`
	// Pass, or else Error says why it failed (a false or undefined body,
	// or a runtime error).
	Pass  bool   `json:"pass"`
	Error string `json:"error,omitempty"`
	// Skipped marks todo_ tests, which do not run.
	Skipped  bool          `json:"skipped,omitempty"`
	Duration time.Duration `json:"duration"`
	// Output is what the test printed (print statements).
	Output string `json:"output,omitempty"`
}

// testTimeout bounds one Rego test, as opa test's default does.
const testTimeout = 5 * time.Second

// RunRegoTests runs the Rego unit tests (_test.rego files) under dirs
// with OPA's tester against the engine's whole compiled catalog (the
// embedded library and rules, and the rules of its policy directories)
// and its data (effective parameters included), as `opa test` would. A
// test module that does not parse or compile is an error naming its file
// and line.
func (e *Engine) RunRegoTests(ctx context.Context, dirs []string) ([]TestResult, error) {
	modules := map[string]*ast.Module{}
	for name, src := range e.sources {
		if err := parseInto(modules, name, []byte(src)); err != nil {
			return nil, err
		}
	}
	tests := 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.rego") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			tests++
			return parseInto(modules, path, src)
		})
		if err != nil {
			return nil, fmt.Errorf("read tests: %w", err)
		}
	}
	if tests == 0 {
		return nil, nil
	}
	data, err := e.Data(ctx)
	if err != nil {
		return nil, err
	}
	runner := tester.NewRunner().
		SetDefaultRegoVersion(ast.RegoV1).
		SetModules(modules).
		SetStore(inmem.NewFromObject(data)).
		CapturePrintOutput(true).
		SetTimeout(testTimeout)
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("compile tests: %w", err)
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{
			Name: r.Package + "." + r.Name, Pass: r.Pass(), Skipped: r.Skip,
			Duration: r.Duration, Output: string(r.Output),
		}
		if r.Location != nil {
			tr.File, tr.Line = r.Location.File, r.Location.Row
		}
		switch {
		case r.Error != nil:
			tr.Error = r.Error.Error()
		case r.Fail:
			tr.Error = "the test's body is false or undefined"
		}
		out = append(out, tr)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out, nil
}

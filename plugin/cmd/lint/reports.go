package lint

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/output"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
)

// reportFlags are lint's extra outputs and its reporting scope: --report
// writes more formats from the same run (SARIF for code scanning and a
// Markdown job summary, say), --only-report narrows what is reported to some
// files while every input still forms the inventory (pre-commit's changed
// files, with cross-object rules still seeing the whole tree).
type reportFlags struct {
	Reports    []string
	OnlyReport []string

	files []reportFile
}

// reportFile is one --report FORMAT=FILE.
type reportFile struct {
	path    string
	printer output.Printer
}

func (r *reportFlags) addFlags(flags *pflag.FlagSet) {
	flags.StringArrayVar(&r.Reports, "report", nil, "Also write the report as FORMAT to FILE, from the same run (FORMAT=FILE, repeatable; formats as for -o), e.g. --report sarif=feastflow.sarif")
	flags.StringSliceVar(&r.OnlyReport, "only-report", nil, "Lint every input, but report only findings in these files (repeatable): cross-object rules still see the whole tree, e.g. for the changed files a pre-commit hook is given")
}

// complete parses --report values; a bad one is a usage error.
func (r *reportFlags) complete() error {
	for _, v := range r.Reports {
		format, path, ok := strings.Cut(v, "=")
		if !ok || path == "" {
			return cmdutil.UsageError("--report %q: want FORMAT=FILE, e.g. sarif=feastflow.sarif", v)
		}
		p, err := output.New(format, false)
		if err != nil {
			return cmdutil.UsageError("--report %q: %w", v, err)
		}
		r.files = append(r.files, reportFile{path: path, printer: p})
	}
	return nil
}

// write prints report to every --report file.
func (r *reportFlags) write(report *output.Report) error {
	for _, f := range r.files {
		if err := writeReportFile(f, report); err != nil {
			return err
		}
	}
	return nil
}

func writeReportFile(f reportFile, report *output.Report) (err error) {
	file, err := os.Create(f.path)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer func() {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write report %s: %w", f.path, cerr)
		}
	}()
	if err := f.printer.Print(file, report); err != nil {
		return fmt.Errorf("write report %s: %w", f.path, err)
	}
	return nil
}

// narrow keeps only the findings located in --only-report files (input
// errors are all kept: an input that could not be read leaves the inventory
// incomplete). Files counts the reported files. A file no linted object
// came from is named on warn: it was not checked.
func (r *reportFlags) narrow(report *output.Report, loaded source.Result, warn io.Writer) {
	if len(r.OnlyReport) == 0 {
		return
	}
	keep := map[string]bool{}
	for _, f := range r.OnlyReport {
		keep[samePath(f)] = true
	}
	linted := map[string]bool{}
	for _, d := range loaded.Documents {
		linted[samePath(d.File)] = true
	}
	for _, f := range r.OnlyReport {
		if !linted[samePath(f)] {
			fmt.Fprintf(warn, "warning: --only-report %s: no linted object comes from this file\n", f)
		}
	}
	findings := report.Findings[:0:0]
	for _, f := range report.Findings {
		if f.Location != nil && keep[samePath(f.Location.File)] {
			findings = append(findings, f)
		}
	}
	report.Findings = findings
	report.Files = len(keep)
}

// samePath is the key under which two spellings of a path (relative,
// absolute, ./x) compare equal.
func samePath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

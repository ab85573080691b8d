// Package lint is `kubectl feastflow lint`: manifests checked against the
// policy catalog offline, findings located in the user's files.
package lint

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/resource"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/linter"
	"github.com/feastflow/kubectl-feastflow/plugin/output"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// LintOptions are the options of `kubectl feastflow lint`.
type LintOptions struct {
	genericiooptions.IOStreams
	ConfigFlags     *genericclioptions.ConfigFlags
	FilenameOptions resource.FilenameOptions
	Policy          cmdutil.PolicyFlags
	API             cmdutil.APIFlags
	Output          string
	FailOn          string
	Color           string
	reportFlags

	// engine waits for the catalog Complete started compiling.
	engine  func() (*policies.Engine, error)
	printer output.Printer
}

const lintExample = `  # Lint every manifest in a directory (add -R for subdirectories)
  kubectl feastflow lint -f manifests/

  # Files and directories may also be given as arguments
  kubectl feastflow lint deploy.yaml k8s/

  # Lint a kustomize overlay, rendered by kustomize's own library
  kubectl feastflow lint -k manifests/feastflow/overlays/prod

  # Lint from stdin, e.g. a Helm chart
  helm template my-chart | kubectl feastflow lint -f -

  # SARIF for GitHub code scanning; annotations in GitHub Actions
  kubectl feastflow lint -f manifests/ -o sarif > feastflow.sarif
  kubectl feastflow lint -f manifests/ -o github

  # SARIF for code scanning and a Markdown job summary from the same run
  kubectl feastflow lint -f manifests/ -o github --report sarif=feastflow.sarif --report markdown=summary.md

  # Lint the whole tree, report only two changed files (pre-commit)
  kubectl feastflow lint -R -f manifests/ manifests/a.yaml manifests/b.yaml

  # Treat warnings as failures and require CPU limits
  kubectl feastflow lint -f manifests/ --fail-on=warn --param cpu_limit=deny

  # Add your own rules (a rule with a built-in id replaces it)
  kubectl feastflow lint -f manifests/ --policy-dir ./my-policies`

// NewCmdLint returns `kubectl feastflow lint`.
func NewCmdLint(streams genericiooptions.IOStreams, configFlags *genericclioptions.ConfigFlags) *cobra.Command {
	o := &LintOptions{IOStreams: streams, ConfigFlags: configFlags}
	cmd := &cobra.Command{
		Use:   "lint [PATH...] | (-f FILENAME | -k DIRECTORY) [flags] [--only-report] [FILE...]",
		Short: "Check manifests against the policies, offline",
		Long: `Check manifests against the policy catalog without contacting a cluster.

Every finding names the file, line and column of the offending field. All
objects of the run form the inventory that cross-object rules (NetworkPolicy
coverage) read, so lint whole applications at once.

Exit codes: 0 no deny findings, 1 deny findings (or warnings with
--fail-on=warn), 2 usage or input errors (unreadable or malformed files;
the other files are still checked and reported).

Without -f or -k, positional PATH arguments are the inputs (files,
directories, URLs, as -f values). Beside -f or -k, positional FILE
arguments (or --only-report) narrow what is reported, not what is read:
every -f/-k input still forms the inventory, so a pre-commit hook given
only the changed files still judges them against the whole tree.`,
		Example: lintExample,
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(o.FilenameOptions.Filenames) == 0 && o.FilenameOptions.Kustomize == "" {
				// Without -f or -k, the arguments are the inputs, as -f values.
				o.FilenameOptions.Filenames = args
			} else {
				// Beside -f or -k, they are report-only files, as with --only-report.
				o.OnlyReport = append(o.OnlyReport, args...)
			}
			return cmdutil.RunE(o)(cmd, args)
		},
	}
	flags := cmd.Flags()
	cmdutil.AddFilenameFlags(flags, &o.FilenameOptions, "lint")
	flags.StringVarP(&o.Output, "output", "o", "text", "Output format: "+strings.Join(output.Formats, "|"))
	flags.StringVar(&o.FailOn, "fail-on", "deny", "Lowest severity that fails the run: deny|warn")
	flags.StringVar(&o.Color, "color", "auto", "Colour the text output: auto|always|never (auto: only on a terminal, and never with NO_COLOR)")
	o.reportFlags.addFlags(flags)
	o.Policy.ErrOut = streams.ErrOut
	o.Policy.AddFlags(flags)
	o.API.AddFlags(flags)
	flags.StringVarP(configFlags.Namespace, "namespace", "n", "", "Namespace for objects that name none (default \"default\"); no cluster is contacted")
	return cmd
}

// Complete reads the policy flags, starts compiling the catalog and picks
// the printer.
func (o *LintOptions) Complete(ctx context.Context) error {
	var err error
	if o.Policy.Validate, err = o.API.ValidateFunc(); err != nil {
		return err
	}
	// The catalog compiles while Run reads the inputs.
	if o.engine, err = o.Policy.StartEngine(ctx, policies.ModeFiles, *o.ConfigFlags.Namespace); err != nil {
		return err
	}
	color, err := o.useColor()
	if err != nil {
		return err
	}
	if o.printer, err = output.New(o.Output, color); err != nil {
		return cmdutil.UsageError("%w", err)
	}
	return o.reportFlags.complete()
}

// Validate checks the inputs and flags.
func (o *LintOptions) Validate() error {
	if err := cmdutil.ValidateFilenames(o.FilenameOptions, "lint"); err != nil {
		return err
	}
	if err := cmdutil.ValidateFailOn(o.FailOn); err != nil {
		return err
	}
	return nil
}

// Run lints the inputs, prints the report and returns an *cmdutil.ExitError
// carrying exit code 1 for failing findings and 2 for input errors.
func (o *LintOptions) Run(ctx context.Context) error {
	loaded := source.Load(ctx, o.FilenameOptions, o.In, source.Ignoring(o.Policy.ConfigFile().Ignores)).WithoutConfiguration()
	engine, err := o.engine()
	if err != nil {
		return err
	}
	report, err := linter.Lint(ctx, engine, loaded)
	if err != nil {
		return err
	}
	report.ToolVersion = buildinfo.Version()
	o.reportFlags.narrow(report, loaded, o.ErrOut)
	if err := o.printer.Print(o.Out, report); err != nil {
		return fmt.Errorf("print report: %w", err)
	}
	if err := o.reportFlags.write(report); err != nil {
		return err
	}
	return linter.Verdict(report, policies.Severity(o.FailOn))
}

func (o *LintOptions) useColor() (bool, error) {
	switch o.Color {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		if os.Getenv("NO_COLOR") != "" || o.Output != "text" {
			return false, nil
		}
		return cmdutil.IsTerminal(o.Out), nil
	}
	return false, cmdutil.UsageError("--color must be auto, always or never, not %q", o.Color)
}

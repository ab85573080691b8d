// Package cmdutil is what the kubectl feastflow commands share: exit codes,
// the Complete/Validate/Run command shape, kubectl's filename flags and the
// policy and API flags (k8s.io/kubectl/pkg/cmd/util is the model).
package cmdutil

import (
	"context"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"k8s.io/cli-runtime/pkg/resource"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// Options is the kubectl command shape every subcommand follows.
type Options interface {
	// Complete fills in what the flags imply (clients, the compiled catalog, printers).
	Complete(ctx context.Context) error
	// Validate checks the flags and arguments; its errors are usage errors.
	Validate() error
	// Run does the work; its error carries the exit code (*ExitError).
	Run(ctx context.Context) error
}

// RunE is cobra's RunE for o: Complete, Validate, then Run, stopping at
// the first error.
func RunE(o Options) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		if err := o.Complete(cmd.Context()); err != nil {
			return err
		}
		if err := o.Validate(); err != nil {
			return err
		}
		return o.Run(cmd.Context())
	}
}

// AddFilenameFlags registers kubectl's -f, -R and -k; verb says what is
// done with a kustomization ("lint", "apply").
func AddFilenameFlags(flags *pflag.FlagSet, opts *resource.FilenameOptions, verb string) {
	flags.StringSliceVarP(&opts.Filenames, "filename", "f", nil, "File, directory or URL of manifests, or - for stdin (repeatable)")
	flags.BoolVarP(&opts.Recursive, "recursive", "R", false, "Process the directories given with -f recursively")
	flags.StringVarP(&opts.Kustomize, "kustomize", "k", "", "Render a kustomization directory and "+verb+" the result")
}

// ValidateFilenames requires exactly one of -f and -k; command names the
// subcommand in the message. The error is a usage error.
func ValidateFilenames(opts resource.FilenameOptions, command string) error {
	if len(opts.Filenames) == 0 && opts.Kustomize == "" {
		return UsageError("must specify -f FILENAME or -k DIRECTORY\nSee 'kubectl feastflow %s --help' for usage", command)
	}
	if len(opts.Filenames) > 0 && opts.Kustomize != "" {
		return UsageError("only one of -f or -k can be specified")
	}
	return nil
}

// ValidateFailOn checks a --fail-on value (deny or warn); anything else is
// a usage error.
func ValidateFailOn(failOn string) error {
	if failOn != string(policies.SeverityDeny) && failOn != string(policies.SeverityWarn) {
		return UsageError("--fail-on must be deny or warn, not %q", failOn)
	}
	return nil
}

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

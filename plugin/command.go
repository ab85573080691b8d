package plugin

import (
	"context"
	"io"
	"os"

	"github.com/feastflow/kubectl-feastflow/policies"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"k8s.io/cli-runtime/pkg/resource"
)

// commandOptions is the kubectl command shape every subcommand follows.
type commandOptions interface {
	Complete(ctx context.Context) error
	Validate() error
	Run(ctx context.Context) error
}

// runCommand is cobra's RunE for o: Complete, Validate, then Run.
func runCommand(o commandOptions) func(*cobra.Command, []string) error {
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

// addFilenameFlags registers kubectl's -f, -R and -k; verb says what is
// done with a kustomization ("lint", "apply").
func addFilenameFlags(flags *pflag.FlagSet, opts *resource.FilenameOptions, verb string) {
	flags.StringSliceVarP(&opts.Filenames, "filename", "f", nil, "File, directory or URL of manifests, or - for stdin (repeatable)")
	flags.BoolVarP(&opts.Recursive, "recursive", "R", false, "Process the directories given with -f recursively")
	flags.StringVarP(&opts.Kustomize, "kustomize", "k", "", "Render a kustomization directory and "+verb+" the result")
}

// validateFilenames requires exactly one of -f and -k.
func validateFilenames(opts resource.FilenameOptions, command string) error {
	if len(opts.Filenames) == 0 && opts.Kustomize == "" {
		return usageError("must specify -f FILENAME or -k DIRECTORY\nSee 'kubectl feastflow %s --help' for usage", command)
	}
	if len(opts.Filenames) > 0 && opts.Kustomize != "" {
		return usageError("only one of -f or -k can be specified")
	}
	return nil
}

// validateFailOn checks --fail-on.
func validateFailOn(failOn string) error {
	if failOn != string(policies.SeverityDeny) && failOn != string(policies.SeverityWarn) {
		return usageError("--fail-on must be deny or warn, not %q", failOn)
	}
	return nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

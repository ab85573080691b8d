// Package version is `kubectl feastflow version`.
package version

import (
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// NewCmdVersion returns `kubectl feastflow version` (and sets root's
// --version): release, commit and build date, as text, JSON or YAML; a bad
// -o is a usage error (exit 2). The release is internal/buildinfo's,
// which SARIF's tool version and the ApplySet tooling annotation carry too.
func NewCmdVersion(root *cobra.Command, out io.Writer) *cobra.Command {
	cmd := buildinfo.NewCommand("kubectl-feastflow", root, out)
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		err := run(c, args)
		if usage := (*buildinfo.UsageError)(nil); errors.As(err, &usage) {
			return cmdutil.UsageError("%w", usage.Err)
		}
		return err
	}
	return cmd
}

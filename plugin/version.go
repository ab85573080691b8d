package plugin

import (
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
)

// Version returns the release the plugin was built from ("v0.1.0", or "dev"),
// as SARIF's tool version and the ApplySet tooling annotation carry it; see
// internal/buildinfo for how it is set.
func Version() string { return buildinfo.Version() }

// newCmdVersion returns `kubectl feastflow version` (and sets root's
// --version): release, commit and build date, as text, JSON or YAML.
func newCmdVersion(root *cobra.Command, out io.Writer) *cobra.Command {
	cmd := buildinfo.NewCommand("kubectl-feastflow", root, out)
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		err := run(c, args)
		if usage := (*buildinfo.UsageError)(nil); errors.As(err, &usage) {
			return usageError("%w", usage.Err)
		}
		return err
	}
	return cmd
}

package buildinfo

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"
)

// Output formats of the version command.
const (
	OutputText = "text"
	OutputJSON = "json"
	OutputYAML = "yaml"
)

// UsageError is a bad flag value of the version command; callers map it to
// their usage exit code.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// NewCommand returns the `version` command of binary, printing to out: one
// line of text by default, or the Info as JSON or YAML with -o. It also sets
// root's --version flag to print the same line.
func NewCommand(binary string, root *cobra.Command, out io.Writer) *cobra.Command {
	var output string
	root.Version = Get(binary).Version
	root.SetVersionTemplate(Get(binary).String() + "\n")
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the release, commit and build date",
		Example: fmt.Sprintf(`  %[1]s version
  %[1]s version -o json`, binary),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return Print(out, Get(binary), output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", OutputText, "Output format: text|json|yaml")
	return cmd
}

// Print writes info to w in format (text, json or yaml); another format is
// a *UsageError.
func Print(w io.Writer, info Info, format string) error {
	var out []byte
	var err error
	switch format {
	case OutputText, "":
		out = []byte(info.String() + "\n")
	case OutputJSON:
		out, err = json.MarshalIndent(info, "", "  ")
		out = append(out, '\n')
	case OutputYAML:
		out, err = yaml.Marshal(info)
	default:
		return &UsageError{Err: fmt.Errorf("unknown output format %q: want text, json or yaml", format)}
	}
	if err != nil {
		return fmt.Errorf("encode version: %w", err)
	}
	_, err = w.Write(out)
	return err
}

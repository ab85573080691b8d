// Package plugin implements the kubectl feastflow commands: one file per
// subcommand, each an XOptions with Complete, Validate and Run.
package plugin

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// Exit codes shared by every command.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
)

// ExitError carries a process exit code; Err, when set, is printed.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageError marks bad flags or arguments (exit code 2).
func usageError(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// ExitCode maps an error from a command to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	return ExitUsage
}

// NewCmdFeastflow returns the root command, `kubectl feastflow`.
func NewCmdFeastflow(streams genericiooptions.IOStreams) *cobra.Command {
	configFlags := genericclioptions.NewConfigFlags(true)
	cmd := &cobra.Command{
		Use:   "kubectl-feastflow",
		Short: "Check Kubernetes manifests against FeastFlow's policies",
		Long: `kubectl feastflow checks Kubernetes manifests against a catalog of Rego
policies: liveness and readiness probes, resource requests and limits,
secrets hygiene, NetworkPolicy coverage and strict schema validation.

The same embedded policies run offline (lint) and at admission
(feastflow-webhook), so what lint accepts the cluster accepts.`,
		Example: `  # Lint a directory of manifests
  kubectl feastflow lint -f manifests/

  # Lint a kustomize overlay, as SARIF for GitHub code scanning
  kubectl feastflow lint -k overlays/prod -o sarif > feastflow.sarif

  # List the rules, or explain one
  kubectl feastflow rules
  kubectl feastflow rules liveness-probe-required`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.SetOut(streams.Out)
	cmd.SetErr(streams.ErrOut)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%w\nSee '%s --help' for usage", err, c.CommandPath())}
	})
	cmd.AddCommand(
		NewCmdLint(streams, configFlags),
		NewCmdApply(streams, configFlags),
		NewCmdVerify(streams, configFlags),
		NewCmdRules(streams),
		NewCmdTest(streams),
		newCmdVersion(cmd, streams.Out),
	)
	cmd.InitDefaultCompletionCmd()
	for _, c := range cmd.Commands() {
		if c.Name() == "completion" {
			c.Example = completionExample
		}
	}
	return cmd
}

const completionExample = `  # Complete kubectl-feastflow in bash (add to ~/.bashrc)
  source <(kubectl-feastflow completion bash)

  # Complete 'kubectl feastflow <TAB>': kubectl 1.26+ runs kubectl_complete-feastflow
  # from PATH, which 'make install' puts next to the binary
  kubectl feastflow lint -<TAB>`

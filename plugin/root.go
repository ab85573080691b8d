// Package plugin assembles `kubectl feastflow`: the root command and its
// subcommands, one package each under plugin/cmd (kubectl's layout), with
// what they share in plugin/cmdutil and plugin/linter.
package plugin

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/feastflow/kubectl-feastflow/plugin/cmd/apply"
	"github.com/feastflow/kubectl-feastflow/plugin/cmd/lint"
	"github.com/feastflow/kubectl-feastflow/plugin/cmd/rules"
	"github.com/feastflow/kubectl-feastflow/plugin/cmd/test"
	"github.com/feastflow/kubectl-feastflow/plugin/cmd/verify"
	"github.com/feastflow/kubectl-feastflow/plugin/cmd/version"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// NewCmdFeastflow returns the root command, `kubectl feastflow`. Its
// errors map to exit codes with cmdutil.ExitCode; a flag error is a usage
// error (exit 2).
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
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("%w\nSee '%s --help' for usage", err, c.CommandPath())}
	})
	cmd.AddCommand(
		lint.NewCmdLint(streams, configFlags),
		apply.NewCmdApply(streams, configFlags),
		verify.NewCmdVerify(streams, configFlags),
		rules.NewCmdRules(streams),
		test.NewCmdTest(streams),
		version.NewCmdVersion(cmd, streams.Out),
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

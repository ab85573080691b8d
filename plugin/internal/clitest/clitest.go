// Package clitest runs the assembled `kubectl feastflow` root command in
// tests, as main does, for the command packages' external tests
// (package <verb>_test): it imports every command, so a command's
// in-package tests cannot use it.
package clitest

import (
	"bytes"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
	"github.com/feastflow/kubectl-feastflow/plugin"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// Run runs the root command with args and returns stdout and the exit code.
func Run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := plugin.NewCmdFeastflow(genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut})
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), cmdutil.ExitCode(err)
}

// RunErr runs the root command and returns stdout, stderr followed by the
// error's text, and the exit code.
func RunErr(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := plugin.NewCmdFeastflow(genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut})
	cmd.SetArgs(args)
	err := cmd.Execute()
	msg := errOut.String()
	if err != nil {
		msg += err.Error()
	}
	return out.String(), msg, cmdutil.ExitCode(err)
}

// RunCluster runs the root command against env (--kubeconfig appended to
// args) and returns stdout, stderr (ending with the error as main prints
// it) and the exit code.
func RunCluster(t *testing.T, env *controlplane.Env, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := plugin.NewCmdFeastflow(genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut})
	cmd.SetArgs(append(args, "--kubeconfig", env.Kubeconfig))
	err := cmd.Execute()
	if err != nil {
		errOut.WriteString("error: " + err.Error() + "\n") // as main prints it
	}
	return out.String(), errOut.String(), cmdutil.ExitCode(err)
}

// Command kubectl-feastflow is the kubectl plugin `kubectl feastflow`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/feastflow/kubectl-feastflow/plugin"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	streams := genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	cmd := plugin.NewCmdFeastflow(streams)
	err := cmd.ExecuteContext(ctx)
	stop()
	if err != nil {
		if msg := err.Error(); !isSilent(err) {
			fmt.Fprintln(os.Stderr, "error: "+msg)
		}
		os.Exit(cmdutil.ExitCode(err))
	}
}

// isSilent reports exit errors that carry only a code: the report said it all.
func isSilent(err error) bool {
	exit, ok := err.(*cmdutil.ExitError)
	return ok && exit.Err == nil
}

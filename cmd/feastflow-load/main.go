// Command feastflow-load measures the admission webhook: open-loop,
// constant-rate load of AdmissionReviews over loopback TLS (`run`), and
// the whole comparison with OPA's own server and through a real API
// server in one go (`suite`).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCommand().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		os.Exit(1)
	}
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "feastflow-load",
		Short:         "Load and latency measurements of feastflow-webhook",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCommand(), newSuiteCommand())
	return root
}

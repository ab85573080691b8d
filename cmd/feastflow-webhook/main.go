// Command feastflow-webhook is the validating admission webhook that
// enforces kubectl-feastflow's policies cluster-wide.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
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
	o := newServeOptions()
	zapOpts := &zap.Options{}
	cmd := &cobra.Command{
		Use:   "feastflow-webhook",
		Short: "Validating admission webhook enforcing the kubectl-feastflow policy catalog",
		Long: `feastflow-webhook serves /validate for the ValidatingWebhookConfiguration in
manifests/webhook: every CREATE and UPDATE of the kinds the catalog checks is
evaluated with the same embedded Rego catalog as 'kubectl feastflow lint'.

Modes: enforce denies requests with deny findings; warn admits them with
admission warnings; audit admits them and only logs and counts. Warn-severity
findings are warnings in every mode.`,
		Example: `  # In a cluster (the shipped Deployment's arguments)
  feastflow-webhook --mode=enforce --cert-dir=/certs --cert-rotation \
    --namespace=feastflow-system

  # As a local process for a local API server, with certificates from
  # 'feastflow-webhook certs generate'
  feastflow-webhook --kubeconfig ~/.kube/config --cert-dir ./certs --port 9443`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(cmd.Context(), zap.New(zap.UseFlagOptions(zapOpts)))
		},
	}
	o.AddFlags(cmd.Flags())
	goFlags := flag.NewFlagSet("zap", flag.ContinueOnError)
	zapOpts.BindFlags(goFlags)
	cmd.Flags().AddGoFlagSet(goFlags)
	cmd.AddCommand(newCertsCommand(), buildinfo.NewCommand("feastflow-webhook", cmd, os.Stdout))
	return cmd
}

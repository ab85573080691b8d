package main

import (
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/feastflow/kubectl-feastflow/certs"
)

// certsOptions are the flags of `certs generate`.
type certsOptions struct {
	service, namespace string
	outDir             string
	dnsNames           []string
	ips                []net.IP
	validity           time.Duration
	kubeconfig         string
	injectInto         string
	secretName         string
}

func newCertsCommand() *cobra.Command {
	o := &certsOptions{}
	certsCmd := &cobra.Command{
		Use:   "certs",
		Short: "Certificates for the webhook when --cert-rotation is not used",
	}
	gen := &cobra.Command{
		Use:   "generate",
		Short: "Generate a CA and a serving certificate, optionally installing them in a cluster",
		Long: `Generate a CA and a serving certificate for <service>.<namespace>.svc (and the
other names a Service answers to), write ca.crt, tls.crt and tls.key to --out,
and optionally store them in a Secret and put the CA into a
ValidatingWebhookConfiguration's caBundle. The CA key is never written.`,
		Example: `  # For a webhook running as a local process next to a local API server
  feastflow-webhook certs generate --out ./certs --ip 127.0.0.1 --dns localhost \
    --kubeconfig ~/.kube/config --inject-ca-into feastflow-webhook

  # For an in-cluster install without --cert-rotation
  feastflow-webhook certs generate --out ./certs --namespace feastflow-system \
    --secret feastflow-webhook-tls --inject-ca-into feastflow-webhook`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd)
		},
	}
	fs := gen.Flags()
	fs.StringVar(&o.service, "service", "feastflow-webhook", "Service name the certificate is for")
	fs.StringVar(&o.namespace, "namespace", "feastflow-system", "Namespace of the Service")
	fs.StringVar(&o.outDir, "out", "", "Directory to write ca.crt, tls.crt and tls.key to (required)")
	fs.StringSliceVar(&o.dnsNames, "dns", nil, "Extra DNS names for the serving certificate")
	fs.IPSliceVar(&o.ips, "ip", nil, "IP addresses for the serving certificate (e.g. 127.0.0.1 for a local process)")
	fs.DurationVar(&o.validity, "validity", certs.DefaultCertValidity, "Validity of the serving certificate")
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "Kubeconfig for --secret and --inject-ca-into (default: $KUBECONFIG, ~/.kube/config)")
	fs.StringVar(&o.injectInto, "inject-ca-into", "", "ValidatingWebhookConfiguration to set the caBundle of")
	fs.StringVar(&o.secretName, "secret", "", "Also store the certificates in this kubernetes.io/tls Secret in --namespace")
	_ = gen.MarkFlagRequired("out")
	certsCmd.AddCommand(gen)
	return certsCmd
}

func (o *certsOptions) run(cmd *cobra.Command) error {
	bundle, err := certs.Generate(certs.Options{
		Service: o.service, Namespace: o.namespace,
		ExtraDNSNames: o.dnsNames, IPs: o.ips, CertValidity: o.validity,
	})
	if err != nil {
		return err
	}
	if err := bundle.WriteFiles(o.outDir); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s/{ca.crt,tls.crt,tls.key} for %s\n", o.outDir, certs.ServiceHost(o.service, o.namespace))
	if o.injectInto == "" && o.secretName == "" {
		return nil
	}
	c, err := o.client()
	if err != nil {
		return err
	}
	if o.secretName != "" {
		if err := certs.ApplySecret(cmd.Context(), c, bundle.Secret(o.secretName, o.namespace)); err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "secret/%s configured in namespace %s\n", o.secretName, o.namespace)
	}
	if o.injectInto != "" {
		if err := certs.InjectCABundle(cmd.Context(), c, o.injectInto, bundle.CACert); err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "validatingwebhookconfiguration/%s caBundle updated\n", o.injectInto)
	}
	return nil
}

func (o *certsOptions) client() (client.Client, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = o.kubeconfig
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, nil).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("load kubeconfig: %w", err)
	}
	c, err := client.New(cfg, client.Options{})
	if err != nil {
		return nil, fmt.Errorf("new client: %w", err)
	}
	return c, nil
}

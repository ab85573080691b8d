// Package verify is `kubectl feastflow verify`: a checklist of a live
// cluster (the webhook, the policies audited on live objects, rollouts and
// network).
package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// Defaults of the verify flags; they match manifests/webhook.
const (
	DefaultWebhookConfig    = "feastflow-webhook"
	DefaultWebhookNamespace = "feastflow-system"
	DefaultWebhookSecret    = "feastflow-webhook-tls"
	// DefaultMaxRestarts is the restart count above which a container warns.
	DefaultMaxRestarts = 5
)

// webhookName is the name of the shipped webhook, found in its denials.
const webhookName = "validate.policy.feastflow.io"

// VerifyOptions are the options of `kubectl feastflow verify`.
type VerifyOptions struct {
	genericiooptions.IOStreams
	ConfigFlags      *genericclioptions.ConfigFlags
	Policy           cmdutil.PolicyFlags
	Output           string
	AllNamespaces    bool
	SkipNamespaces   []string
	WebhookConfig    string
	WebhookNamespace string
	WebhookSecret    string
	MaxRestarts      int32
	DialTimeout      time.Duration

	namespace string
	context   string
	kube      kubernetes.Interface
	dynamic   dynamic.Interface
	warnings  *warningRecorder
	engine    *policies.Engine
	now       time.Time
}

const verifyExample = `  # Verify the current context's namespace: webhook, policies, rollouts, network
  kubectl feastflow verify

  # Verify one namespace of another cluster, as JSON for scripts
  kubectl feastflow verify --context prod -n shop -o json

  # Verify every namespace (kube-system, kube-public and kube-node-lease are skipped)
  kubectl feastflow verify -A

  # Audit with your own rules and parameters, tolerating more restarts
  kubectl feastflow verify -n shop --policy-dir ./my-policies --param cpu_limit=deny --max-restarts=10`

// NewCmdVerify returns `kubectl feastflow verify`.
func NewCmdVerify(streams genericiooptions.IOStreams, configFlags *genericclioptions.ConfigFlags) *cobra.Command {
	o := &VerifyOptions{IOStreams: streams, ConfigFlags: configFlags}
	cmd := &cobra.Command{
		Use:   "verify [flags]",
		Short: "Verify a live cluster: webhook, policies, rollouts and network",
		Long: `Verify the cluster of the current context and print a checklist.

Webhook: the ValidatingWebhookConfiguration is present, its caBundle
verifies the serving certificate, the certificate is not about to expire,
the webhook's Service has ready endpoints (or its URL answers), and a
server-side dry run of a Deployment without probes is really denied. When
the webhook is unreachable, the command that unblocks the cluster is shown.

Policies: every live object of the namespace(s) is audited by the same
engine and catalog as lint and the webhook, the live cluster forming the
inventory of cross-object rules. Secrets are never read.

Rollouts: every workload is Current (kstatus), Pods are Ready, and no
container restarted more than --max-restarts times.

Network: Services have ready endpoints, every running Pod is selected by
an ingress NetworkPolicy, and each namespace has a default-deny policy.

Exit codes: 0 every check passed (warnings allowed), 1 a check failed,
2 usage errors or a cluster that cannot be reached or read.`,
		Example:      verifyExample,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE:         cmdutil.RunE(o),
	}
	flags := cmd.Flags()
	configFlags.AddFlags(flags)
	flags.BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "Verify every namespace but those of --skip-namespace")
	flags.StringSliceVar(&o.SkipNamespaces, "skip-namespace", []string{"kube-system", "kube-public", "kube-node-lease"}, "Namespaces -A leaves out (-n still verifies them)")
	flags.StringVarP(&o.Output, "output", "o", "text", "Output format: "+strings.Join(verifyFormats, "|"))
	flags.StringVar(&o.WebhookConfig, "webhook-config", DefaultWebhookConfig, "Name of the ValidatingWebhookConfiguration to verify")
	flags.StringVar(&o.WebhookNamespace, "webhook-namespace", DefaultWebhookNamespace, "Namespace of the webhook's TLS Secret")
	flags.StringVar(&o.WebhookSecret, "webhook-secret", DefaultWebhookSecret, "TLS Secret holding the webhook's serving certificate (only tls.crt is read)")
	flags.Int32Var(&o.MaxRestarts, "max-restarts", DefaultMaxRestarts, "Warn when a container restarted more often than this")
	flags.DurationVar(&o.DialTimeout, "dial-timeout", 5*time.Second, "Timeout of the TLS dial to a URL-registered webhook, and of the AdmissionReview sent to a Service-registered one through the API server")
	o.Policy.ErrOut = streams.ErrOut
	o.Policy.AddFlags(flags)
	return cmd
}

// Complete resolves the namespace, builds the clients and compiles the
// policies in cluster mode. Clients already set (tests) are kept.
func (o *VerifyOptions) Complete(ctx context.Context) error {
	loader := o.ConfigFlags.ToRawKubeConfigLoader()
	ns, _, err := loader.Namespace()
	if err != nil {
		return cmdutil.UsageError("resolve namespace: %w", err)
	}
	o.namespace = ns
	if o.ConfigFlags.Context != nil && *o.ConfigFlags.Context != "" {
		o.context = *o.ConfigFlags.Context
	} else if raw, err := loader.RawConfig(); err == nil {
		o.context = raw.CurrentContext
	}
	if o.warnings == nil {
		o.warnings = &warningRecorder{}
	}
	if o.kube == nil || o.dynamic == nil {
		if err := o.buildClients(); err != nil {
			return err
		}
	}
	if o.now.IsZero() {
		o.now = time.Now()
	}
	o.engine, err = o.Policy.Engine(ctx, policies.ModeCluster, o.namespace)
	return err
}

func (o *VerifyOptions) buildClients() error {
	cfg, err := o.ConfigFlags.ToRESTConfig()
	if err != nil {
		return cmdutil.UsageError("load kubeconfig: %w", err)
	}
	cfg = rest.CopyConfig(cfg)
	cfg.WarningHandler = o.warnings
	if o.kube, err = kubernetes.NewForConfig(cfg); err != nil {
		return cmdutil.UsageError("create client: %w", err)
	}
	if o.dynamic, err = dynamic.NewForConfig(cfg); err != nil {
		return cmdutil.UsageError("create client: %w", err)
	}
	return nil
}

// Validate checks the flags.
func (o *VerifyOptions) Validate() error {
	if !slices.Contains(verifyFormats, o.Output) {
		return cmdutil.UsageError("--output must be one of %s, not %q", strings.Join(verifyFormats, ", "), o.Output)
	}
	if o.MaxRestarts < 0 {
		return cmdutil.UsageError("--max-restarts must not be negative")
	}
	if o.DialTimeout <= 0 {
		return cmdutil.UsageError("--dial-timeout must be positive")
	}
	return nil
}

// Run reads the cluster, runs every check, prints the checklist and
// returns a *cmdutil.ExitError with exit code 1 when a check failed, or 2 when
// the cluster could not be reached or read.
func (o *VerifyOptions) Run(ctx context.Context) error {
	if _, err := o.kube.Discovery().ServerVersion(); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("connect to cluster: %w", err)}
	}
	scope := snapshotScope{Namespace: o.namespace, AllNamespaces: o.AllNamespaces, Skip: o.SkipNamespaces}
	snap, err := takeSnapshot(ctx, o.dynamic, scope, liveKinds(o.engine))
	if err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("read cluster: %w", err)}
	}
	report := &VerifyReport{Context: o.context}
	report.Checks = append(report.Checks, o.webhookVerifier().checks(ctx)...)
	policyResults, err := policyChecks(ctx, o.engine, snap)
	if err != nil {
		return fmt.Errorf("audit policies: %w", err)
	}
	report.Checks = append(report.Checks, policyResults...)
	report.Checks = append(report.Checks, rolloutChecks(snap, o.MaxRestarts)...)
	report.Checks = append(report.Checks, serviceChecks(snap)...)
	report.Checks = append(report.Checks, networkPolicyChecks(snap)...)
	if err := printVerifyReport(o.Out, o.Output, report); err != nil {
		return fmt.Errorf("print report: %w", err)
	}
	if report.Summary().Fail > 0 {
		return &cmdutil.ExitError{Code: cmdutil.ExitFindings}
	}
	return nil
}

func (o *VerifyOptions) webhookVerifier() *webhookVerifier {
	testNS := []string{o.namespace, "default"}
	if o.AllNamespaces || o.namespace == "default" {
		testNS = []string{"default"}
	}
	marks := []string{webhookName, o.WebhookConfig}
	for _, r := range o.engine.Rules() {
		marks = append(marks, r.ID)
	}
	return &webhookVerifier{
		kube: o.kube, configName: o.WebhookConfig,
		secretNamespace: o.WebhookNamespace, secretName: o.WebhookSecret,
		testNamespaces: testNS, denialMarks: marks,
		kubectl: o.kubectlCommand(), dialTimeout: o.DialTimeout,
		probe: serviceProxyProber(o.kube), warnings: o.warnings, now: o.now,
	}
}

// kubectlCommand is "kubectl" with the --kubeconfig and --context this
// run was given, so printed commands act on the same cluster.
func (o *VerifyOptions) kubectlCommand() string {
	cmd := "kubectl"
	if f := o.ConfigFlags.KubeConfig; f != nil && *f != "" {
		cmd += " --kubeconfig " + shellQuote(*f)
	}
	if f := o.ConfigFlags.Context; f != nil && *f != "" {
		cmd += " --context " + shellQuote(*f)
	}
	return cmd
}

// shellQuote single-quotes s when a shell would split or expand it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '/' || r == ':' || r == '@' || r == '=' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Package apply is `kubectl feastflow apply`: the manifests linted as lint
// does, then, only when they pass, server-side applied in dependency order,
// optionally pruned through an ApplySet and waited for (kstatus).
package apply

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/resource"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/linter"
	"github.com/feastflow/kubectl-feastflow/plugin/output"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// FieldManager is the server-side apply field manager of `apply`.
const FieldManager = "kubectl-feastflow"

// Dry-run modes of apply, as kubectl names them.
const (
	DryRunNone   = "none"
	DryRunClient = "client"
	DryRunServer = "server"
)

// ApplyOptions are the options of `kubectl feastflow apply`.
type ApplyOptions struct {
	genericiooptions.IOStreams
	ConfigFlags     *genericclioptions.ConfigFlags
	FilenameOptions resource.FilenameOptions
	Policy          cmdutil.PolicyFlags
	API             cmdutil.APIFlags
	FailOn          string
	DryRun          string
	ForceConflicts  bool
	Wait            bool
	Timeout         time.Duration
	Prune           bool
	ApplySet        string
	SecretsFromEnv  string

	// engine waits for the catalog Complete started compiling.
	engine    func() (*policies.Engine, error)
	namespace string
	secrets   secretValues
}

const applyExample = `  # Lint, then server-side apply FeastFlow's prod overlay and wait for the rollout
  kubectl feastflow apply -k manifests/feastflow/overlays/prod --wait

  # See what would change: real admission (webhooks) and defaulting, nothing persisted
  kubectl feastflow apply -k manifests/feastflow/overlays/prod --dry-run=server

  # Create missing Secrets from a dotenv file (values are never printed);
  # keys marked secrets.feastflow.io/generate get random values otherwise
  kubectl feastflow apply -k manifests/feastflow/overlays/prod --secrets-from-env prod.env

  # Remove objects applied earlier that are no longer in the input
  kubectl feastflow apply -k manifests/feastflow/overlays/prod --prune --applyset=feastflow -n feastflow`

// NewCmdApply returns `kubectl feastflow apply`.
func NewCmdApply(streams genericiooptions.IOStreams, configFlags *genericclioptions.ConfigFlags) *cobra.Command {
	o := &ApplyOptions{IOStreams: streams, ConfigFlags: configFlags}
	cmd := &cobra.Command{
		Use:   "apply (-f FILENAME | -k DIRECTORY) [flags]",
		Short: "Lint manifests, then server-side apply them only if they pass",
		Long: `Lint the manifests exactly as 'kubectl feastflow lint' does and, only when
there is no deny finding, apply them with server-side apply (field manager
kubectl-feastflow) in dependency order: Namespaces, CRDs, ServiceAccounts
and RBAC, NetworkPolicies (before any workload), ConfigMaps and Secrets,
PVCs, Services, workloads, HPAs and PDBs, Ingresses.

When lint fails, nothing is sent to the cluster and the exit code is 1.

Secrets: a Secret manifest without values, annotated with
secrets.feastflow.io/keys (and optionally secrets.feastflow.io/generate),
is created when missing, from --secrets-from-env or with random values for
generated keys. An existing value is never overwritten and no value is
ever printed.`,
		Example: applyExample,
		Args:    cobra.NoArgs,
		RunE:    cmdutil.RunE(o),
	}
	flags := cmd.Flags()
	cmdutil.AddFilenameFlags(flags, &o.FilenameOptions, "apply")
	flags.StringVar(&o.FailOn, "fail-on", "deny", "Lowest lint severity that refuses the apply: deny|warn")
	flags.StringVar(&o.DryRun, "dry-run", DryRunNone, "none, client (print the objects, send nothing) or server (admission and defaulting run, nothing persists)")
	flags.BoolVar(&o.ForceConflicts, "force-conflicts", false, "Take ownership of fields another field manager owns")
	flags.BoolVar(&o.Wait, "wait", false, "Wait until every applied object is Current (kstatus); on failure show the failing pods and events")
	flags.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "How long --wait waits")
	flags.BoolVar(&o.Prune, "prune", false, "Delete objects of the --applyset that are no longer in the input")
	flags.StringVar(&o.ApplySet, "applyset", "", "ApplySet parent Secret NAME (in -n) recording what was applied; kubectl understands it")
	flags.StringVar(&o.SecretsFromEnv, "secrets-from-env", "", "Dotenv file of Secret values: KEY=VALUE or SECRETNAME.KEY=VALUE")
	o.Policy.ErrOut = streams.ErrOut
	o.Policy.AddFlags(flags)
	o.API.AddFlags(flags)
	configFlags.AddFlags(flags)
	return cmd
}

// Complete reads the policy flags, starts compiling the catalog, resolves
// the namespace and reads secret values.
func (o *ApplyOptions) Complete(ctx context.Context) error {
	ns, _, err := o.ConfigFlags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return cmdutil.UsageError("resolve namespace: %w", err)
	}
	o.namespace = ns
	if o.Policy.Validate, err = o.API.ValidateFunc(); err != nil {
		return err
	}
	// The catalog compiles while Run reads the inputs.
	if o.engine, err = o.Policy.StartEngine(ctx, policies.ModeFiles, ns); err != nil {
		return err
	}
	if o.SecretsFromEnv != "" {
		if o.secrets, err = readSecretValues(o.SecretsFromEnv); err != nil {
			return cmdutil.UsageError("%w", err)
		}
	}
	return nil
}

// Validate checks the inputs and flags.
func (o *ApplyOptions) Validate() error {
	if err := cmdutil.ValidateFilenames(o.FilenameOptions, "apply"); err != nil {
		return err
	}
	switch o.DryRun {
	case DryRunNone, DryRunClient, DryRunServer:
	default:
		return cmdutil.UsageError("--dry-run must be none, client or server, not %q", o.DryRun)
	}
	if err := cmdutil.ValidateFailOn(o.FailOn); err != nil {
		return err
	}
	if o.Prune && o.ApplySet == "" {
		return cmdutil.UsageError("--prune needs --applyset=NAME: the ApplySet records what this tool applied, so nothing else is pruned")
	}
	if o.Wait && o.DryRun != DryRunNone {
		return cmdutil.UsageError("--wait cannot be combined with --dry-run")
	}
	return nil
}

// Run lints, refuses on failing findings, then applies in order.
func (o *ApplyOptions) Run(ctx context.Context) error {
	loaded := source.Load(ctx, o.FilenameOptions, o.In, source.Ignoring(o.Policy.ConfigFile().Ignores)).WithoutConfiguration()
	engine, err := o.engine()
	if err != nil {
		return err
	}
	report, err := linter.Lint(ctx, engine, loaded)
	if err != nil {
		return err
	}
	if err := linter.Verdict(report, policies.Severity(o.FailOn)); err != nil {
		if perr := printRefusal(o.ErrOut, report); perr != nil {
			return perr
		}
		return err
	}
	if s := report.Summary(); s.Warn > 0 || s.Exempted > 0 {
		if err := printRefusal(o.ErrOut, report); err != nil {
			return err
		}
	}
	objects := documentsToObjects(loaded.Documents)
	if o.DryRun == DryRunClient {
		return printObjects(o.Out, sortForApply(objects))
	}
	a, err := newApplier(o)
	if err != nil {
		return err
	}
	return a.run(ctx, objects)
}

// printRefusal prints lint's text report (findings, never values).
func printRefusal(w interface{ Write([]byte) (int, error) }, report *output.Report) error {
	p, err := output.New("text", false)
	if err != nil {
		return err
	}
	return p.Print(w, report)
}

func (o *ApplyOptions) dryRunLabel() string {
	if o.DryRun == DryRunServer {
		return " (server dry run)"
	}
	return ""
}

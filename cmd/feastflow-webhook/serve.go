package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/go-logr/logr"
	"github.com/spf13/pflag"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/policies/policyflags"
	"github.com/feastflow/kubectl-feastflow/webhook"
)

// serveOptions are the flags of the server.
type serveOptions struct {
	policy          policyflags.Flags
	rotation        rotationOptions
	registration    registrationOptions
	kubeconfig      string
	mode            string
	onError         string
	evalTimeout     time.Duration
	host            string
	port            int
	certDir         string
	metricsAddr     string
	probeAddr       string
	maxRequestBytes int64
	maxInFlight     int
	drainDelay      time.Duration
	configPoll      time.Duration
	cacheSize       int
}

func newServeOptions() *serveOptions {
	return &serveOptions{}
}

// AddFlags registers the server's flags.
func (o *serveOptions) AddFlags(fs *pflag.FlagSet) {
	o.policy.AddFlags(fs)
	o.rotation.AddFlags(fs)
	o.registration.AddFlags(fs)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "Kubeconfig file; empty means in-cluster config, then $KUBECONFIG, then ~/.kube/config")
	fs.StringVar(&o.mode, "mode", string(webhook.ModeEnforce), "What deny findings do: enforce (deny), warn (admit with warnings) or audit (admit, log and count)")
	fs.StringVar(&o.onError, "on-error", string(webhook.ErrorDeny), "Outcome when evaluation fails or passes --eval-timeout: deny (with the reason) or allow (with a warning)")
	fs.DurationVar(&o.evalTimeout, "eval-timeout", webhook.DefaultEvalTimeout, "Deadline of one evaluation; keep it under the configuration's timeoutSeconds")
	fs.StringVar(&o.host, "host", "", "Address the HTTPS webhook listens on (empty: all)")
	fs.IntVar(&o.port, "port", 9443, "Port the HTTPS webhook listens on")
	fs.StringVar(&o.certDir, "cert-dir", "/certs", "Directory with tls.crt and tls.key; reloaded when they change")
	fs.StringVar(&o.metricsAddr, "metrics-bind-address", ":8080", "Address of /metrics (Prometheus); 0 disables")
	fs.StringVar(&o.probeAddr, "health-probe-bind-address", ":8081", "Address of /healthz and /readyz; 0 disables")
	fs.Int64Var(&o.maxRequestBytes, "max-request-bytes", webhook.DefaultMaxRequestBytes, "Largest AdmissionReview body accepted (413 above)")
	fs.IntVar(&o.maxInFlight, "max-in-flight", 0, "Reviews evaluated at once; more wait up to --eval-timeout, then get 503 (0: 4 per CPU)")
	fs.DurationVar(&o.configPoll, "config-poll-interval", 10*time.Second, "How often --config and --params-file are checked for changes (a ConfigMap update), which are applied without a restart; 0 disables")
	fs.IntVar(&o.cacheSize, "findings-cache-size", webhook.DefaultFindingsCacheSize, "Objects whose findings are kept for identical objects (GitOps re-applies), emptied on every configuration or inventory change; 0 disables")
	fs.DurationVar(&o.drainDelay, "drain-delay", 5*time.Second, "After SIGTERM, keep serving this long with /readyz failing, then stop gracefully")
}

// Validate checks flag values before anything starts.
func (o *serveOptions) Validate() error {
	if _, err := webhook.ParseMode(o.mode); err != nil {
		return fmt.Errorf("--mode: %w", err)
	}
	if _, err := webhook.ParseErrorPolicy(o.onError); err != nil {
		return fmt.Errorf("--on-error: %w", err)
	}
	if o.evalTimeout <= 0 || o.drainDelay < 0 || o.maxRequestBytes <= 0 || o.cacheSize < 0 {
		return fmt.Errorf("--eval-timeout and --max-request-bytes must be positive, --drain-delay and --findings-cache-size not negative")
	}
	if err := o.registration.Validate(&o.rotation); err != nil {
		return err
	}
	return o.rotation.Validate()
}

// Run compiles the catalog, then serves until ctx ends.
func (o *serveOptions) Run(ctx context.Context, log logr.Logger) error {
	ctrllog.SetLogger(log)
	gc, err := tuneGC(os.Getenv)
	if err != nil {
		return err
	}
	log.Info("garbage collector", "gcPercent", gc.GCPercent, "memoryLimit", gc.MemoryLimit, "from", gc.Source)
	start := time.Now()
	engine, err := o.policy.Engine(ctx, policies.ModeAdmission, "default")
	if err != nil {
		return err
	}
	log.Info("policies compiled", "rules", len(engine.Rules()), "took", time.Since(start).String(), "config", o.policy.Config)
	if o.configPoll > 0 && (o.policy.Config != "" || o.policy.ParamsFile != "") {
		go o.policy.Watch(ctx, engine, policies.ModeAdmission, "default", o.configPoll, func(reloaded bool, err error) {
			if err != nil {
				log.Error(err, "configuration not applied; keeping the previous one", "config", o.policy.Config, "paramsFile", o.policy.ParamsFile)
				return
			}
			log.Info("configuration reloaded", "config", o.policy.Config, "paramsFile", o.policy.ParamsFile)
		})
	}
	restConfig, err := o.restConfig()
	if err != nil {
		return err
	}
	mode, _ := webhook.ParseMode(o.mode)
	onError, _ := webhook.ParseErrorPolicy(o.onError)
	srv, err := webhook.NewServer(ctx, webhook.Config{
		RestConfig: restConfig, Engine: engine,
		Mode: mode, OnError: onError, EvalTimeout: o.evalTimeout,
		Host: o.host, Port: o.port, CertDir: o.certDir,
		MetricsAddr: o.metricsAddr, ProbeAddr: o.probeAddr,
		MaxRequestBytes: o.maxRequestBytes, MaxInFlight: o.maxInFlight, DrainDelay: o.drainDelay,
		FindingsCacheSize: o.cacheSize,
		CertRotation:      o.rotation.options(), Registration: o.registration.options(&o.rotation), Log: log,
	})
	if err != nil {
		return err
	}
	log.Info("starting", "mode", mode, "onError", onError, "port", o.port, "version", buildinfo.Get("feastflow-webhook").String())
	return srv.Start(ctx)
}

func (o *serveOptions) restConfig() (*rest.Config, error) {
	if o.kubeconfig != "" {
		cfg, err := clientcmd.BuildConfigFromFlags("", o.kubeconfig)
		if err != nil {
			return nil, fmt.Errorf("load kubeconfig %s: %w", o.kubeconfig, err)
		}
		return cfg, nil
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return nil, fmt.Errorf("find cluster config: %w", err)
	}
	return cfg, nil
}

package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	crwebhook "sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/feastflow/kubectl-feastflow/certs"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// ValidatePath is where the webhook serves AdmissionReviews.
const ValidatePath = "/validate"

// registrationStopTimeout bounds the stop-time registration checks, so
// an unreachable API server cannot hold up the drain.
const registrationStopTimeout = 5 * time.Second

// Config is what a Server needs; the zero value of each optional field is
// a safe default.
type Config struct {
	// RestConfig reaches the API server (informers, SubjectAccessReviews).
	RestConfig *rest.Config
	// Engine is the compiled catalog, in policies.ModeAdmission.
	Engine *policies.Engine
	// Mode, OnError and EvalTimeout configure the Validator.
	Mode        Mode
	OnError     ErrorPolicy
	EvalTimeout time.Duration
	// Host and Port are where the HTTPS webhook listens (default :9443).
	Host string
	Port int
	// CertDir holds tls.crt and tls.key; they are reloaded when they change.
	CertDir string
	// MetricsAddr serves /metrics ("0" disables); ProbeAddr serves
	// /healthz and /readyz ("0" disables).
	MetricsAddr, ProbeAddr string
	// MaxRequestBytes bounds AdmissionReview bodies.
	MaxRequestBytes int64
	// MaxInFlight bounds reviews evaluated at once (ReviewHandler.MaxInFlight).
	MaxInFlight int
	// FindingsCacheSize is how many objects' findings the server keeps for
	// identical objects (FindingsCache); 0 disables the cache.
	FindingsCacheSize int
	// DrainDelay is how long the server keeps serving after its context
	// ends (SIGTERM) with /readyz failing, so endpoints drop it first.
	DrainDelay time.Duration
	// CertRotation, if set, makes and renews the certificates in CertDir
	// (and the Secret and caBundle it names) while the server runs.
	CertRotation *certs.RotationOptions
	// Registration, if set, lets the server tighten its webhook
	// configuration's failure policy once it serves and remove the
	// configuration when it is uninstalled (RegistrationOptions).
	Registration *RegistrationOptions
	// Log is the structured logger.
	Log logr.Logger
}

// Server is a configured, not yet started webhook.
type Server struct {
	cfg       Config
	mgr       manager.Manager
	inventory *Inventory
	cert      *servingCert
	metrics   *Metrics
	// registration is nil unless Config.Registration is set.
	registration *registration
	started      atomic.Bool
	// stopping is Start's context: once it ends, the server is draining.
	stopping atomic.Pointer[context.Context]
}

// NewServer builds the manager, the certificate watcher, the inventory
// informers and the /validate handler.
func NewServer(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Engine == nil || cfg.RestConfig == nil {
		return nil, errors.New("new webhook server: engine and rest config are required")
	}
	s := &Server{cfg: cfg, metrics: registeredMetrics()}
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, fmt.Errorf("build scheme: %w", err)
	}
	shutdown := 30 * time.Second
	var err error
	s.mgr, err = manager.New(cfg.RestConfig, manager.Options{
		Scheme:                  scheme,
		Logger:                  cfg.Log,
		Metrics:                 metricsserver.Options{BindAddress: orDefault(cfg.MetricsAddr, ":8080")},
		HealthProbeBindAddress:  orDefault(cfg.ProbeAddr, ":8081"),
		GracefulShutdownTimeout: &shutdown,
		Cache:                   cache.Options{DefaultTransform: cache.TransformStripManagedFields()},
		WebhookServer: crwebhook.NewServer(crwebhook.Options{
			Host: cfg.Host, Port: cfg.Port,
			TLSOpts: []func(*tls.Config){func(c *tls.Config) {
				c.MinVersion = tls.VersionTLS12
				c.GetCertificate = s.cert.GetCertificate
			}},
		}),
	})
	if err != nil {
		return nil, fmt.Errorf("new manager: %w", err)
	}
	var certsReady <-chan struct{}
	if cfg.CertRotation != nil {
		rotation := *cfg.CertRotation
		rotation.CertDir = cfg.CertDir
		if err := ensureCertSecret(ctx, cfg.RestConfig, scheme, rotation); err != nil {
			return nil, err
		}
		if certsReady, err = certs.AddRotation(s.mgr, rotation); err != nil {
			return nil, err
		}
	}
	if s.cert, err = newServingCert(cfg.CertDir, certsReady, s.recordExpiry); err != nil {
		return nil, err
	}
	if err := s.mgr.Add(s.cert); err != nil {
		return nil, fmt.Errorf("add certificate watcher: %w", err)
	}
	if s.inventory, err = WatchInventory(ctx, s.mgr.GetCache(), cfg.Engine, s.metrics, cfg.Log); err != nil {
		return nil, err
	}
	validator := &Validator{
		Engine: cfg.Engine, Mode: cfg.Mode, OnError: cfg.OnError, EvalTimeout: cfg.EvalTimeout,
		Exemptions: SubjectAccessReviewer{Client: s.mgr.GetClient()},
		Metrics:    s.metrics, Log: cfg.Log.WithName("admission"),
	}
	if cfg.FindingsCacheSize > 0 {
		if validator.Cache, err = NewFindingsCache(cfg.FindingsCacheSize); err != nil {
			return nil, err
		}
	}
	s.mgr.GetWebhookServer().Register(ValidatePath, &ReviewHandler{
		Handler: validator, MaxRequestBytes: cfg.MaxRequestBytes, MaxInFlight: cfg.MaxInFlight,
		QueueTimeout: cfg.EvalTimeout, Log: cfg.Log.WithName("review"),
	})
	if cfg.Registration != nil {
		if err := s.addRegistration(*cfg.Registration); err != nil {
			return nil, err
		}
	}
	if err := s.addChecks(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) addChecks() error {
	if err := s.mgr.AddHealthzCheck("ping", healthz.Ping); err != nil {
		return fmt.Errorf("add healthz check: %w", err)
	}
	checks := map[string]healthz.Checker{
		"webhook":     s.mgr.GetWebhookServer().StartedChecker(),
		"inventory":   s.inventory.ReadyCheck,
		"draining":    s.drainCheck,
		"certificate": s.cert.ReadyCheck,
	}
	for name, check := range checks {
		if err := s.mgr.AddReadyzCheck(name, check); err != nil {
			return fmt.Errorf("add readyz check %s: %w", name, err)
		}
	}
	return nil
}

// Ready reports whether the server answers admission requests with a
// synced inventory and is not draining: what /readyz reports.
func (s *Server) Ready() bool {
	return s.started.Load() && s.inventory.HasSynced() && !s.draining() && s.cert.ReadyCheck(nil) == nil &&
		s.mgr.GetWebhookServer().StartedChecker()(nil) == nil
}

func (s *Server) draining() bool {
	ctx := s.stopping.Load()
	return ctx != nil && (*ctx).Err() != nil
}

func (s *Server) drainCheck(_ *http.Request) error {
	if s.draining() {
		return errors.New("draining: shutting down")
	}
	return nil
}

// Start serves until ctx ends, then keeps serving for DrainDelay with
// /readyz failing, then shuts down gracefully: in-flight requests finish.
func (s *Server) Start(ctx context.Context) error {
	s.stopping.Store(&ctx)
	mgrCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	go func() {
		select {
		case <-ctx.Done():
		case <-mgrCtx.Done():
			return
		}
		if s.registration != nil {
			stopCtx, cancel := context.WithTimeout(mgrCtx, registrationStopTimeout)
			s.registration.onStop(stopCtx)
			cancel()
		}
		s.cfg.Log.Info("draining before shutdown", "delay", s.cfg.DrainDelay.String())
		timer := time.NewTimer(s.cfg.DrainDelay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-mgrCtx.Done():
		}
		stop()
	}()
	s.started.Store(true)
	return s.mgr.Start(mgrCtx)
}

// Manager is the controller-runtime manager the server runs in.
func (s *Server) Manager() manager.Manager { return s.mgr }

func (s *Server) recordExpiry(c tls.Certificate) {
	leaf := c.Leaf
	if leaf == nil && len(c.Certificate) > 0 {
		leaf, _ = x509.ParseCertificate(c.Certificate[0])
	}
	if leaf != nil {
		s.metrics.SetCertificateExpiry(leaf.NotAfter)
		s.cfg.Log.Info("serving certificate loaded", "notAfter", leaf.NotAfter.UTC().Format(time.RFC3339))
	}
}

// ensureCertSecret creates the (empty) Secret the rotator fills, with a
// client that reads from the API server: the manager's cache has not started.
func ensureCertSecret(ctx context.Context, cfg *rest.Config, scheme *runtime.Scheme, rotation certs.RotationOptions) error {
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return fmt.Errorf("new client: %w", err)
	}
	key := types.NamespacedName{Namespace: rotation.Namespace, Name: rotation.SecretName}
	if err := certs.EnsureSecret(ctx, c, key); err != nil {
		return fmt.Errorf("ensure certificate secret %s: %w", key, err)
	}
	return nil
}

// registeredMetrics are the collectors on controller-runtime's registry,
// which /metrics serves; created once per process.
var registeredMetrics = sync.OnceValue(func() *Metrics { return NewMetrics(ctrlmetrics.Registry) })

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

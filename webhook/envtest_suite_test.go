package webhook_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/feastflow/kubectl-feastflow/certs"
	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/webhook"
)

// The suite runs one real control plane (kube-apiserver + etcd) and two
// webhook servers registered with it through the shipped
// ValidatingWebhookConfiguration: one enforcing, one in warn mode for
// namespaces labelled warnModeLabel=true.
const warnModeLabel = "test.feastflow.io/warn-mode"

type suite struct {
	env         *controlplane.Env
	admin       client.Client
	bundle      *certs.Bundle
	certDir     string
	certOpts    certs.Options
	enforce     *webhook.Server
	enforceAddr string
	dir         string
	cancel      context.CancelFunc
}

var (
	suiteOnce sync.Once
	shared    *suite
	suiteErr  error
)

func TestMain(m *testing.M) {
	ctrllog.SetLogger(logr.Discard()) // the webhook servers tests start log through controller-runtime
	code := m.Run()
	if shared != nil {
		shared.stop()
	}
	os.Exit(code)
}

// cluster returns the shared suite, starting it on first use.
func cluster(t *testing.T) *suite {
	t.Helper()
	suiteOnce.Do(func() { shared, suiteErr = startSuite() })
	if suiteErr != nil {
		t.Fatalf("start control plane and webhook: %v", suiteErr)
	}
	return shared
}

func startSuite() (*suite, error) {
	dir, err := os.MkdirTemp("", "feastflow-envtest-")
	if err != nil {
		return nil, err
	}
	s := &suite{dir: dir, certDir: filepath.Join(dir, "certs")}
	if s.env, err = controlplane.Start(dir); err != nil {
		return nil, err
	}
	if s.admin, err = client.New(s.env.Config, client.Options{}); err != nil {
		return nil, err
	}
	s.certOpts = certs.Options{Service: "feastflow-webhook", Namespace: "feastflow-system", IPs: []net.IP{net.IPv4(127, 0, 0, 1)}}
	if s.bundle, err = certs.Generate(s.certOpts); err != nil {
		return nil, err
	}
	if err := s.bundle.WriteFiles(s.certDir); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	enforcePort, err := s.startServer(ctx, webhook.ModeEnforce)
	if err != nil {
		return nil, err
	}
	warnPort, err := s.startServer(ctx, webhook.ModeWarn)
	if err != nil {
		return nil, err
	}
	s.enforceAddr = fmt.Sprintf("127.0.0.1:%d", enforcePort)
	if err := s.register(ctx, "feastflow-webhook", enforcePort, metav1.LabelSelectorOpNotIn); err != nil {
		return nil, err
	}
	if err := s.register(ctx, "feastflow-webhook-warn", warnPort, metav1.LabelSelectorOpIn); err != nil {
		return nil, err
	}
	return s, s.waitEnforced(ctx)
}

// startServer starts a webhook server in mode on a free loopback port and
// waits until it is ready (policies compiled, inventory synced).
func (s *suite) startServer(ctx context.Context, mode webhook.Mode) (int, error) {
	engine, err := policies.New(ctx, policies.Options{Mode: policies.ModeAdmission})
	if err != nil {
		return 0, err
	}
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	srv, err := webhook.NewServer(ctx, webhook.Config{
		RestConfig: s.env.Config, Engine: engine, Mode: mode,
		Host: "127.0.0.1", Port: port, CertDir: s.certDir,
		MetricsAddr: "0", ProbeAddr: "0", Log: logr.Discard(),
		// As shipped: the suite's verdicts come through the findings cache,
		// emptied by the inventory writes the API server's watch brings.
		FindingsCacheSize: webhook.DefaultFindingsCacheSize,
	})
	if err != nil {
		return 0, err
	}
	if mode == webhook.ModeEnforce {
		s.enforce = srv
	}
	go func() { _ = srv.Start(ctx) }()
	err = wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, 30*time.Second, true, func(context.Context) (bool, error) {
		return srv.Ready(), nil
	})
	return port, err
}

// register creates a ValidatingWebhookConfiguration from the shipped one,
// pointed at the local server: op NotIn excludes warn-mode namespaces, In
// selects only them.
func (s *suite) register(ctx context.Context, name string, port int, op metav1.LabelSelectorOperator) error {
	url := fmt.Sprintf("https://127.0.0.1:%d%s", port, webhook.ValidatePath)
	vwc, err := shippedConfig(url, s.bundle.CACert)
	if err != nil {
		return err
	}
	vwc.Name = name
	for i := range vwc.Webhooks {
		wh := &vwc.Webhooks[i]
		wh.NamespaceSelector.MatchExpressions = append(wh.NamespaceSelector.MatchExpressions,
			metav1.LabelSelectorRequirement{Key: warnModeLabel, Operator: op, Values: []string{"true"}})
	}
	return s.admin.Create(ctx, vwc)
}

// waitEnforced waits until the API server sends requests to the webhook:
// it picks new configurations up asynchronously.
func (s *suite) waitEnforced(ctx context.Context) error {
	return wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		err := s.admin.Create(ctx, podWithoutProbes("default", "probe"), client.DryRunAll)
		return err != nil && strings.Contains(err.Error(), "feastflow"), nil
	})
}

func (s *suite) stop() {
	s.cancel()
	_ = s.env.Stop()
	_ = os.RemoveAll(s.dir)
}

// shippedConfig is manifests/webhook's configuration pointed at url.
func shippedConfig(url string, caBundle []byte) (*admissionregistrationv1.ValidatingWebhookConfiguration, error) {
	file, err := controlplane.ShippedWebhookConfig()
	if err != nil {
		return nil, err
	}
	return controlplane.LocalWebhookConfig(file, url, caBundle)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

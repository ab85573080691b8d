package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/feastflow/kubectl-feastflow/internal/loadtest"
)

// readyTimeout bounds how long a server may take to become ready.
const readyTimeout = 60 * time.Second

// runningServer is a started server and how to reach it.
type runningServer struct {
	server   *server
	endpoint endpoint
	// metricsURL is the webhook's /metrics; empty for OPA.
	metricsURL string
}

// scrapeCache reads the webhook's findings cache counters; ok is false
// for a server without them.
func (r *runningServer) scrapeCache(ctx context.Context) (hits, misses float64, ok bool, err error) {
	if r.metricsURL == "" {
		return 0, 0, false, nil
	}
	return scrapeCache(ctx, r.metricsURL)
}

type binaries struct{ webhook, opa string }

// build compiles feastflow-webhook from this tree and OPA from the
// module version go.mod pins, then generates certificates for 127.0.0.1.
func (s *suite) build(ctx context.Context) (binaries, error) {
	bin := filepath.Join(s.dir, "bin")
	var b binaries
	var err error
	if b.webhook = s.o.webhookBin; b.webhook == "" {
		if b.webhook, err = goBuild(ctx, bin, "feastflow-webhook", webhookPackage); err != nil {
			return b, err
		}
	}
	if b.opa, err = goBuild(ctx, bin, "opa", opaPackage); err != nil {
		return b, err
	}
	certs := exec.CommandContext(ctx, b.webhook, "certs", "generate", "--out", filepath.Join(s.dir, "certs"),
		"--ip", "127.0.0.1", "--dns", "localhost")
	if out, err := certs.CombinedOutput(); err != nil {
		return b, fmt.Errorf("generate certificates: %w\n%s", err, out)
	}
	return b, nil
}

// startWebhook starts feastflow-webhook in enforce mode against the
// control plane and times it from process start to /readyz 200.
func (s *suite) startWebhook(ctx context.Context, bin string) (*runningServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	probe, err := freePort()
	if err != nil {
		return nil, err
	}
	metrics, err := freePort()
	if err != nil {
		return nil, err
	}
	argv := []string{bin,
		"--kubeconfig", s.cluster.env.Kubeconfig, "--cert-dir", filepath.Join(s.dir, "certs"),
		"--host", "127.0.0.1", "--port", itoa(port), "--mode", "enforce",
		"--metrics-bind-address", "127.0.0.1:" + itoa(metrics), "--health-probe-bind-address", "127.0.0.1:" + itoa(probe),
		"--drain-delay", "0s",
	}
	var env []string
	if s.o.memoryLimit != "" {
		env = append(env, "FEASTFLOW_MEMORY_LIMIT="+s.o.memoryLimit)
	}
	srv, err := startServer("feastflow-webhook", argv, s.cpu, filepath.Join(s.dir, "webhook.log"), env...)
	if err != nil {
		return nil, err
	}
	ready, err := srv.waitReady(ctx, fmt.Sprintf("http://127.0.0.1:%d/readyz", probe), readyTimeout)
	if err != nil {
		srv.stop()
		return nil, err
	}
	s.report.Readiness.Webhook = ready
	s.report.Readiness.WebhookCompile = logField(srv.log, "policies compiled", "took")
	s.report.webhookPID = srv.pid()
	running, err := s.running(srv, fmt.Sprintf("https://127.0.0.1:%d/validate", port), "webhook")
	if err != nil {
		return nil, err
	}
	running.metricsURL = fmt.Sprintf("http://127.0.0.1:%d/metrics", metrics)
	return running, nil
}

// startOPA starts `opa run --server` with the engine's catalog, the wrapper
// policy and the engine's data for the same inventory, answering reviews at its
// default-decision endpoint (POST /), and times it to /health 200.
func (s *suite) startOPA(ctx context.Context, bin string, inventory []map[string]any) (*runningServer, error) {
	dir := filepath.Join(s.dir, "opa")
	files, err := writeModules(s.engine, dir)
	if err != nil {
		return nil, err
	}
	data, err := opaData(ctx, s.engine, inventory)
	if err != nil {
		return nil, err
	}
	dataJSON, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("encode opa data: %w", err)
	}
	dataFile, wrapperFile := filepath.Join(dir, "data.json"), filepath.Join(dir, "admission.rego")
	if err := os.WriteFile(dataFile, dataJSON, 0o600); err != nil {
		return nil, fmt.Errorf("write opa data: %w", err)
	}
	if err := os.WriteFile(wrapperFile, admissionRego, 0o600); err != nil {
		return nil, fmt.Errorf("write opa wrapper: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	certs := filepath.Join(s.dir, "certs")
	argv := append([]string{bin, "run", "--server", "--addr", "127.0.0.1:" + itoa(port),
		"--tls-cert-file", filepath.Join(certs, "tls.crt"), "--tls-private-key-file", filepath.Join(certs, "tls.key"),
		"--set=default_decision=" + opaDecision, "--log-level", "error", "--skip-version-check",
	}, files...)
	argv = append(argv, wrapperFile, dataFile)
	s.report.OPACommand = argv
	srv, err := startServer("opa", argv, s.cpu, filepath.Join(s.dir, "opa.log"))
	if err != nil {
		return nil, err
	}
	ready, err := srv.waitReady(ctx, fmt.Sprintf("https://127.0.0.1:%d/health", port), readyTimeout)
	if err != nil {
		srv.stop()
		return nil, err
	}
	s.report.Readiness.OPA = ready
	return s.running(srv, fmt.Sprintf("https://127.0.0.1:%d/", port), "opa")
}

func (s *suite) running(srv *server, url, name string) (*runningServer, error) {
	client, err := loadtest.NewClient(loadtest.ClientOptions{CAFile: s.caFile(), HTTP1: s.o.load.http1, Timeout: 10 * time.Second})
	if err != nil {
		srv.stop()
		return nil, err
	}
	return &runningServer{server: srv, endpoint: endpoint{name: name, url: url, client: client}}, nil
}

// reviewObject is request.object of the AdmissionReview at path.
func reviewObject(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read review: %w", err)
	}
	var review struct {
		Request struct {
			Object map[string]any `json:"object"`
		} `json:"request"`
	}
	if err := json.Unmarshal(data, &review); err != nil || review.Request.Object == nil {
		return nil, fmt.Errorf("read review %s: no request.object (%v)", path, err)
	}
	return review.Request.Object, nil
}

package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
)

// webhookProcess is feastflow-webhook running as a local process.
type webhookProcess struct {
	url  string
	proc *proc
}

// startWebhook generates a serving certificate for 127.0.0.1, starts the
// webhook on loopback, waits for it to be ready and registers the shipped
// ValidatingWebhookConfiguration with clientConfig.url pointing at it.
// Pods on KWOK nodes never run, so an in-cluster webhook Deployment could
// not serve; the API server reaches this process directly instead.
func startWebhook(o *options, cluster *controlplane.Cluster) (*webhookProcess, error) {
	certDir := filepath.Join(o.dir, "webhook-certs")
	out, err := exec.Command(o.webhookBin, "certs", "generate", "--out", certDir,
		"--ip", "127.0.0.1", "--dns", "localhost").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("generate certificates: %w: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	probePort, err := freePort()
	if err != nil {
		return nil, err
	}
	p, err := startProc(o.dir, o.webhookBin,
		"--kubeconfig="+cluster.Kubeconfig, "--cert-dir="+certDir,
		"--host=127.0.0.1", "--port="+strconv.Itoa(port),
		"--metrics-bind-address=0", "--health-probe-bind-address=127.0.0.1:"+strconv.Itoa(probePort),
		"--mode="+o.webhookMode, "--drain-delay=0s")
	if err != nil {
		return nil, err
	}
	hook := &webhookProcess{url: fmt.Sprintf("https://127.0.0.1:%d/validate", port), proc: p}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := waitReady(ctx, p, fmt.Sprintf("http://127.0.0.1:%d/readyz", probePort)); err != nil {
		_ = p.stop()
		return nil, err
	}
	if err := register(ctx, o.webhookConfig, hook.url, filepath.Join(certDir, "ca.crt"), cluster); err != nil {
		_ = p.stop()
		return nil, err
	}
	return hook, nil
}

// waitReady polls the webhook's readiness endpoint.
func waitReady(ctx context.Context, p *proc, url string) error {
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		select {
		case <-p.done:
			log, _ := os.ReadFile(p.log)
			return false, fmt.Errorf("feastflow-webhook exited (%v):\n%s", p.err, log)
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return false, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false, nil // not listening yet
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
	if err != nil {
		return fmt.Errorf("wait for webhook readiness: %w", err)
	}
	return nil
}

// register creates the configuration from file with every webhook's
// clientConfig replaced by url and the CA in caFile.
func register(ctx context.Context, file, url, caFile string, cluster *controlplane.Cluster) error {
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return fmt.Errorf("read webhook CA: %w", err)
	}
	config, err := controlplane.LocalWebhookConfig(file, url, ca)
	if err != nil {
		return err
	}
	client, err := kubernetes.NewForConfig(cluster.Config)
	if err != nil {
		return fmt.Errorf("cluster client: %w", err)
	}
	if _, err := client.AdmissionregistrationV1().ValidatingWebhookConfigurations().Create(ctx, config, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("register webhook: %w", err)
	}
	return nil
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

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

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
)

// webhookProcess is feastflow-webhook running as a local process.
type webhookProcess struct {
	url  string
	proc *proc
}

// startWebhook generates a serving certificate for 127.0.0.1, starts the
// webhook on loopback, registers the shipped ValidatingWebhookConfiguration
// (created, or updated when an install already made it) with
// clientConfig.url pointing at it and, as shipped, failurePolicy Ignore,
// and waits until the server, once it serves, has set failurePolicy Fail:
// the same hand-over as in a cluster. Pods on KWOK nodes never run, so an
// in-cluster webhook Deployment could not serve; the API server reaches
// this process directly instead. extraArgs go to the webhook.
func startWebhook(o *options, cluster *controlplane.Env, extraArgs ...string) (*webhookProcess, error) {
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
	url := fmt.Sprintf("https://127.0.0.1:%d/validate", port)
	config, err := localConfig(o.webhookConfig, url, filepath.Join(certDir, "ca.crt"))
	if err != nil {
		return nil, err
	}
	p, err := startProc(o.dir, o.webhookBin, append([]string{
		"--kubeconfig=" + cluster.Kubeconfig, "--cert-dir=" + certDir,
		"--host=127.0.0.1", "--port=" + strconv.Itoa(port),
		"--metrics-bind-address=0", "--health-probe-bind-address=127.0.0.1:" + strconv.Itoa(probePort),
		"--mode=" + o.webhookMode, "--drain-delay=0s",
		"--webhook-config=" + config.Name, "--failure-policy=Fail"}, extraArgs...)...)
	if err != nil {
		return nil, err
	}
	hook := &webhookProcess{url: url, proc: p}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := waitReady(ctx, p, fmt.Sprintf("http://127.0.0.1:%d/readyz", probePort)); err != nil {
		_ = p.stop()
		return nil, err
	}
	if err := register(ctx, config, cluster); err != nil {
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

// localConfig is the configuration in file pointed at url, trusting the
// CA in caFile, with the failure policy as shipped (the server tightens it).
func localConfig(file, url, caFile string) (*admissionregistrationv1.ValidatingWebhookConfiguration, error) {
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read webhook CA: %w", err)
	}
	config, err := controlplane.LocalWebhookConfig(file, url, ca)
	if err != nil {
		return nil, err
	}
	for i := range config.Webhooks {
		config.Webhooks[i].FailurePolicy = ptr.To(admissionregistrationv1.Ignore)
	}
	return config, nil
}

// register creates config, or updates the one an install made, and waits
// until the serving webhook has set failurePolicy Fail on every webhook.
func register(ctx context.Context, config *admissionregistrationv1.ValidatingWebhookConfiguration, cluster *controlplane.Env) error {
	client, err := kubernetes.NewForConfig(cluster.Config)
	if err != nil {
		return fmt.Errorf("cluster client: %w", err)
	}
	configs := client.AdmissionregistrationV1().ValidatingWebhookConfigurations()
	err = retry.RetryOnConflict(retry.DefaultRetry, func() error {
		current, err := configs.Get(ctx, config.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			_, err = configs.Create(ctx, config, metav1.CreateOptions{})
			return err
		}
		if err != nil {
			return err
		}
		current.Webhooks = config.Webhooks
		_, err = configs.Update(ctx, current, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return fmt.Errorf("register webhook: %w", err)
	}
	err = wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		current, err := configs.Get(ctx, config.Name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		for _, wh := range current.Webhooks {
			if wh.FailurePolicy == nil || *wh.FailurePolicy != admissionregistrationv1.Fail {
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("wait for the webhook to set failurePolicy Fail: %w", err)
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

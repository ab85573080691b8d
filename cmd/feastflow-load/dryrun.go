package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
	"github.com/feastflow/kubectl-feastflow/internal/loadtest"
)

// webhookConfigPath is the shipped ValidatingWebhookConfiguration.
const webhookConfigPath = "manifests/webhook/validatingwebhookconfiguration.yaml"

// dryRunResult compares server-side dry-run creates without and with the
// webhook registered, measured alternately in the same run.
type dryRunResult struct {
	Creates     int              `json:"creates_per_condition"`
	Rounds      int              `json:"rounds"`
	Without     loadtest.Summary `json:"without_webhook"`
	With        loadtest.Summary `json:"with_webhook"`
	AddedP50    time.Duration    `json:"added_p50_ns"`
	AddedP99    time.Duration    `json:"added_p99_ns"`
	RatioP50    float64          `json:"ratio_p50"`
	RatioP99    float64          `json:"ratio_p99"`
	WebhookPeak *loadtest.Memory `json:"webhook_memory_after,omitempty"`
}

// dryRunBench is the dry-run measurement's inputs.
type dryRunBench struct {
	cluster   *cluster
	compliant *appsv1.Deployment // admitted by the webhook
	denied    *appsv1.Deployment // denied by the webhook (no probes)
	config    *admissionregistrationv1.ValidatingWebhookConfiguration
}

// newDryRunBench reads the shipped webhook configuration and points it at
// url with caBundle.
func newDryRunBench(c *cluster, compliant, denied map[string]any, url string, caBundle []byte) (*dryRunBench, error) {
	b := &dryRunBench{cluster: c}
	var err error
	if b.compliant, err = toDeployment(compliant); err != nil {
		return nil, err
	}
	if b.denied, err = toDeployment(denied); err != nil {
		return nil, err
	}
	if b.config, err = controlplane.LocalWebhookConfig(webhookConfigPath, url, caBundle); err != nil {
		return nil, err
	}
	return b, nil
}

// toDeployment converts a decoded manifest into a Deployment of the
// benchmark namespace.
func toDeployment(obj map[string]any) (*appsv1.Deployment, error) {
	d := &appsv1.Deployment{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj, d); err != nil {
		return nil, fmt.Errorf("convert deployment: %w", err)
	}
	d.Namespace = benchNamespace
	return d, nil
}

// run measures creates per condition, alternating rounds without and with
// the webhook, each preceded by a few unmeasured creates.
func (b *dryRunBench) run(ctx context.Context, creates, rounds int) (*dryRunResult, error) {
	var without, with []time.Duration
	per := creates / rounds
	for r := 0; r < rounds; r++ {
		if err := b.register(ctx, false); err != nil {
			return nil, err
		}
		samples, err := b.creates(ctx, per)
		if err != nil {
			return nil, fmt.Errorf("without webhook: %w", err)
		}
		without = append(without, samples...)
		if err := b.register(ctx, true); err != nil {
			return nil, err
		}
		if samples, err = b.creates(ctx, per); err != nil {
			return nil, fmt.Errorf("with webhook: %w", err)
		}
		with = append(with, samples...)
	}
	if err := b.register(ctx, false); err != nil {
		return nil, err
	}
	res := &dryRunResult{Creates: per * rounds, Rounds: rounds, Without: loadtest.Summarize(without), With: loadtest.Summarize(with)}
	res.AddedP50, res.AddedP99 = res.With.P50-res.Without.P50, res.With.P99-res.Without.P99
	res.RatioP50 = float64(res.With.P50) / float64(res.Without.P50)
	res.RatioP99 = float64(res.With.P99) / float64(res.Without.P99)
	return res, nil
}

const dryRunWarmup = 20

// creates times n sequential dry-run creates of the compliant Deployment.
func (b *dryRunBench) creates(ctx context.Context, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := 0; i < n+dryRunWarmup; i++ {
		start := time.Now()
		err := b.create(ctx, b.compliant)
		took := time.Since(start)
		if err != nil {
			return nil, fmt.Errorf("dry-run create %d: %w", i, err)
		}
		if i >= dryRunWarmup {
			out = append(out, took)
		}
	}
	return out, nil
}

func (b *dryRunBench) create(ctx context.Context, d *appsv1.Deployment) error {
	_, err := b.cluster.clientset.AppsV1().Deployments(benchNamespace).Create(ctx, d,
		metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	return err
}

// register creates or deletes the webhook configuration and waits until
// the API server acts on it: the Deployment without probes is denied by
// the webhook exactly when it is registered.
func (b *dryRunBench) register(ctx context.Context, on bool) error {
	api := b.cluster.clientset.AdmissionregistrationV1().ValidatingWebhookConfigurations()
	var err error
	if on {
		_, err = api.Create(ctx, b.config.DeepCopy(), metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			err = nil
		}
	} else {
		err = api.Delete(ctx, b.config.Name, metav1.DeleteOptions{})
		if apierrors.IsNotFound(err) {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("register webhook %t: %w", on, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := b.create(ctx, b.denied)
		denied := err != nil && strings.Contains(err.Error(), "denied the request")
		if err != nil && !denied {
			return fmt.Errorf("probe webhook registration: %w", err)
		}
		if denied == on {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("webhook registration %t not effective after 30s", on)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

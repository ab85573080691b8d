package webhook_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

func TestFeastFlowManifestsApplyWithKubectlUnderEnforcement(t *testing.T) {
	s := cluster(t)
	out, err := exec.Command(s.env.Kubectl(), "--kubeconfig", s.env.Kubeconfig,
		"apply", "-k", filepath.Join("..", "manifests", "feastflow", "overlays", "dev")).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "deployment.apps/feastflow-backend created")
	assert.Contains(t, string(out), "statefulset.apps/postgres created")
}

func TestDeploymentWithoutProbesIsDenied(t *testing.T) {
	s := cluster(t)
	namespaceWithDefaultDeny(t, s.admin, "no-probes", nil)
	for _, opts := range [][]client.CreateOption{nil, {client.DryRunAll}} {
		err := s.admin.Create(context.Background(), withoutProbes(t, compliantDeployment(t, "no-probes", "api")), opts...)
		require.Error(t, err)
		assert.True(t, apierrors.IsForbidden(err), err)
		assert.Contains(t, err.Error(), `admission webhook "validate.policy.feastflow.io" denied the request`)
		assert.Contains(t, err.Error(), "[liveness-probe-required]")
		assert.Contains(t, err.Error(), "[readiness-probe-required]")
	}
	require.NoError(t, s.admin.Create(context.Background(), compliantDeployment(t, "no-probes", "api")))
}

func TestKubectlServerDryRunShowsTheDenial(t *testing.T) {
	s := cluster(t)
	namespaceWithDefaultDeny(t, s.admin, "dry-run", nil)
	cmd := exec.Command(s.env.Kubectl(), "--kubeconfig", s.env.Kubeconfig, "apply", "--dry-run=server", "-f", "-")
	manifest, err := withoutProbes(t, compliantDeployment(t, "dry-run", "api")).MarshalJSON()
	require.NoError(t, err)
	cmd.Stdin = strings.NewReader(string(manifest))
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "kubectl should fail: %s", out)
	assert.Contains(t, string(out), "denied the request")
	assert.Contains(t, string(out), "[liveness-probe-required]")

	var deployments metav1.PartialObjectMetadataList
	deployments.SetGroupVersionKind(compliantDeployment(t, "", "").GroupVersionKind())
	require.NoError(t, s.admin.List(context.Background(), &deployments, client.InNamespace("dry-run")))
	assert.Empty(t, deployments.Items, "a dry run creates nothing")
}

func TestWarnModeWarningsReachTheClient(t *testing.T) {
	s := cluster(t)
	namespaceWithDefaultDeny(t, s.admin, "warned", map[string]string{warnModeLabel: "true"})
	rec := &warningRecorder{}
	cfg := rest.CopyConfig(s.env.Config)
	cfg.WarningHandler = rec
	c, err := client.New(cfg, client.Options{})
	require.NoError(t, err)
	require.NoError(t, c.Create(context.Background(), withoutProbes(t, compliantDeployment(t, "warned", "api"))))
	joined := strings.Join(rec.warnings, "\n")
	assert.Contains(t, joined, "deny [liveness-probe-required]")
	assert.Contains(t, joined, "deny [readiness-probe-required]")
}

func TestInventoryFollowsTheClusterLive(t *testing.T) {
	s := cluster(t)
	ctx := context.Background()
	require.NoError(t, s.admin.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}))
	err := s.admin.Create(ctx, compliantDeployment(t, "shop", "api"), client.DryRunAll)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "[netpol-default-deny-required]")

	require.NoError(t, s.admin.Create(ctx, defaultDeny("shop")))
	err = wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, 10*time.Second, true, func(ctx context.Context) (bool, error) {
		return s.admin.Create(ctx, compliantDeployment(t, "shop", "api")) == nil, nil
	})
	require.NoError(t, err, "the Deployment should be admitted once the default-deny policy is in the inventory")

	require.NoError(t, s.admin.Delete(ctx, defaultDeny("shop")))
	err = wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, 10*time.Second, true, func(ctx context.Context) (bool, error) {
		err := s.admin.Create(ctx, compliantDeployment(t, "shop", "api-2"), client.DryRunAll)
		return err != nil && strings.Contains(err.Error(), "[netpol-default-deny-required]"), nil
	})
	require.NoError(t, err, "deleting the policy should take it out of the inventory")
}

func TestExcludedNamespacesAreNeverSentToTheWebhook(t *testing.T) {
	s := cluster(t)
	ctx := context.Background()
	require.NoError(t, s.admin.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "feastflow-system"}}))
	for _, ns := range []string{"kube-system", "kube-public", "feastflow-system"} {
		before := requestsSeen(t)
		require.NoError(t, s.admin.Create(ctx, withoutProbes(t, compliantDeployment(t, ns, "unchecked")), client.DryRunAll),
			"a non-compliant Deployment in %s is admitted only because the webhook never sees it", ns)
		assert.Equal(t, before, requestsSeen(t), "the webhook received a request for namespace %s", ns)
	}
}

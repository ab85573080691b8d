package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
	verifycmd "github.com/feastflow/kubectl-feastflow/plugin/cmd/verify"
)

// TestFirstInstallCannotLockTheCluster installs the shipped webhook
// manifests (kubectl apply -k) on a local cluster whose KWOK pods look
// Running and Ready but serve nothing: exactly a broken image. Writes to
// other namespaces must still succeed and verify must say the webhook is
// registered but not served. Then the real server runs (as `make cluster`
// runs it) and takes over: enforcement begins. Then the uninstall: the
// Deployment goes, the server deletes the configuration as it stops, and
// writes succeed again.
func TestFirstInstallCannotLockTheCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a local cluster")
	}
	dir := t.TempDir()
	cluster, kwok := startCluster(t, dir)
	kube, err := kubernetes.NewForConfig(cluster.Config)
	require.NoError(t, err)
	ctx := context.Background()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	kubectl := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(cluster.Kubectl(), append([]string{"--kubeconfig", cluster.Kubeconfig}, args...)...).CombinedOutput()
		require.NoError(t, err, "kubectl %v: %s", args, out)
		return string(out)
	}
	_, err = kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}, metav1.CreateOptions{})
	require.NoError(t, err)

	// 1. The shipped install, with pods that never serve.
	kubectl("apply", "-k", filepath.Join(root, "manifests", "webhook"))
	if kwok {
		kubectl("-n", "feastflow-system", "rollout", "status", "deployment/feastflow-webhook", "--timeout=3m")
	}
	start := time.Now()
	_, err = kube.AppsV1().Deployments("shop").Create(ctx, unprobedDeployment("before"), metav1.CreateOptions{})
	require.NoError(t, err, "a write outside the excluded namespaces is refused while no webhook pod serves")
	t.Logf("write admitted while the webhook is installed but not served, in %s", time.Since(start).Round(time.Millisecond))
	_, err = kube.CoreV1().ConfigMaps("shop").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "settings"}}, metav1.CreateOptions{})
	require.NoError(t, err)
	out, err := verify(cluster)
	require.Error(t, err, "verify passes a webhook that is not served:\n%s", out)
	if kwok { // pods Running and Ready, endpoints ready, nothing served
		assert.Contains(t, out, "none answers an AdmissionReview through the API server")
	} else { // no controllers: no pods, no endpoints
		assert.Contains(t, out, "has no ready endpoints")
	}
	assert.Contains(t, out, "registered but not served, with failurePolicy Ignore")
	assert.Contains(t, out, "delete validatingwebhookconfiguration feastflow-webhook")

	// 2. The real server takes over and enforcement begins.
	bin := filepath.Join(dir, "feastflow-webhook")
	// Built as tools/image builds the image's binary (static, -trimpath),
	// so a cold run compiles the webhook's packages for it once.
	build := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-o", bin, "./cmd/feastflow-webhook")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	buildOut, err := build.CombinedOutput()
	require.NoError(t, err, "%s", buildOut)
	shipped, err := controlplane.ShippedWebhookConfig()
	require.NoError(t, err)
	o := &options{dir: dir, webhookBin: bin, webhookMode: "enforce", webhookConfig: shipped}
	hook, err := startWebhook(o, cluster, "--namespace=feastflow-system", "--deployment=feastflow-webhook")
	require.NoError(t, err)
	t.Cleanup(func() { _ = hook.proc.stop() })
	vwc, err := kube.AdmissionregistrationV1().ValidatingWebhookConfigurations().Get(ctx, "feastflow-webhook", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, admissionregistrationv1.Fail, *vwc.Webhooks[0].FailurePolicy, "the serving webhook tightens the failure policy")
	_, err = kube.AppsV1().Deployments("shop").Create(ctx, unprobedDeployment("during"), metav1.CreateOptions{})
	require.Error(t, err, "the serving webhook does not enforce")
	assert.Contains(t, err.Error(), `admission webhook "validate.policy.feastflow.io" denied the request`)

	// 3. Uninstall: the Deployment is deleted; the server, told to stop,
	// removes the configuration before it stops serving.
	require.NoError(t, kube.AppsV1().Deployments("feastflow-system").Delete(ctx, "feastflow-webhook", metav1.DeleteOptions{}))
	require.NoError(t, hook.proc.stop())
	_, err = kube.AdmissionregistrationV1().ValidatingWebhookConfigurations().Get(ctx, "feastflow-webhook", metav1.GetOptions{})
	require.True(t, apierrors.IsNotFound(err), "the configuration outlives the uninstalled server: %v", err)
	log, _ := os.ReadFile(hook.proc.log)
	assert.Contains(t, string(log), "deployment removed: webhook configuration deleted")
	kubectl("delete", "-k", filepath.Join(root, "manifests", "webhook"), "--ignore-not-found", "--wait=false")
	_, err = kube.AppsV1().Deployments("shop").Create(ctx, unprobedDeployment("after"), metav1.CreateOptions{})
	require.NoError(t, err, "writes are refused after the uninstall")
}

// startCluster starts the local cluster of `make cluster` (KWOK nodes:
// the webhook's pods look Running and Ready but serve nothing, a broken
// image). FEASTFLOW_TEST_NO_KWOK=1 starts the API server alone (no
// controllers, so no pods and no endpoints), for machines where only
// kube-apiserver and etcd are built.
func startCluster(t *testing.T, dir string) (*controlplane.Env, bool) {
	t.Helper()
	if os.Getenv("FEASTFLOW_TEST_NO_KWOK") != "" {
		env, err := controlplane.Start(dir)
		require.NoError(t, err)
		t.Cleanup(func() { assert.NoError(t, env.Stop()) })
		return env, false
	}
	cluster, err := controlplane.StartCluster(dir, controlplane.ClusterOptions{Nodes: 2})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, cluster.Stop()) })
	return cluster.Env, true
}

// verify runs `kubectl feastflow verify` against the cluster.
func verify(cluster *controlplane.Env) (string, error) {
	var out bytes.Buffer
	streams := genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &out}
	flags := genericclioptions.NewConfigFlags(true)
	cmd := verifycmd.NewCmdVerify(streams, flags)
	cmd.SetArgs([]string{"--kubeconfig", cluster.Kubeconfig, "-n", "shop"})
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	err := cmd.Execute()
	return out.String(), err
}

// unprobedDeployment breaks the catalog's rules (no probes, no resources).
func unprobedDeployment(name string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(int32(0)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.k8s.io/pause:3.10"}}},
			},
		},
	}
}

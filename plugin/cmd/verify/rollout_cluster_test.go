package verify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
	"github.com/feastflow/kubectl-feastflow/plugin/cmd/apply"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/kustomizetest"
)

// TestApplyAndVerifyWithRealRollouts runs the operator's three commands on
// the local cluster (kube-controller-manager, kube-scheduler and KWOK nodes,
// so Deployments really roll out), with feastflow-webhook enforcing:
// apply --wait reaches Current and verify passes, then a rollout of an
// image KWOK fails to pull makes both fail with the reason.
func TestApplyAndVerifyWithRealRollouts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane with controllers and KWOK nodes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	cluster, err := controlplane.StartCluster(dir, controlplane.ClusterOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = cluster.Stop() })
	kube, err := kubernetes.NewForConfig(cluster.Config)
	require.NoError(t, err)
	_, err = kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}, metav1.CreateOptions{})
	require.NoError(t, err)
	startURLWebhook(t, ctx, cluster.Env, kube, dir)

	envFile := filepath.Join(dir, "feastflow.env")
	require.NoError(t, os.WriteFile(envFile, []byte("POSTGRES_USER=feastflow\n"), 0o600))
	out, errOut, code := runApply(t, cluster.Env, "-k", devOverlay, "--secrets-from-env", envFile, "--wait", "--timeout", "2m")
	require.Equal(t, cmdutil.ExitOK, code, out+errOut)
	assert.Contains(t, out, "deployment.apps/feastflow-backend: Current")
	assert.Contains(t, out, "statefulset.apps/postgres: Current")
	assert.Regexp(t, `all \d+ objects are Current`, out)

	report, code := runVerify(ctx, cluster.Kubeconfig, "-n", "feastflow")
	require.Equal(t, cmdutil.ExitOK, code, report)
	assert.Contains(t, report, "✔ dry-run denied")
	assert.NotContains(t, report, "✖")

	broken := overlayWithBackendImage(t, "ghcr.io/feastflow/feastflow-backend", "1.4.3-broken")
	out, errOut, code = runApply(t, cluster.Env, "-k", broken, "--wait", "--timeout", "20s")
	require.Equal(t, cmdutil.ExitFindings, code, out+errOut)
	assert.Contains(t, out, "deployment.apps/feastflow-backend configured: spec.template")
	assert.Contains(t, errOut, controlplane.BrokenImageReason)
	assert.Contains(t, errOut, "kubectl rollout undo deployment/feastflow-backend -n feastflow")

	report, code = runVerify(ctx, cluster.Kubeconfig, "-n", "feastflow")
	require.Equal(t, cmdutil.ExitFindings, code, report)
	assert.Contains(t, report, controlplane.BrokenImageReason)
	assert.True(t, strings.Contains(report, "feastflow-backend"), report)
}

// overlayWithBackendImage writes an overlay of the dev overlay that moves
// the backend to image:tag.
func overlayWithBackendImage(t *testing.T, image, tag string) string {
	return kustomizetest.OverlayOf(t, devOverlay, "images:\n  - name: "+image+"\n    newTag: "+tag+"\n")
}

// devOverlay is FeastFlow's dev overlay, which the apply tests apply too.
const devOverlay = "../../../manifests/feastflow/overlays/dev"

// runApply runs `kubectl feastflow apply` (NewCmdApply, as the root
// command registers it) against env and returns stdout, stderr (ending
// with the error as main prints it) and the exit code.
func runApply(t *testing.T, env *controlplane.Env, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut}
	cmd := apply.NewCmdApply(streams, genericclioptions.NewConfigFlags(true))
	cmd.SetArgs(append(args, "--kubeconfig", env.Kubeconfig))
	cmd.SetOut(&errOut)
	cmd.SetErr(&errOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true // as the root command sets them
	err := cmd.Execute()
	if err != nil {
		errOut.WriteString("error: " + err.Error() + "\n") // as main prints it
	}
	return out.String(), errOut.String(), cmdutil.ExitCode(err)
}

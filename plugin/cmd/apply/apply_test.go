package apply_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/kustomizetest"
)

const devOverlay = "../../../manifests/feastflow/overlays/dev"

func TestApplyRefusesFailingManifestsAndSendsNothing(t *testing.T) {
	env, client := applyCluster(t)
	out, errOut, code := clitest.RunCluster(t, env, "apply", "-f", "../../../testdata/before")
	require.Equal(t, cmdutil.ExitFindings, code, out+errOut)
	assert.Contains(t, errOut, "liveness-probe-required")
	assert.Empty(t, out, "nothing is applied")
	_, err := client.CoreV1().Namespaces().Get(context.Background(), "feastflow", metav1.GetOptions{})
	if err == nil {
		// Another test may have applied FeastFlow; then check the before copy's own Secret.
		_, err = client.CoreV1().Secrets("feastflow").Get(context.Background(), "feastflow-secrets", metav1.GetOptions{})
	}
	require.True(t, apierrors.IsNotFound(err), "no object of the refused input reached the API server: %v", err)
}

func TestApplyFeastFlowCreatesInOrderThenReportsUnchanged(t *testing.T) {
	env, client := applyCluster(t)
	ctx := context.Background()
	envFile := filepath.Join(t.TempDir(), "prod.env")
	require.NoError(t, os.WriteFile(envFile, []byte("# test values\nPOSTGRES_USER=feastflow\n"), 0o600))

	out, errOut, code := clitest.RunCluster(t, env, "apply", "-k", devOverlay, "--secrets-from-env", envFile)
	require.Equal(t, cmdutil.ExitOK, code, out+errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Equal(t, "namespace/feastflow created", lines[0])
	assert.Less(t, indexOfLine(lines, "networkpolicy.networking.k8s.io/default-deny-all created"),
		indexOfLine(lines, "deployment.apps/feastflow-backend created"), "NetworkPolicies go before workloads")
	assert.Contains(t, out, "secret/feastflow-db created: POSTGRES_USER from env, POSTGRES_PASSWORD generated")
	assert.NotContains(t, out+errOut, "feastflow\n", "no secret value is printed")

	db, err := client.CoreV1().Secrets("feastflow").Get(ctx, "feastflow-db", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "feastflow", string(db.Data["POSTGRES_USER"]))
	assert.Len(t, db.Data["POSTGRES_PASSWORD"], 43, "32 random bytes, base64url")
	assert.NotContains(t, out+errOut, string(db.Data["POSTGRES_PASSWORD"]))

	out, errOut, code = clitest.RunCluster(t, env, "apply", "-k", devOverlay)
	require.Equal(t, cmdutil.ExitOK, code, out+errOut)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		assert.True(t, strings.HasSuffix(line, " unchanged"), "re-apply: %q", line)
	}
	again, err := client.CoreV1().Secrets("feastflow").Get(ctx, "feastflow-db", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, db.Data, again.Data, "existing Secret values survive a re-apply")
}

func TestApplyServerDryRunReportsChangesAndPersistsNothing(t *testing.T) {
	env, client := applyCluster(t)
	ctx := context.Background()
	dir := copyOverlayWithReplicas(t, 4)
	applyDev(t, env)

	out, errOut, code := clitest.RunCluster(t, env, "apply", "-k", dir, "--dry-run=server")
	require.Equal(t, cmdutil.ExitOK, code, out+errOut)
	assert.Contains(t, out, "deployment.apps/feastflow-backend configured (server dry run): spec.replicas")
	d, err := client.AppsV1().Deployments("feastflow").Get(ctx, "feastflow-backend", metav1.GetOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 1, *d.Spec.Replicas, "a dry run persists nothing")
}

func TestApplyReportsConflictsAndForceTakesThem(t *testing.T) {
	env, client := applyCluster(t)
	ctx := context.Background()
	applyDev(t, env)
	force := true
	_, err := client.AppsV1().Deployments("feastflow").Patch(ctx, "feastflow-frontend", types.ApplyPatchType,
		[]byte(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"feastflow-frontend"},"spec":{"replicas":7}}`),
		metav1.PatchOptions{FieldManager: "hand-edit", Force: &force})
	require.NoError(t, err)

	out, errOut, code := clitest.RunCluster(t, env, "apply", "-k", devOverlay)
	require.Equal(t, cmdutil.ExitFindings, code, out+errOut)
	assert.Contains(t, errOut, `conflict with "hand-edit"`)
	assert.Contains(t, errOut, "--force-conflicts")

	out, errOut, code = clitest.RunCluster(t, env, "apply", "-k", devOverlay, "--force-conflicts")
	require.Equal(t, cmdutil.ExitOK, code, out+errOut)
	assert.Contains(t, out, "deployment.apps/feastflow-frontend configured: spec.replicas")
}

func TestApplyPruneRemovesWhatLeftTheInput(t *testing.T) {
	env, client := applyCluster(t)
	ctx := context.Background()
	full := t.TempDir()
	writeManifest(t, full, "ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prune-me\n")
	writeManifest(t, full, "a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  namespace: prune-me\ndata:\n  mode: a\n")
	writeManifest(t, full, "b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: drop\n  namespace: prune-me\ndata:\n  mode: b\n")
	out, errOut, code := clitest.RunCluster(t, env, "apply", "-f", full, "--prune", "--applyset=cfg", "-n", "prune-me")
	require.Equal(t, cmdutil.ExitOK, code, out+errOut)

	require.NoError(t, os.Remove(filepath.Join(full, "b.yaml")))
	out, errOut, code = clitest.RunCluster(t, env, "apply", "-f", full, "--prune", "--applyset=cfg", "-n", "prune-me")
	require.Equal(t, cmdutil.ExitOK, code, out+errOut)
	assert.Contains(t, out, "configmap/drop pruned")
	_, err := client.CoreV1().ConfigMaps("prune-me").Get(ctx, "drop", metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "pruned: %v", err)
	_, err = client.CoreV1().ConfigMaps("prune-me").Get(ctx, "keep", metav1.GetOptions{})
	require.NoError(t, err)

	parent, err := client.CoreV1().Secrets("prune-me").Get(ctx, "cfg", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "ConfigMap,Namespace", parent.Annotations["applyset.kubernetes.io/contains-group-kinds"])
	assert.Regexp(t, `^applyset-[A-Za-z0-9_-]{43}-v1$`, parent.Labels["applyset.kubernetes.io/id"])
}

func TestApplyWaitFailsWithPodsAndUndoHints(t *testing.T) {
	env, _ := applyCluster(t)
	applyDev(t, env)
	dir := copyOverlayWithReplicas(t, 2)
	// envtest runs no controllers: the Deployment never becomes Available.
	out, errOut, code := clitest.RunCluster(t, env, "apply", "-k", dir, "--force-conflicts", "--wait", "--timeout", "3s")
	require.Equal(t, cmdutil.ExitFindings, code, out+errOut)
	assert.Contains(t, out, "deployment.apps/feastflow-backend: InProgress")
	assert.Contains(t, errOut, "timed out after 3s")
	assert.Contains(t, errOut, "deployment.apps/feastflow-backend is not Current; its pods:")
	assert.Contains(t, errOut, "kubectl rollout undo deployment/feastflow-backend -n feastflow")
}

// applyDev applies the dev overlay, with the one Secret value it cannot generate.
func applyDev(t *testing.T, env *controlplane.Env) {
	t.Helper()
	envFile := filepath.Join(t.TempDir(), "dev.env")
	require.NoError(t, os.WriteFile(envFile, []byte("POSTGRES_USER=feastflow\n"), 0o600))
	out, errOut, code := clitest.RunCluster(t, env, "apply", "-k", devOverlay, "--secrets-from-env", envFile, "--force-conflicts")
	require.Equal(t, cmdutil.ExitOK, code, out+errOut)
}

// copyOverlayWithReplicas writes an overlay of the dev overlay that sets
// the backend's replicas.
func copyOverlayWithReplicas(t *testing.T, replicas int) string {
	return kustomizetest.OverlayOf(t, devOverlay, "replicas:\n  - name: feastflow-backend\n    count: "+strconv.Itoa(replicas)+"\n")
}

func writeManifest(t *testing.T, dir, name, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
}

func indexOfLine(lines []string, want string) int {
	for i, l := range lines {
		if l == want {
			return i
		}
	}
	return -1
}

package webhook_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/policies"
)

func TestExemptionsNeedRBAC(t *testing.T) {
	s := cluster(t)
	ctx := context.Background()
	namespaceWithDefaultDeny(t, s.admin, "exempt", nil)
	raw, err := os.ReadFile(filepath.Join("..", "manifests", "webhook", "exemptions-clusterrole.yaml"))
	require.NoError(t, err)
	role := &rbacv1.ClusterRole{}
	require.NoError(t, yaml.UnmarshalStrict(raw, role))
	require.NoError(t, s.admin.Create(ctx, role))
	// The built-in edit role is empty here: aggregating its rules is
	// kube-controller-manager's job, which envtest does not run.
	deployer := &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "test-deployer"},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{"apps"}, Resources: []string{"deployments"}, Verbs: []string{"create"}}},
	}
	require.NoError(t, s.admin.Create(ctx, deployer))
	for _, user := range []string{"alice", "mallory"} {
		bindClusterRole(t, s.admin, "exempt", user, deployer.Name)
	}
	bindClusterRole(t, s.admin, "exempt", "alice", role.Name)

	exempted := withoutProbes(t, compliantDeployment(t, "exempt", "importer"))
	exempted.SetAnnotations(map[string]string{
		policies.ExemptAnnotation:       "liveness-probe-required,readiness-probe-required",
		policies.ExemptReasonAnnotation: "batch importer; probes land in FF-142",
	})

	mallory := userClient(t, s, "mallory", nil)
	err = mallory.Create(ctx, exempted.DeepCopy())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `user "mallory" may not exempt objects in namespace "exempt"`)

	rec := &warningRecorder{}
	alice := userClient(t, s, "alice", rec)
	require.NoError(t, alice.Create(ctx, exempted.DeepCopy()))
	require.Len(t, rec.warnings, 2, "exempted findings are shown to the user, never dropped")
	assert.Contains(t, rec.warnings[0], "exempted (batch importer; probes land in FF-142)")
}

func userClient(t *testing.T, s *suite, name string, warnings rest.WarningHandler) client.Client {
	t.Helper()
	cfg, err := s.env.AddUser(name)
	require.NoError(t, err)
	if warnings != nil {
		cfg.WarningHandler = warnings
	}
	c, err := client.New(cfg, client.Options{})
	require.NoError(t, err)
	return c
}

package policies

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvaluateAllMatchesWholeInventory: a batch keeps only the objects of
// the kinds rules read in its inventory, and every fixture run, in every
// front-end mode, still gets exactly the findings it gets with every
// object of the run in the inventory, in the order of its objects.
func TestEvaluateAllMatchesWholeInventory(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []string{ModeFiles, ModeAdmission, ModeCluster} {
		batched := newTestEngine(t, Options{Mode: mode})
		whole := newTestEngine(t, Options{Mode: mode})
		found := 0
		for i, objects := range indexFixtures(t) {
			require.NoError(t, whole.SetInventory(ctx, bulkInventory(whole, objects)))
			got, err := batched.EvaluateAll(ctx, Batch{Objects: objects})
			require.NoError(t, err)
			require.Len(t, got, len(objects))
			for j, obj := range objects {
				want, err := whole.Evaluate(ctx, obj)
				require.NoError(t, err)
				assert.Equal(t, want, got[j], "%s run %d object %d", mode, i, j)
				found += len(want)
			}
		}
		assert.Greater(t, found, 50, "the fixtures should produce findings (%s)", mode)
	}
}

// TestEvaluateAllInventory: objects of kinds no rule reads stay out of
// data.inventory; Batch.Inventory, when given, replaces the objects as the
// inventory.
func TestEvaluateAllInventory(t *testing.T) {
	ctx := context.Background()
	e := newTestEngine(t, Options{Mode: ModeAdmission})
	objects := readObjects(t, filepath.Join("..", "testdata", "bench", "deployment.yaml"))
	configMap := map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "cfg", "namespace": "feastflow"}, "data": map[string]any{"a": "b"}}
	deployment := objects[0]

	got, err := e.EvaluateAll(ctx, Batch{Objects: append([]map[string]any{configMap}, objects...)})
	require.NoError(t, err)
	assert.Empty(t, got[1], "the benchmark Deployment is compliant with its policies beside it")
	data, err := e.Data(ctx)
	require.NoError(t, err)
	stored := data["inventory"].(map[string]any)["namespace"].(map[string]any)["feastflow"].(map[string]any)
	assert.Contains(t, stored, "networking.k8s.io/v1")
	assert.NotContains(t, stored["v1"], "ConfigMap", "no admission rule reads ConfigMaps")
	assert.NotContains(t, stored, "apps/v1", "no admission rule reads Deployments")

	alone, err := e.EvaluateAll(ctx, Batch{Objects: []map[string]any{deployment}, Inventory: []map[string]any{}})
	require.NoError(t, err)
	assert.Contains(t, ruleIDsOf(alone[0]), "netpol-default-deny-required", "an empty inventory has no default-deny policy")
	withPolicies, err := e.EvaluateAll(ctx, Batch{Objects: []map[string]any{deployment}, Inventory: objects[1:]})
	require.NoError(t, err)
	assert.Empty(t, withPolicies[0])
}

func ruleIDsOf(findings []Finding) []string {
	var ids []string
	for _, f := range findings {
		ids = append(ids, f.RuleID)
	}
	return ids
}

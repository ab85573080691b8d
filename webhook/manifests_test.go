package webhook

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/policies"
)

const shippedManifests = "../manifests/webhook"

// TestWebhookConfigurationSendsEveryCheckedKind fails when a rule that runs
// at admission applies to a kind the shipped ValidatingWebhookConfiguration
// does not send for CREATE and UPDATE: that rule would run in lint only.
func TestWebhookConfigurationSendsEveryCheckedKind(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(shippedManifests, "validatingwebhookconfiguration.yaml"))
	require.NoError(t, err)
	var cfg admissionregistrationv1.ValidatingWebhookConfiguration
	require.NoError(t, yaml.UnmarshalStrict(raw, &cfg))
	require.Len(t, cfg.Webhooks, 1)
	kinds := newAdmissionEngine(t).Kinds()
	require.NotEmpty(t, kinds)
	for _, kind := range kinds {
		gvr, ok := policies.BuiltinGVR(kind)
		require.True(t, ok, "%s is not a built-in kind", kind)
		for _, op := range []admissionregistrationv1.OperationType{admissionregistrationv1.Create, admissionregistrationv1.Update} {
			assert.True(t, slices.ContainsFunc(cfg.Webhooks[0].Rules, func(r admissionregistrationv1.RuleWithOperations) bool {
				return matches(r.APIGroups, gvr.Group) && matches(r.APIVersions, gvr.Version) &&
					matches(r.Resources, gvr.Resource) && (slices.Contains(r.Operations, op) || slices.Contains(r.Operations, admissionregistrationv1.OperationAll))
			}), "the webhook configuration does not send %s of %s (%s)", op, kind, gvr)
		}
	}
}

// TestWebhookMayWatchEveryInventoryKind: the webhook's ClusterRole lets it
// list and watch every kind its admission rules read from the inventory.
func TestWebhookMayWatchEveryInventoryKind(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(shippedManifests, "rbac.yaml"))
	require.NoError(t, err)
	role := clusterRole(t, raw)
	gvks, err := newAdmissionEngine(t).InventoryGVKs()
	require.NoError(t, err)
	require.NotEmpty(t, gvks)
	for _, gvk := range gvks {
		gvr, _ := policies.BuiltinGVR(gvk.Kind)
		for _, verb := range []string{"list", "watch"} {
			assert.True(t, slices.ContainsFunc(role.Rules, func(r rbacv1.PolicyRule) bool {
				return len(r.ResourceNames) == 0 && matches(r.APIGroups, gvr.Group) && matches(r.Resources, gvr.Resource) && matches(r.Verbs, verb)
			}), "the webhook may not %s %s", verb, gvr)
		}
	}
}

// TestWebhookReadsNothingButItsInventory: every kind the webhook's
// ClusterRole lets it get, list or watch cluster-wide (without
// resourceNames) is an inventory kind of the admission rules, or the
// ValidatingWebhookConfigurations its certificate rotator watches. A kind
// the catalog stopped reading must leave the role.
func TestWebhookReadsNothingButItsInventory(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(shippedManifests, "rbac.yaml"))
	require.NoError(t, err)
	role := clusterRole(t, raw)
	gvks, err := newAdmissionEngine(t).InventoryGVKs()
	require.NoError(t, err)
	allowed := map[string]bool{"admissionregistration.k8s.io/validatingwebhookconfigurations": true}
	for _, gvk := range gvks {
		gvr, _ := policies.BuiltinGVR(gvk.Kind)
		allowed[gvr.Group+"/"+gvr.Resource] = true
	}
	for _, r := range role.Rules {
		if len(r.ResourceNames) > 0 || !slices.ContainsFunc(r.Verbs, func(v string) bool { return v == "get" || v == "list" || v == "watch" || v == "*" }) {
			continue
		}
		for _, group := range r.APIGroups {
			for _, resource := range r.Resources {
				assert.True(t, allowed[group+"/"+resource], "the webhook may read %s/%s, which no admission rule reads from the inventory", group, resource)
			}
		}
	}
}

func matches(list []string, want string) bool {
	return slices.Contains(list, want) || slices.Contains(list, "*")
}

// clusterRole is the first ClusterRole of a YAML stream.
func clusterRole(t *testing.T, raw []byte) rbacv1.ClusterRole {
	t.Helper()
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(raw)))
	for {
		doc, err := r.Read()
		require.NoError(t, err, "no ClusterRole")
		var role rbacv1.ClusterRole
		require.NoError(t, yaml.Unmarshal(doc, &role))
		if role.Kind == "ClusterRole" {
			return role
		}
	}
}

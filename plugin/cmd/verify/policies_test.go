package verify

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/policies/policyflags"
)

func clusterEngine(t *testing.T, params ...string) *policies.Engine {
	t.Helper()
	flags := cmdutil.PolicyFlags{Flags: policyflags.Flags{Params: params}}
	engine, err := flags.Engine(context.Background(), policies.ModeCluster, "shop")
	require.NoError(t, err)
	return engine
}

// withoutProbes is a copy of the noncompliant Deployment renamed.
func withoutProbes(t *testing.T, name string) *unstructured.Unstructured {
	obj := loadManifests(t, "noncompliant.yaml", "shop")[0].DeepCopy()
	obj.SetName(name)
	return obj
}

func TestVerifyPolicyChecks(t *testing.T) {
	compliant := loadManifests(t, "compliant.yaml", "shop")
	noncompliant := loadManifests(t, "noncompliant.yaml", "shop")
	exempted := withoutProbes(t, "exempted")
	exempted.SetAnnotations(map[string]string{
		policies.ExemptAnnotation:       "liveness-probe-required,readiness-probe-required,resources-requests-required,memory-limit-required,cpu-limit",
		policies.ExemptReasonAnnotation: "legacy image, ticket OPS-1",
	})
	controlledRS := ownedBy(withoutProbes(t, "api-5d4f"), "Deployment", "api")
	controlledRS.SetKind("ReplicaSet")
	bare := podObject(t, "debug", map[string]string{"app": "debug"}, nil)
	owned := ownedBy(podObject(t, "api-5d4f-x", map[string]string{"app.kubernetes.io/name": "api"}, nil), "ReplicaSet", "api-5d4f")

	tests := []struct {
		name    string
		objs    []*unstructured.Unstructured
		params  []string
		audit   CheckStatus
		objects map[string]CheckStatus
		rules   map[string][]string
		absent  []string
	}{
		{
			name: "compliant namespace", objs: compliant, audit: StatusPass,
			absent: []string{"Deployment shop/api", "ConfigMap shop/api-config"},
		},
		{
			name: "deny findings fail with object references", objs: append(append([]*unstructured.Unstructured{}, compliant...), noncompliant...),
			audit:   StatusFail,
			objects: map[string]CheckStatus{"Deployment shop/legacy": StatusFail, "ConfigMap shop/legacy-config": StatusFail},
			rules: map[string][]string{
				"Deployment shop/legacy":       {"liveness-probe-required", "readiness-probe-required", "cpu-limit"},
				"ConfigMap shop/legacy-config": {"configmap-credentials"},
			},
			absent: []string{"Deployment shop/api"},
		},
		{
			name: "exempted findings are listed, not failed", objs: append(append([]*unstructured.Unstructured{}, compliant...), exempted),
			audit: StatusPass, objects: map[string]CheckStatus{"Deployment shop/exempted": StatusPass},
			rules: map[string][]string{"Deployment shop/exempted": {"liveness-probe-required"}},
		},
		{
			name: "only warn findings warn", objs: []*unstructured.Unstructured{compliant[0], compliant[1], warnOnly(t)},
			audit: StatusWarn, objects: map[string]CheckStatus{"Deployment shop/api": StatusWarn},
			rules: map[string][]string{"Deployment shop/api": {"cpu-limit"}},
		},
		{
			name: "--param turns the warning into a failure", objs: []*unstructured.Unstructured{compliant[0], compliant[1], warnOnly(t)},
			params: []string{"cpu_limit=deny"},
			audit:  StatusFail, objects: map[string]CheckStatus{"Deployment shop/api": StatusFail},
		},
		{
			name: "controlled ReplicaSets and Pods are checked through their owner", objs: append(append([]*unstructured.Unstructured{}, compliant...), controlledRS, owned, bare),
			audit: StatusFail, objects: map[string]CheckStatus{"Pod shop/debug": StatusFail},
			absent: []string{"ReplicaSet shop/api-5d4f", "Pod shop/api-5d4f-x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := snapshotOf(t, "shop", append([]*unstructured.Unstructured{namespaceObject("shop", nil)}, tt.objs...)...)
			checks, err := policyChecks(context.Background(), clusterEngine(t, tt.params...), snap)
			require.NoError(t, err)
			audit := checkNamed(t, checks, SectionPolicies, "audit")
			assert.Equal(t, tt.audit, audit.Status, audit.Message)
			for object, status := range tt.objects {
				c := checkNamed(t, checks, SectionPolicies, object)
				assert.Equal(t, status, c.Status, "%s: %v", object, c.Details)
				for _, f := range c.Findings {
					assert.Equal(t, object, describeObject(f.Object.Kind, f.Object.Namespace, f.Object.Name))
				}
			}
			for object, rules := range tt.rules {
				c := checkNamed(t, checks, SectionPolicies, object)
				var got []string
				for _, f := range c.Findings {
					got = append(got, f.RuleID)
				}
				for _, rule := range rules {
					assert.Contains(t, got, rule, object)
				}
			}
			for _, c := range checks {
				assert.NotContains(t, tt.absent, c.Name)
			}
		})
	}
}

// warnOnly is the compliant api Deployment without its CPU limit.
func warnOnly(t *testing.T) *unstructured.Unstructured {
	api := loadManifests(t, "compliant.yaml", "shop")[2]
	containers, _, err := unstructured.NestedSlice(api.Object, "spec", "template", "spec", "containers")
	require.NoError(t, err)
	unstructured.RemoveNestedField(containers[0].(map[string]any), "resources", "limits", "cpu")
	require.NoError(t, unstructured.SetNestedSlice(api.Object, containers, "spec", "template", "spec", "containers"))
	return api
}

func TestVerifyNeverReadsSecrets(t *testing.T) {
	secret := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": "db", "namespace": "shop"},
		"data":     map[string]any{"password": "c3VwZXJzZWNyZXQ="},
	}}
	dyn := fakeDynamic(namespaceObject("shop", nil), secret)
	snap, err := takeSnapshot(context.Background(), dyn, snapshotScope{Namespace: "shop"}, testLiveKinds())
	require.NoError(t, err)
	for _, action := range dyn.Actions() {
		assert.NotEqual(t, "secrets", action.GetResource().Resource, "verify must not read Secrets")
	}
	checks, err := policyChecks(context.Background(), clusterEngine(t), snap)
	require.NoError(t, err)
	raw, err := json.Marshal(checks)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "c3VwZXJzZWNyZXQ=")
}

func TestVerifySnapshotScope(t *testing.T) {
	objs := []runtime.Object{
		namespaceObject("shop", nil), namespaceObject("kube-system", nil), namespaceObject("other", nil),
		podObject(t, "a", nil, nil),
		func() *unstructured.Unstructured {
			p := podObject(t, "b", nil, nil)
			p.SetNamespace("kube-system")
			return p
		}(),
		func() *unstructured.Unstructured { p := podObject(t, "c", nil, nil); p.SetNamespace("other"); return p }(),
	}
	tests := []struct {
		name       string
		scope      snapshotScope
		namespaces []string
		pods       []string
		err        string
	}{
		{name: "one namespace", scope: snapshotScope{Namespace: "shop"}, namespaces: []string{"shop"}, pods: []string{"shop/a"}},
		{name: "a skipped namespace named with -n is verified", scope: snapshotScope{Namespace: "kube-system", Skip: []string{"kube-system"}},
			namespaces: []string{"kube-system"}, pods: []string{"kube-system/b"}},
		{name: "all but skipped", scope: snapshotScope{AllNamespaces: true, Skip: []string{"kube-system"}},
			namespaces: []string{"other", "shop"}, pods: []string{"other/c", "shop/a"}},
		{name: "missing namespace", scope: snapshotScope{Namespace: "nope"}, err: `namespace "nope" not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := takeSnapshot(context.Background(), fakeDynamic(objs...), tt.scope, testLiveKinds())
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.namespaces, snap.NamespaceNames())
			var pods []string
			for _, p := range snap.Objects("Pod") {
				pods = append(pods, p.GetNamespace()+"/"+p.GetName())
				assert.Equal(t, "Pod", p.GetKind())
			}
			assert.Equal(t, tt.pods, pods)
		})
	}
}

func TestVerifyFindingsCheckDetails(t *testing.T) {
	ref := policies.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "api"}
	c := findingsCheck("Deployment shop/api", []policies.Finding{
		{RuleID: "cpu-limit", Severity: policies.SeverityWarn, Message: "no cpu limit", Object: ref},
		{RuleID: "liveness-probe-required", Severity: policies.SeverityDeny, Message: "no livenessProbe", Object: ref,
			Exemption: &policies.Exemption{Reason: "OPS-1"}},
	})
	assert.Equal(t, StatusWarn, c.Status, "an exempted deny finding does not fail")
	assert.Equal(t, "0 denied, 1 warning, 1 exempted", c.Message)
	assert.Equal(t, []string{
		"warn    cpu-limit                no cpu limit",
		"exempt  liveness-probe-required  no livenessProbe (exempted: OPS-1)",
	}, c.Details)
}

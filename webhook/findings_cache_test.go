package webhook

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/feastflow/kubectl-feastflow/policies"
)

func newCachedValidator(t *testing.T, e *policies.Engine, mode Mode, auth ExemptionAuthorizer) (*Validator, *Metrics) {
	t.Helper()
	cache, err := NewFindingsCache(64)
	require.NoError(t, err)
	m := NewMetrics(prometheus.NewRegistry())
	return &Validator{Engine: e, Mode: mode, Exemptions: auth, Cache: cache, Metrics: m}, m
}

func cacheCount(m *Metrics, result string) int {
	return int(testutil.ToFloat64(m.cache.WithLabelValues(result)))
}

func dryRun(req admission.Request) admission.Request {
	yes := true
	req.DryRun = &yes
	return req
}

// TestCachedAnswersEqualUncachedOnes: whatever a request asks (mode, dry
// run, exemptions by allowed and refused users, controller updates, the
// namespace a namespace-less object lands in), the answer from the cache
// is the answer a validator without it gives, request after request.
func TestCachedAnswersEqualUncachedOnes(t *testing.T) {
	e, compliant := liveEngine(t)
	noProbes := withoutProbes(t, compliant)
	warned := deepCopy(t, compliant)
	container(warned)["readinessProbe"] = container(warned)["livenessProbe"]
	exempted := deepCopy(t, noProbes)
	setAnnotations(exempted, map[string]any{
		policies.ExemptAnnotation:       "liveness-probe-required,readiness-probe-required",
		policies.ExemptReasonAnnotation: "batch importer",
	})
	namespaceless := deepCopy(t, noProbes)
	delete(namespaceless["metadata"].(map[string]any), "namespace")
	inNamespace := func(ns string) admission.Request {
		req := request(t, admissionv1.Create, alice, namespaceless, nil)
		req.Namespace = ns
		return req
	}
	auth := &fakeAuthorizer{allowed: map[string]bool{alice: true}}
	// Each sequence runs through one cached validator, in order.
	sequences := []struct {
		name     string
		mode     Mode
		requests []admission.Request
	}{
		{"compliant", ModeEnforce, []admission.Request{
			request(t, admissionv1.Create, alice, compliant, nil), dryRun(request(t, admissionv1.Create, alice, compliant, nil)),
		}},
		{"denied, then dry run, then a controller's update", ModeEnforce, []admission.Request{
			request(t, admissionv1.Create, alice, noProbes, nil),
			dryRun(request(t, admissionv1.Create, alice, noProbes, nil)),
			request(t, admissionv1.Update, "system:kube-controller-manager", noProbes, noProbes),
			request(t, admissionv1.Update, alice, noProbes, noProbes),
		}},
		{"warn mode", ModeWarn, []admission.Request{request(t, admissionv1.Create, alice, noProbes, nil)}},
		{"audit mode", ModeAudit, []admission.Request{request(t, admissionv1.Create, alice, noProbes, nil)}},
		{"warn severity", ModeEnforce, []admission.Request{request(t, admissionv1.Create, alice, warned, nil)}},
		{"exemption by an allowed user, then by a refused one", ModeEnforce, []admission.Request{
			request(t, admissionv1.Create, alice, exempted, nil),
			request(t, admissionv1.Create, "mallory", exempted, nil),
			request(t, admissionv1.Update, "mallory", exempted, exempted),
		}},
		{"one object, two namespaces", ModeEnforce, []admission.Request{inNamespace("shop"), inNamespace("billing")}},
	}
	for _, seq := range sequences {
		t.Run(seq.name, func(t *testing.T) {
			cached, m := newCachedValidator(t, e, seq.mode, auth)
			uncached := &Validator{Engine: e, Mode: seq.mode, Exemptions: auth}
			for round := 0; round < 3; round++ {
				for i, req := range seq.requests {
					want := uncached.Handle(context.Background(), req)
					got := cached.Handle(context.Background(), req)
					require.Equal(t, want, got, "round %d, request %d", round, i)
				}
			}
			assert.Positive(t, cacheCount(m, "hit"), "later rounds are served from the cache")
		})
	}
}

// TestNamespaceIsPartOfTheCacheKey: the findings of a namespace-less
// object name the namespace of its request, on a hit too.
func TestNamespaceIsPartOfTheCacheKey(t *testing.T) {
	e, compliant := liveEngine(t)
	obj := withoutProbes(t, compliant)
	delete(obj["metadata"].(map[string]any), "namespace")
	v, m := newCachedValidator(t, e, ModeEnforce, nil)
	for _, ns := range []string{"shop", "billing", "shop", "billing"} {
		req := request(t, admissionv1.Create, alice, obj, nil)
		req.Namespace = ns
		resp := v.Handle(context.Background(), req)
		require.False(t, resp.Allowed)
		assert.Contains(t, resp.Result.Message, "Deployment "+ns+"/feastflow-backend")
	}
	assert.Equal(t, 2, cacheCount(m, "miss"))
	assert.Equal(t, 2, cacheCount(m, "hit"))
}

// TestCacheIsInvalidatedByConfigurationAndInventory: a Reconfigure or an
// inventory change makes the next identical object evaluated again, with
// the new configuration's or inventory's findings.
func TestCacheIsInvalidatedByConfigurationAndInventory(t *testing.T) {
	ctx := context.Background()
	e := newAdmissionEngine(t) // empty inventory: no NetworkPolicy yet
	objects := benchObjects(t)
	compliant, inventory := objects[0], objects[1:]
	noProbes := withoutProbes(t, compliant)
	v, m := newCachedValidator(t, e, ModeEnforce, nil)
	uncached := &Validator{Engine: e}
	check := func(obj map[string]any) admission.Response {
		t.Helper()
		req := request(t, admissionv1.Create, alice, obj, nil)
		got := v.Handle(ctx, req)
		require.Equal(t, uncached.Handle(ctx, req), got)
		return got
	}

	before := check(compliant)
	check(compliant)
	require.Equal(t, 1, cacheCount(m, "hit"))
	for _, obj := range inventory {
		require.NoError(t, e.PutInventoryObject(ctx, obj))
	}
	after := check(compliant)
	assert.NotEqual(t, before, after, "the NetworkPolicies now cover the Deployment")
	assert.Equal(t, 1, cacheCount(m, "hit"), "an inventory change is a miss")

	denied := check(noProbes)
	require.False(t, denied.Allowed)
	require.NoError(t, e.Reconfigure(ctx, policies.Options{Toggles: []policies.RuleToggle{
		{RuleSelector: policies.RuleSelector{Name: "liveness-probe-required"}},
		{RuleSelector: policies.RuleSelector{Name: "readiness-probe-required"}},
	}}))
	admitted := check(noProbes)
	assert.True(t, admitted.Allowed, "the probe rules are switched off: %v", admitted.Result)
	assert.Equal(t, 1, cacheCount(m, "hit"), "a Reconfigure is a miss")
	assert.Equal(t, 1, v.Cache.Len(), "the new generation emptied the cache")
}

// TestCacheIsBounded: beyond its size, least recently used objects go.
func TestCacheIsBounded(t *testing.T) {
	e, compliant := liveEngine(t)
	cache, err := NewFindingsCache(2)
	require.NoError(t, err)
	v := &Validator{Engine: e, Cache: cache}
	for _, name := range []string{"a", "b", "c", "d"} {
		obj := deepCopy(t, compliant)
		obj["metadata"].(map[string]any)["name"] = name
		v.Handle(context.Background(), request(t, admissionv1.Create, alice, obj, nil))
	}
	assert.Equal(t, 2, cache.Len())
	_, err = NewFindingsCache(0)
	assert.Error(t, err)
}

package policies

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyRuleForEveryKind returns an engine like e whose queries run every
// rule of its mode on every object, whatever custom.kinds declares.
func everyRuleForEveryKind(t *testing.T, e *Engine) *Engine {
	t.Helper()
	var all []*Rule
	for _, r := range e.cur().inMode {
		r := *r
		r.Kinds, r.AnyKind = nil, true
		all = append(all, &r)
	}
	queries, err := newCatalogQueries(context.Background(), e.compiler, e.store, all)
	require.NoError(t, err)
	full := &Engine{
		indexQuery: e.indexQuery, store: e.store, compiler: e.compiler, catalog: e.catalog,
		sources: e.sources, paramSpecs: e.paramSpecs, mode: e.mode, defaultNS: e.defaultNS, validate: e.validate,
	}
	st := *e.cur()
	st.queries = queries
	full.state.Store(&st)
	return full
}

// TestKindDeclarationsKeepEveryFinding: evaluating each object with the
// rules its kind declares gives every fixture (and the FeastFlow "before"
// manifests) exactly the findings of running every rule on every object,
// in each front-end mode. A rule whose custom.kinds is too narrow fails here.
func TestKindDeclarationsKeepEveryFinding(t *testing.T) {
	ctx := context.Background()
	runs := indexFixtures(t)
	before, err := filepath.Glob(filepath.Join("..", "testdata", "before", "*.yaml"))
	require.NoError(t, err)
	var objects []map[string]any
	for _, f := range before {
		objects = append(objects, readObjects(t, f)...)
	}
	runs = append(runs, objects)
	for _, mode := range []string{ModeFiles, ModeAdmission, ModeCluster} {
		scoped := newTestEngine(t, Options{Mode: mode})
		full := everyRuleForEveryKind(t, scoped)
		found := 0
		for i, objects := range runs {
			require.NoError(t, scoped.SetInventory(ctx, bulkInventory(scoped, objects)))
			want := evaluateAll(t, full, objects)
			assert.Equal(t, want, evaluateAll(t, scoped, objects), "%s run %d", mode, i)
			found += len(want)
		}
		assert.Greater(t, found, 50, "the fixtures should produce findings (%s)", mode)
	}
}

// TestQueriesCompileOnlyTheRulesOfTheKind: the query for a kind names the
// rules declaring it and the rules for every kind, nothing else; an
// undeclared kind gets the rules for every kind alone.
func TestQueriesCompileOnlyTheRulesOfTheKind(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		kind     string
		mode     string
		includes []string
		excludes []string
	}{
		{"Deployment", ModeAdmission, []string{"liveness-probe-required", "exemption-invalid"}, []string{"configmap-credentials", "netpol-selects-nothing", "schema-strict"}},
		{"Deployment", ModeFiles, []string{"liveness-probe-required", "exemption-invalid", "schema-strict"}, []string{"configmap-credentials"}},
		{"Pod", ModeAdmission, []string{"liveness-probe-required", "exemption-invalid"}, []string{"schema-strict", "api-version-served"}},
		{"ConfigMap", ModeAdmission, []string{"configmap-credentials", "exemption-invalid"}, []string{"liveness-probe-required"}},
		{"NetworkPolicy", ModeAdmission, []string{"exemption-invalid"}, []string{"netpol-selects-nothing", "liveness-probe-required"}}, // files and cluster only
		{"Widget", ModeAdmission, []string{"exemption-invalid"}, []string{"liveness-probe-required", "configmap-credentials", "schema-strict"}},
		{"Widget", ModeFiles, []string{"exemption-invalid", "schema-strict", "api-version-served"}, []string{"liveness-probe-required", "configmap-credentials"}},
	}
	engines := map[string]*Engine{ModeAdmission: newTestEngine(t, Options{Mode: ModeAdmission}), ModeFiles: newTestEngine(t, Options{Mode: ModeFiles})}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.mode, func(t *testing.T) {
			// granted: the query of an object with an exempt annotation,
			// the one that runs exemption-invalid (see the next test).
			q, err := engines[tt.mode].cur().queries.pick(ctx, tt.kind, true)
			require.NoError(t, err)
			ids := map[string]bool{}
			for _, r := range q.rules {
				ids[r.ID] = true
				assert.True(t, r.AppliesToKind(tt.kind) && r.AppliesTo(tt.mode), r.ID)
			}
			for _, id := range tt.includes {
				assert.True(t, ids[id], id)
			}
			for _, id := range tt.excludes {
				assert.False(t, ids[id], id)
			}
		})
	}
}

// TestQueriesLeaveOutExemptionInvalidWithoutAnExemption: the built-in
// exemption-invalid rule only judges the exempt annotation, so the query
// of an object without one leaves it out; a --policy-dir rule with its
// id may judge anything and stays. Either way the findings are those of
// the fixtures (TestFixtures) and the corpus (TestCorpusGolden).
func TestQueriesLeaveOutExemptionInvalidWithoutAnExemption(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "invalid.rego"), `# METADATA
# title: Replacement
# description: Reports every object.
# related_resources:
#   - ref: https://example.com/replacement
# custom:
#   id: exemption-invalid
#   kinds: [all]
#   severity: warn
#   remediation: None.
package custom.exemption_invalid

violation contains {"msg": "always"}
`)
	for _, tt := range []struct {
		name    string
		dirs    []string
		granted bool
		want    bool
	}{
		{"built-in, exempt annotation", nil, true, true},
		{"built-in, no exempt annotation", nil, false, false},
		{"replaced, no exempt annotation", []string{dir}, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{PolicyDirs: tt.dirs})
			q, err := e.cur().queries.pick(ctx, "Deployment", tt.granted)
			require.NoError(t, err)
			assert.Equal(t, tt.want, slices.Contains(queryRuleIDs(q.rules), ExemptionInvalidRule))
		})
	}
	e := newTestEngine(t, Options{PolicyDirs: []string{dir}})
	fs, err := e.Evaluate(ctx, map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "x"}})
	require.NoError(t, err)
	assert.Contains(t, ruleIDs(fs), ExemptionInvalidRule)
}

func queryRuleIDs(rules []*Rule) []string {
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestRuleForEveryKind: a custom rule declaring custom.kinds: [all] runs
// on built-in and custom kinds alike.
func TestRuleForEveryKind(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "owner.rego"), `# METADATA
# title: Objects name an owner
# description: Every object carries an owner label.
# related_resources:
#   - ref: https://example.com/owner
# custom:
#   id: owner-label-required
#   kinds: [all]
#   severity: warn
#   remediation: Add an owner label.
package feastflow.rules.custom.owner

violation contains {"msg": "no owner label"} if not input.object.metadata.labels.owner
`)
	e := newTestEngine(t, Options{PolicyDirs: []string{dir}})
	for _, kind := range []string{"Service", "Deployment", "Widget"} {
		obj := map[string]any{"apiVersion": "v1", "kind": kind, "metadata": map[string]any{"name": "x"}}
		fs, err := e.Evaluate(context.Background(), obj)
		require.NoError(t, err)
		assert.Contains(t, ruleIDs(fs), "owner-label-required", kind)
	}
}

func TestKindsAndInventoryKindsComeFromTheCatalog(t *testing.T) {
	files := newTestEngine(t, Options{Mode: ModeFiles})
	admission := newTestEngine(t, Options{Mode: ModeAdmission})
	assert.Equal(t, []string{"LimitRange", "Namespace", "NetworkPolicy", "Service"}, admission.InventoryKinds(),
		"netpol-selects-nothing, the only reader of workloads, does not run at admission")
	assert.Subset(t, files.InventoryKinds(), WorkloadKinds)
	assert.Subset(t, files.Kinds(), append([]string{"ConfigMap", "Secret", "NetworkPolicy"}, WorkloadKinds...))
	assert.NotContains(t, admission.Kinds(), "Secret", "secret-values-in-manifest is for files only")
	for _, k := range files.Kinds() {
		assert.False(t, strings.ToLower(k) == k, k)
	}
}

func TestBuiltinGVK(t *testing.T) {
	tests := []struct {
		kind, group, version, resource string
	}{
		{"Deployment", "apps", "v1", "deployments"},
		{"ReplicationController", "", "v1", "replicationcontrollers"},
		{"CronJob", "batch", "v1", "cronjobs"},
		{"NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies"},
		{"Event", "", "v1", "events"},
		{"HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers"},
		{"Ingress", "networking.k8s.io", "v1", "ingresses"},
	}
	for _, tt := range tests {
		gvr, ok := BuiltinGVR(tt.kind)
		require.True(t, ok, tt.kind)
		assert.Equal(t, tt.group, gvr.Group, tt.kind)
		assert.Equal(t, tt.version, gvr.Version, tt.kind)
		assert.Equal(t, tt.resource, gvr.Resource, tt.kind)
	}
	_, ok := BuiltinGVK("Widget")
	assert.False(t, ok)
}

// TestInventoryDeclarationsKeepEveryFinding: each rule finds the same with
// an inventory holding only the kinds it declares in custom.inventory as
// with the whole run in the inventory. A rule reading an undeclared kind
// fails here (the webhook and verify would not have fetched it).
func TestInventoryDeclarationsKeepEveryFinding(t *testing.T) {
	ctx := context.Background()
	e := newTestEngine(t, Options{})
	bySet := map[string][]*Rule{}
	for _, r := range e.cur().inMode {
		key := strings.Join(r.Inventory, ",")
		bySet[key] = append(bySet[key], r)
	}
	for i, objects := range indexFixtures(t) {
		require.NoError(t, e.SetInventory(ctx, bulkInventory(e, objects)))
		full := evaluateAll(t, e, objects)
		for key, rules := range bySet {
			kinds := setOf(strings.Split(key, ","))
			var declared []map[string]any
			for _, obj := range objects {
				if kind, _ := obj["kind"].(string); kinds[kind] {
					declared = append(declared, obj)
				}
			}
			require.NoError(t, e.SetInventory(ctx, bulkInventory(e, declared)))
			got := evaluateAll(t, e, objects)
			for _, r := range rules {
				assert.Equal(t, findingsOf(full, r.ID), findingsOf(got, r.ID), "run %d, rule %s (inventory %v)", i, r.ID, r.Inventory)
			}
		}
	}
}

func findingsOf(fs []Finding, id string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// TestInventoryGVKsOutlastTheConfiguration: what a reconfigurable front
// end watches covers the rules the configuration switches off, so that a
// reload switching them on finds their inventory complete; the kinds an
// evaluation reads follow the configuration.
func TestInventoryGVKsOutlastTheConfiguration(t *testing.T) {
	e := newTestEngine(t, Options{Mode: ModeAdmission, Toggles: []RuleToggle{{RuleSelector: RuleSelector{Name: "network"}}}})
	assert.NotContains(t, e.InventoryKinds(), "NetworkPolicy", "no enabled rule reads NetworkPolicies")
	gvks, err := e.InventoryGVKs()
	require.NoError(t, err)
	var kinds []string
	for _, gvk := range gvks {
		kinds = append(kinds, gvk.Kind)
	}
	assert.Equal(t, []string{"LimitRange", "Namespace", "NetworkPolicy", "Service"}, kinds)

	require.NoError(t, e.Reconfigure(context.Background(), Options{}))
	assert.Contains(t, e.InventoryKinds(), "NetworkPolicy", "the reload switched the network rules on")
}

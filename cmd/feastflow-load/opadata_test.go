package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/internal/loadtest"
	"github.com/feastflow/kubectl-feastflow/policies"
)

const repoRoot = "../.."

// TestWrapperMatchesEngine evaluates the OPA wrapper policy in-process on
// every AdmissionReview fixture and compares its decision and rule ids
// with the engine's findings for the same object and inventory: the
// equivalence the suite checks over HTTP before timing anything.
func TestWrapperMatchesEngine(t *testing.T) {
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{Mode: policies.ModeAdmission})
	require.NoError(t, err)
	docs, err := readDocuments(filepath.Join(repoRoot, benchObjectsPath))
	require.NoError(t, err)
	data, err := opaData(ctx, engine, docs[1:])
	require.NoError(t, err)
	compiler := compileWithWrapper(t, engine.Modules())
	query, err := rego.New(rego.Compiler(compiler), rego.Store(inmem.NewFromObject(data)), rego.Query(opaDecisionPath)).PrepareForEval(ctx)
	require.NoError(t, err)
	known := map[string]bool{}
	for _, r := range engine.Rules() {
		known[r.ID] = true
	}

	tests := []struct {
		review  string
		allowed bool
		has     []string
	}{
		{"deployment-compliant", true, nil},
		{"deployment-update-compliant", true, nil},
		{"deployment-without-cpu-limit", true, []string{"cpu-limit"}},
		{"deployment-without-probes", false, []string{"liveness-probe-required", "readiness-probe-required"}},
		{"configmap-credentials", false, []string{"configmap-credentials"}},
		{"pod-unpinned-without-resources", false, []string{"image-tag-pinned"}},
	}
	for _, tt := range tests {
		t.Run(tt.review, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "admission", tt.review+".json"))
			require.NoError(t, err)
			var review map[string]any
			require.NoError(t, json.Unmarshal(raw, &review))
			rs, err := query.Eval(ctx, rego.EvalInput(review))
			require.NoError(t, err)
			require.Len(t, rs, 1, "the wrapper's decision is undefined")
			body, err := json.Marshal(rs[0].Expressions[0].Value)
			require.NoError(t, err)
			req := review["request"].(map[string]any)
			got, failure := loadtest.CheckResponse(200, body, req["uid"].(string))
			require.Nil(t, failure)

			wantAllowed, wantIDs := engineDecision(t, engine, req, docs[1:])
			assert.Equal(t, wantAllowed, got.Allowed, "allowed")
			assert.Equal(t, wantIDs, got.RuleIDs(known), "rule ids")
			assert.Equal(t, tt.allowed, got.Allowed)
			assert.Subset(t, got.RuleIDs(known), tt.has)
		})
	}
}

// engineDecision is what the webhook decides in enforce mode: the engine's
// findings for the request's object (given the request's namespace when
// it names none), evaluated as a batch against the inventory.
func engineDecision(t *testing.T, engine *policies.Engine, req map[string]any, inventory []map[string]any) (bool, []string) {
	obj := req["object"].(map[string]any)
	meta := obj["metadata"].(map[string]any)
	if ns, _ := meta["namespace"].(string); ns == "" {
		meta["namespace"] = req["namespace"]
	}
	perObject, err := engine.EvaluateAll(context.Background(), policies.Batch{Objects: []map[string]any{obj}, Inventory: inventory})
	require.NoError(t, err)
	allowed := true
	seen := map[string]bool{}
	for _, f := range perObject[0] {
		seen[f.RuleID] = true
		if f.Severity == policies.SeverityDeny && !f.Exempted() {
			allowed = false
		}
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return allowed, ids
}

// compileWithWrapper compiles the engine's modules with the wrapper policy,
// as `opa run` does with the files the suite writes.
func compileWithWrapper(t *testing.T, sources map[string]string) *ast.Compiler {
	t.Helper()
	opts := ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true}
	modules := map[string]*ast.Module{}
	sources["opa/admission.rego"] = string(admissionRego)
	for name, src := range sources {
		m, err := ast.ParseModuleWithOpts(name, src, opts)
		require.NoError(t, err)
		modules[name] = m
	}
	c := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
	c.Compile(modules)
	require.False(t, c.Failed(), "%v", c.Errors)
	return c
}

func TestCatalogDataKeepsAdmissionRulesOnly(t *testing.T) {
	rules := []policies.Rule{
		{ID: "a-rule", Severity: policies.SeverityDeny, Package: "feastflow.rules.probes.a"},
		{ID: "files-only", Severity: policies.SeverityWarn, Package: "feastflow.rules.network.f", Scope: []string{"files", "cluster"}},
		{ID: "admission-too", Severity: policies.SeverityWarn, Package: "feastflow.rules.network.g", Scope: []string{"admission"}},
	}
	got := catalogData(rules)
	assert.Equal(t, map[string]any{"rules": map[string]any{
		"probes":  map[string]any{"a": map[string]any{"id": "a-rule", "severity": "deny"}},
		"network": map[string]any{"g": map[string]any{"id": "admission-too", "severity": "warn"}},
	}}, got)
}

// TestOPAData: OPA gets the engine's own data document: params, the live
// objects as the engine keeps them (managed fields and status gone, kinds
// no admission rule reads left out) and the inventory index.
func TestOPAData(t *testing.T) {
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{Mode: policies.ModeAdmission})
	require.NoError(t, err)
	svc := map[string]any{"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": "s", "namespace": "ns", "managedFields": []any{"x"}},
		"status":   map[string]any{"loadBalancer": map[string]any{}}}
	cm := map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c", "namespace": "ns"}}
	data, err := opaData(ctx, engine, []map[string]any{svc, cm})
	require.NoError(t, err)
	stored := data["inventory"].(map[string]any)["namespace"].(map[string]any)["ns"].(map[string]any)["v1"].(map[string]any)
	assert.NotContains(t, stored, "ConfigMap")
	service := stored["Service"].(map[string]any)["s"].(map[string]any)
	assert.NotContains(t, service["metadata"], "managedFields")
	assert.NotContains(t, service, "status")
	assert.Contains(t, svc["metadata"], "managedFields", "the input is not modified")
	feastflow := data["feastflow"].(map[string]any)
	assert.Equal(t, "warn", feastflow["params"].(map[string]any)["cpu_limit"])
	assert.Contains(t, feastflow["inventory_index"].(map[string]any)["namespace"], "ns")
	assert.Contains(t, data["feastflow_catalog"].(map[string]any)["rules"], "probes")
}

func TestWriteModules(t *testing.T) {
	engine, err := policies.New(context.Background(), policies.Options{Mode: policies.ModeAdmission})
	require.NoError(t, err)
	files, err := writeModules(engine, t.TempDir())
	require.NoError(t, err)
	require.Len(t, files, len(engine.Modules()))
	for _, f := range files {
		assert.False(t, strings.HasSuffix(f, "_test.rego"), f)
	}
}

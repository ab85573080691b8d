package policies

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var allFacts = map[string]bool{factNoPodTemplate: true, factNoExemption: true, factNoSchemaErrors: true, factKindIsNot: true}

func TestRuleConditions(t *testing.T) {
	noPod := condition{fact: factNoPodTemplate}
	tests := []struct {
		name string
		rego string
		want [][]condition
	}{
		{"iterates containers", `violation contains c if { some c in workload.all_containers }`, [][]condition{{noPod}}},
		{"iterates app containers", `violation contains c.path if { some c in workload.containers; c.init }`, [][]condition{{noPod}}},
		{"requires long_running", `violation contains "x" if { input.object.spec; workload.long_running }`, [][]condition{{noPod}}},
		{"requires is_workload", `violation contains "x" if workload.is_workload`, [][]condition{{noPod}}},
		{"negated", `violation contains "x" if not workload.is_workload`, nil},
		{"other library rule", `violation contains "x" if workload.pod_labels`, nil},
		{"one body without", `violation contains "x" if workload.is_workload
violation contains "y" if input.object.kind == "Service"`, nil},
		{"two bodies", `violation contains "x" if workload.is_workload
violation contains "y" if k8s.kind == "Service"`, [][]condition{{noPod}, {{fact: factKindIsNot, kind: "Service"}}}},
		{"kind through a flag rule", `violation contains "x" if is_cm
is_cm if { input.object.apiVersion == "v1"; "ConfigMap" == k8s.kind }`, [][]condition{{{fact: factKindIsNot, kind: "ConfigMap"}}}},
		{"flag rule with default", `violation contains "x" if is_cm
default is_cm := false
is_cm if k8s.kind == "ConfigMap"`, nil},
		{"kind compared to a variable", `violation contains "x" if { k := "Service"; k8s.kind == k }`, nil},
		{"no violation rule", `other if workload.is_workload`, nil},
		{"exemption problems", `violation contains p if { some p in exemptions.problems }`, [][]condition{{{fact: factNoExemption}}}},
		{"schema errors", `violation contains e if { some e in input.schema_errors }`, [][]condition{{{fact: factNoSchemaErrors}}}},
	}
	lib := `package feastflow.lib.workload
all_containers := containers
containers contains {"init": false, "path": []} if input.x
init_containers contains {"init": true, "path": []} if input.x
long_running if input.x
is_workload if input.x
pod_labels := {}`
	libs := map[string]string{"workload.rego": lib,
		"exemptions.rego": "package feastflow.lib.exemptions\nproblems contains \"p\" if input.x",
		"k8s.rego":        "package feastflow.lib.k8s\nkind := input.object.kind"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			modules := map[string]*ast.Module{}
			for name, src := range libs {
				modules[name] = ast.MustParseModuleWithOpts(src, ast.ParserOptions{RegoVersion: ast.RegoV1})
			}
			modules["rule.rego"] = ast.MustParseModuleWithOpts("package feastflow.rules.a.b\nimport data.feastflow.lib.exemptions\nimport data.feastflow.lib.k8s\nimport data.feastflow.lib.workload\n"+tt.rego, ast.ParserOptions{RegoVersion: ast.RegoV1})
			c := ast.NewCompiler()
			c.Compile(modules)
			require.False(t, c.Failed(), c.Errors)
			assert.ElementsMatch(t, tt.want, ruleConditions(c, "feastflow.rules.a.b", allFacts))
		})
	}
}

// TestCatalogConditions documents what the built-in rules are skipped for.
func TestCatalogConditions(t *testing.T) {
	e := newTestEngine(t, Options{})
	want := map[string]condition{
		"image-tag-pinned":          {fact: factNoPodTemplate},
		"exemption-invalid":         {fact: factNoExemption},
		"schema-strict":             {fact: factNoSchemaErrors},
		"configmap-credentials":     {fact: factKindIsNot, kind: "ConfigMap"},
		"secret-values-in-manifest": {fact: factKindIsNot, kind: "Secret"},
		"netpol-selects-nothing":    {fact: factKindIsNot, kind: "NetworkPolicy"},
	}
	for i, r := range e.rules {
		conds := e.queries.conditions[i]
		require.NotNil(t, conds, "every built-in rule is skipped for some objects: %s", r.ID)
		if c, ok := want[r.ID]; ok {
			for _, body := range conds {
				assert.Contains(t, body, c, r.ID)
			}
		}
	}
}

// TestGatedQueriesGiveFullCatalogFindings: evaluating each object with the
// rules it needs gives every fixture exactly the findings of the full
// catalog.
func TestGatedQueriesGiveFullCatalogFindings(t *testing.T) {
	ctx := context.Background()
	gated := newTestEngine(t, Options{})
	full := newTestEngine(t, Options{})
	full.queries.usable = map[string]bool{}
	for i, objects := range indexFixtures(t) {
		require.NoError(t, gated.SetInventory(ctx, bulkInventory(gated, objects)))
		require.NoError(t, full.SetInventory(ctx, bulkInventory(full, objects)))
		assert.Equal(t, evaluateAll(t, full, objects), evaluateAll(t, gated, objects), "run %d", i)
	}
}

// TestNoContainersWithoutPodTemplate checks the premise of noPodTemplate:
// other kinds have no containers and are not workloads, whatever they carry.
func TestNoContainersWithoutPodTemplate(t *testing.T) {
	e := newTestEngine(t, Options{})
	podSpec := map[string]any{"containers": []any{map[string]any{"name": "c", "image": "i"}}}
	template := map[string]any{"spec": podSpec}
	c := compiled(t)
	for _, kind := range []string{"Service", "ConfigMap", "Widget", "PodTemplate", "deployment"} {
		t.Run(kind, func(t *testing.T) {
			obj := map[string]any{"apiVersion": "v1", "kind": kind, "metadata": map[string]any{"name": "x"},
				"spec":     map[string]any{"template": template, "jobTemplate": map[string]any{"spec": map[string]any{"template": template}}, "containers": podSpec["containers"]},
				"template": template}
			assert.False(t, e.queries.podTemplateKinds[kind])
			input, err := e.input(obj, "default", []any{})
			require.NoError(t, err)
			rs, err := rego.New(rego.Store(e.store), rego.Query(`c := count(data.feastflow.lib.workload.all_containers)
not data.feastflow.lib.workload.long_running
not data.feastflow.lib.workload.is_workload`), rego.ParsedInput(input), rego.Compiler(c)).Eval(context.Background())
			require.NoError(t, err)
			require.Len(t, rs, 1)
			assert.EqualValues(t, "0", rs[0].Bindings["c"].(interface{ String() string }).String())
		})
	}
}

func TestExtendedLibraryTurnsGatingOff(t *testing.T) {
	tests := []struct {
		name, rego string
		unusable   []string
	}{
		{"workload", `package feastflow.lib.workload
containers contains {"container": c, "path": ["spec", "template", "spec", "containers", i], "init": false} if {
	input.object.kind == "Rollout"
	some i, c in input.object.spec.template.spec.containers
}`, []string{factNoPodTemplate}},
		{"exemptions", `package feastflow.lib.exemptions
problems contains "always" if input.object.kind == "Widget"`, []string{factNoExemption}},
		{"k8s", `package feastflow.lib.k8s
extra := 1`, []string{factNoPodTemplate, factNoExemption, factKindIsNot}},
		{"other library", `package feastflow.lib.mine
extra := 1`, nil},
		{"ref head from above", `package feastflow
lib.workload.containers contains {"container": {}, "path": [], "init": false} if input.object.kind == "Rollout"`,
			[]string{factNoPodTemplate, factNoExemption, factKindIsNot}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "lib.rego"), tt.rego)
			e := newTestEngine(t, Options{PolicyDirs: []string{dir}})
			for fact := range allFacts {
				unusable := false
				for _, u := range tt.unusable {
					unusable = unusable || u == fact
				}
				assert.Equal(t, !unusable, e.queries.usable[fact], fact)
			}
		})
	}
}

func compiled(t *testing.T) *ast.Compiler {
	t.Helper()
	modules, _, err := loadModules(nil)
	require.NoError(t, err)
	c := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
	c.Compile(modules)
	require.False(t, c.Failed(), c.Errors)
	return c
}

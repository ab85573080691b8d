package policies

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func deploymentWithoutProbes() map[string]any {
	return map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "api", "namespace": "shop"},
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": map[string]any{"app": "api"}},
			"template": map[string]any{
				"metadata": map[string]any{"labels": map[string]any{"app": "api"}},
				"spec": map[string]any{"containers": []any{
					map[string]any{"name": "api", "image": "registry.example.com/api:1.0"},
				}},
			},
		},
	}
}

func ruleIDs(fs []Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	return ids
}

func TestEvaluateReportsFindingWithFieldPath(t *testing.T) {
	e := newTestEngine(t, Options{})
	fs, err := e.Evaluate(context.Background(), deploymentWithoutProbes())
	require.NoError(t, err)
	var liveness *Finding
	for i := range fs {
		if fs[i].RuleID == "liveness-probe-required" {
			liveness = &fs[i]
		}
	}
	require.NotNil(t, liveness, "findings: %v", ruleIDs(fs))
	assert.Equal(t, `container "api" has no livenessProbe`, liveness.Message)
	assert.Equal(t, "spec.template.spec.containers[0]", liveness.Field)
	assert.Equal(t, []any{"spec", "template", "spec", "containers", 0}, liveness.Path)
	assert.Equal(t, ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "api"}, liveness.Object)
	assert.Equal(t, SeverityDeny, liveness.Severity)
	assert.NotEmpty(t, liveness.Remediation)
	assert.NotEmpty(t, liveness.DocsURL)
}

func TestValidExemptionMarksFindingsExempted(t *testing.T) {
	e := newTestEngine(t, Options{})
	obj := deploymentWithoutProbes()
	obj["metadata"].(map[string]any)["annotations"] = map[string]any{
		ExemptAnnotation:       "liveness-probe-required",
		ExemptReasonAnnotation: "batch worker, no HTTP endpoint",
		ExemptUntilAnnotation:  "2099-01-01",
	}
	fs, err := e.Evaluate(context.Background(), obj)
	require.NoError(t, err)
	found := false
	for _, f := range fs {
		if f.RuleID == "liveness-probe-required" {
			found = true
			require.True(t, f.Exempted(), "exempted findings are kept and marked")
			assert.Equal(t, &Exemption{Reason: "batch worker, no HTTP endpoint", Until: "2099-01-01"}, f.Exemption)
		} else {
			assert.False(t, f.Exempted(), "%s is not exempted", f.RuleID)
		}
	}
	assert.True(t, found)
}

func TestNamespacelessObjectsGetTheDefaultNamespace(t *testing.T) {
	e := newTestEngine(t, Options{DefaultNamespace: "feastflow"})
	obj := deploymentWithoutProbes()
	delete(obj["metadata"].(map[string]any), "namespace")
	assert.Equal(t, "feastflow", e.ObjectRef(obj).Namespace)
	ns := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "feastflow"}}
	assert.Empty(t, e.ObjectRef(ns).Namespace, "cluster-scoped kinds have no namespace")
}

func TestSchemaErrorsPointAtTheField(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(map[string]any)
		wantPath []any
	}{
		{"unknown field", func(o map[string]any) {
			c := o["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
			c["livenesProbe"] = map[string]any{}
		}, []any{"spec", "template", "spec", "containers", 0, "livenesProbe"}},
		{"wrong type", func(o map[string]any) {
			o["spec"].(map[string]any)["replicas"] = "three"
		}, []any{"spec", "replicas"}},
	}
	e := newTestEngine(t, Options{Validate: apiServerCheck()})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := deploymentWithoutProbes()
			tt.mutate(obj)
			fs, err := e.Evaluate(context.Background(), obj)
			require.NoError(t, err)
			var paths [][]any
			for _, f := range fs {
				if f.RuleID == "schema-strict" {
					paths = append(paths, f.Path)
				}
			}
			assert.Equal(t, [][]any{tt.wantPath}, paths)
		})
	}
}

func TestPolicyDirOverridesBuiltinRuleByID(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "liveness.rego"), `# METADATA
# title: Custom liveness rule
# description: Only checks containers named "strict".
# related_resources:
#   - ref: https://example.com/liveness
# custom:
#   id: liveness-probe-required
#   kinds: [Deployment]
#   severity: warn
#   remediation: Add a probe.
package feastflow.rules.custom.liveness

violation contains {"msg": "custom liveness"} if input.object.kind == "Deployment"
`)
	e := newTestEngine(t, Options{PolicyDirs: []string{dir}})
	fs, err := e.Evaluate(context.Background(), deploymentWithoutProbes())
	require.NoError(t, err)
	var got []Finding
	for _, f := range fs {
		if f.RuleID == "liveness-probe-required" {
			got = append(got, f)
		}
	}
	require.Len(t, got, 1, "the built-in rule is replaced, not run beside the custom one")
	assert.Equal(t, "custom liveness", got[0].Message)
	assert.Equal(t, SeverityWarn, got[0].Severity)
}

func TestPolicyErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"parse error", "package feastflow.rules.x.y\n\nviolation contains {\"msg\": 1} if {\n", "broken.rego:4: rego_parse_error"},
		{"compile error", "# METADATA\n# title: t\n# description: d\n# related_resources:\n#   - ref: https://e.com\n# custom:\n#   id: x-y\n#   kinds: [all]\n#   severity: deny\n#   remediation: r\npackage feastflow.rules.x.y\n\nviolation contains v if {\n\tv := undefined_function(input)\n}\n", "broken.rego:14"},
		{"missing metadata", "package feastflow.rules.x.y\n\nviolation contains {\"msg\": \"m\"} if true\n", "broken.rego:1"},
		{"bad severity", "# METADATA\n# title: t\n# description: d\n# related_resources:\n#   - ref: https://e.com\n# custom:\n#   id: x-y\n#   kinds: [Pod]\n#   severity: fatal\n#   remediation: r\npackage feastflow.rules.x.y\n", "custom.severity"},
	}
	meta := "# a custom rule\n# METADATA\n# title: t\n# description: d\n# related_resources:\n#   - ref: https://e.com\n# custom:\n#   id: x-y\n#   severity: deny\n#   remediation: r\n"
	tests = append(tests, []struct {
		name string
		src  string
		want string
	}{
		{"no kinds", meta + "package feastflow.rules.x.y\n", "broken.rego:2: rule feastflow.rules.x.y: metadata lacks custom.kinds"},
		{"unknown kind group", meta + "#   kinds: [workload]\npackage feastflow.rules.x.y\n", "broken.rego:2: rule feastflow.rules.x.y: custom.kinds: workload is neither a kind"},
		{"kinds not a list", meta + "#   kinds: Pod\npackage feastflow.rules.x.y\n", "broken.rego:2: rule feastflow.rules.x.y: custom.kinds must be a list"},
		{"inventory of every kind", meta + "#   kinds: [Pod]\n#   inventory: [all]\npackage feastflow.rules.x.y\n", "broken.rego:2: rule feastflow.rules.x.y: custom.inventory: all is neither a kind"},
	}...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "broken.rego"), tt.src)
			_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestParams checks every parameter value against its schema. Before the
// schemas (lib/params.rego `schema`), the cases marked "was accepted"
// passed New silently.
func TestParams(t *testing.T) {
	tests := []struct {
		name    string
		params  map[string]any
		sources map[string]string
		want    map[string]any
		wantErr []string
	}{
		{"defaults", nil, nil, map[string]any{"cpu_limit": "warn", "require_default_deny_egress": false, "max_cpu": ""}, nil},
		{"string override", map[string]any{"cpu_limit": "deny"}, nil, map[string]any{"cpu_limit": "deny"}, nil},
		{"bool from the command line", map[string]any{"require_default_deny_egress": "true"}, nil, map[string]any{"require_default_deny_egress": true}, nil},
		{"bad bool", map[string]any{"require_default_deny_egress": "maybe"}, nil, nil, []string{`"maybe" is not allowed: want true or false`}},
		{"unknown key", map[string]any{"cpu_limits": "deny"}, map[string]string{"cpu_limits": "--param cpu_limits=deny"}, nil,
			[]string{`unknown parameter "cpu_limits" (--param cpu_limits=deny); known parameters: cpu_limit, max_cpu`}},
		// was accepted
		{"cpu_limit outside its enum", map[string]any{"cpu_limit": "dney"}, map[string]string{"cpu_limit": "--param cpu_limit=dney"}, nil,
			[]string{`parameter "cpu_limit" (--param cpu_limit=dney): "dney" is not allowed: want one of warn, deny, off`}},
		// was accepted
		{"max_cpu not a quantity", map[string]any{"max_cpu": "lots"}, map[string]string{"max_cpu": "params.yaml:2"}, nil,
			[]string{`parameter "max_cpu" (params.yaml:2): "lots" is not a Kubernetes quantity: want a Kubernetes quantity such as 500m, 2 or 4Gi or "" for none`}},
		// was accepted
		{"max_memory with a bad suffix", map[string]any{"max_memory": "1Gx"}, nil, nil, []string{`parameter "max_memory": "1Gx" is not a Kubernetes quantity`}},
		{"max_memory quantity", map[string]any{"max_memory": "512Mi", "max_cpu": "1500m"}, nil, map[string]any{"max_memory": "512Mi", "max_cpu": "1500m"}, nil},
		{"max_cpu empty switches it off", map[string]any{"max_cpu": ""}, nil, map[string]any{"max_cpu": ""}, nil},
		// was accepted (and failed every evaluation later)
		{"pattern that does not compile", map[string]any{"sensitive_name_pattern": "(PASSWORD"}, nil, nil,
			[]string{`parameter "sensitive_name_pattern": "(PASSWORD" is not a regular expression (error parsing regexp: missing closing ): ` + "`(PASSWORD`" + `): want a regular expression (RE2 syntax)`}},
		{"pattern", map[string]any{"sensitive_name_pattern": "(?i)secret"}, nil, map[string]any{"sensitive_name_pattern": "(?i)secret"}, nil},
		// was accepted as a string
		{"number for a string", map[string]any{"cpu_limit": 3.0}, nil, nil, []string{`parameter "cpu_limit": 3 (number) is not allowed: want one of warn, deny, off`}},
		{"pod security level", map[string]any{"pod_security_level": "restricted"}, nil, map[string]any{"pod_security_level": "restricted"}, nil},
		{"unknown pod security level", map[string]any{"pod_security_level": "strict"}, nil, nil,
			[]string{`parameter "pod_security_level": "strict" is not allowed: want one of privileged, baseline, restricted`}},
		{"pod security version", map[string]any{"pod_security_version": "v1.30"}, nil, map[string]any{"pod_security_version": "v1.30"}, nil},
		{"malformed pod security version", map[string]any{"pod_security_version": "1.30"}, nil, nil,
			[]string{`parameter "pod_security_version": "1.30" is not allowed: want a string matching ^(latest|v1\.(0|[1-9][0-9]*))$`}},
		{"every bad value is reported", map[string]any{"cpu_limit": "dney", "max_cpu": "x", "nope": 1}, nil, nil,
			[]string{`parameter "cpu_limit"`, `parameter "max_cpu"`, `unknown parameter "nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(context.Background(), Options{Params: tt.params, ParamSources: tt.sources})
			if tt.wantErr != nil {
				require.Error(t, err)
				for _, want := range tt.wantErr {
					assert.Contains(t, err.Error(), want)
				}
				return
			}
			require.NoError(t, err)
			for k, v := range tt.want {
				assert.Equal(t, v, e.Params()[k], k)
			}
		})
	}
}

// TestConcurrentEvaluation proves the engine is safe for concurrent use;
// run with -race (make test does).
func TestConcurrentEvaluation(t *testing.T) {
	e := newTestEngine(t, Options{})
	want, err := e.Evaluate(context.Background(), deploymentWithoutProbes())
	require.NoError(t, err)
	require.NotEmpty(t, want)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				got, err := e.Evaluate(context.Background(), deploymentWithoutProbes())
				if err != nil {
					errs <- err
					return
				}
				if !assert.Equal(t, want, got) {
					return
				}
			}
		}()
	}
	// Inventory writes interleave with evaluations, as in the webhook.
	for i := 0; i < 5; i++ {
		require.NoError(t, e.SetInventory(context.Background(), NewInventory()))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

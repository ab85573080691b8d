package main

import (
	"context"
	_ "embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// admissionRego is the wrapper policy OPA's server answers reviews with.
//
//go:embed opa/admission.rego
var admissionRego []byte

// opaDecision is the default decision the wrapper defines, for
// `opa run --set=default_decision=...`, and its path under data.
const (
	opaDecision     = "/feastflow_admission/main"
	opaDecisionPath = "data.feastflow_admission.main"
)

// policyFiles lists the catalog's Rego files under dir (lib and rules,
// tests excluded), sorted: what the engine embeds.
func policyFiles(dir string) ([]string, error) {
	var out []string
	for _, sub := range []string{"lib", "rules"} {
		err := filepath.WalkDir(filepath.Join(dir, sub), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".rego") && !strings.HasSuffix(path, "_test.rego") {
				out = append(out, path)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("list policies: %w", err)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("list policies: no .rego files under %s/lib or %s/rules", dir, dir)
	}
	return out, nil
}

// compileModules parses and compiles files plus the wrapper policy.
func compileModules(files []string) (*ast.Compiler, error) {
	modules := map[string]*ast.Module{}
	opts := ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read policy: %w", err)
		}
		if modules[f], err = ast.ParseModuleWithOpts(f, string(src), opts); err != nil {
			return nil, fmt.Errorf("parse policy: %w", err)
		}
	}
	wrapper, err := ast.ParseModuleWithOpts("opa/admission.rego", string(admissionRego), opts)
	if err != nil {
		return nil, fmt.Errorf("parse wrapper policy: %w", err)
	}
	modules["opa/admission.rego"] = wrapper
	c := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
	if c.Compile(modules); c.Failed() {
		return nil, fmt.Errorf("compile policies: %w", c.Errors)
	}
	return c, nil
}

// catalogData maps every rule that runs at admission, by area and rule
// package name, to its id and severity: data.feastflow_catalog.
func catalogData(rules []policies.Rule) map[string]any {
	byArea := map[string]any{}
	for _, r := range rules {
		if !r.AppliesTo(policies.ModeAdmission) {
			continue
		}
		segments := strings.Split(strings.TrimPrefix(r.Package, "feastflow.rules."), ".")
		if len(segments) != 2 {
			continue
		}
		area, ok := byArea[segments[0]].(map[string]any)
		if !ok {
			area = map[string]any{}
			byArea[segments[0]] = area
		}
		area[segments[1]] = map[string]any{"id": r.ID, "severity": string(r.Severity)}
	}
	return map[string]any{"rules": byArea}
}

// inventoryData is data.inventory holding objs, shaped as the engine
// stores it. Only kinds the engine stores unprojected (Services,
// NetworkPolicies, LimitRanges, ...) may be given; managedFields are
// dropped as the webhook's cache does.
func inventoryData(objs []map[string]any) (map[string]any, error) {
	namespaced := map[string]any{}
	for _, obj := range objs {
		kind, _ := obj["kind"].(string)
		apiVersion, _ := obj["apiVersion"].(string)
		meta, _ := obj["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		ns, _ := meta["namespace"].(string)
		if kind == "" || apiVersion == "" || name == "" || ns == "" || kind == "Secret" || policies.IsWorkload(kind) {
			return nil, fmt.Errorf("inventory object %s %s/%s: want a named, namespaced, unprojected kind", kind, ns, name)
		}
		clean := map[string]any{}
		for k, v := range obj {
			clean[k] = v
		}
		m := map[string]any{}
		for k, v := range meta {
			if k != "managedFields" {
				m[k] = v
			}
		}
		clean["metadata"] = m
		child(child(child(namespaced, ns), apiVersion), kind)[name] = clean
	}
	return map[string]any{"namespace": namespaced, "cluster": map[string]any{}}, nil
}

func child(m map[string]any, key string) map[string]any {
	c, ok := m[key].(map[string]any)
	if !ok {
		c = map[string]any{}
		m[key] = c
	}
	return c
}

// opaData is the whole data document OPA is started with: rule params,
// catalog metadata, the inventory, and the per-namespace inventory index
// the engine would store, computed by the catalog's own library.
func opaData(ctx context.Context, c *ast.Compiler, engine *policies.Engine, objs []map[string]any) (map[string]any, error) {
	inventory, err := inventoryData(objs)
	if err != nil {
		return nil, err
	}
	data := map[string]any{
		"feastflow":         map[string]any{"params": engine.Params()},
		"feastflow_catalog": catalogData(engine.Rules()),
		"inventory":         inventory,
	}
	index := map[string]any{}
	for ns := range inventory["namespace"].(map[string]any) {
		rs, err := rego.New(rego.Compiler(c), rego.Store(inmem.NewFromObject(data)),
			rego.Query("data.feastflow.lib.inventory_index.built"),
			rego.Input(map[string]any{"namespace": ns})).Eval(ctx)
		if err != nil {
			return nil, fmt.Errorf("index namespace %s: %w", ns, err)
		}
		if len(rs) == 1 && len(rs[0].Expressions) == 1 {
			index[ns] = rs[0].Expressions[0].Value
		}
	}
	if len(index) > 0 {
		data["feastflow"].(map[string]any)["inventory_index"] = map[string]any{"namespace": index}
	}
	return data, nil
}

package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

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

// writeModules writes the Rego modules the engine compiled (Engine.Modules:
// the catalog the webhook embeds) under dir, keeping their names as
// relative paths, and returns the files, sorted.
func writeModules(engine *policies.Engine, dir string) ([]string, error) {
	var files []string
	for name, src := range engine.Modules() {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("write policies: %w", err)
		}
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			return nil, fmt.Errorf("write policies: %w", err)
		}
		files = append(files, path)
	}
	sort.Strings(files)
	return files, nil
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

// opaData is the whole data document OPA is started with: the engine's
// own (Engine.Data: rule params, the inventory it keeps of the live
// objects and its per-namespace index) once the live objects are its
// inventory, plus the catalog metadata the wrapper reads.
func opaData(ctx context.Context, engine *policies.Engine, live []map[string]any) (map[string]any, error) {
	if _, err := engine.EvaluateAll(ctx, policies.Batch{Inventory: live}); err != nil {
		return nil, err
	}
	data, err := engine.Data(ctx)
	if err != nil {
		return nil, err
	}
	data["feastflow_catalog"] = catalogData(engine.Rules())
	return data, nil
}

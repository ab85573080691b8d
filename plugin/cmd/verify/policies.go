package verify

import (
	"context"
	"fmt"
	"slices"

	"github.com/feastflow/kubectl-feastflow/plugin/output"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// policyChecks evaluates every top-level workload and every other object
// of the kinds the catalog's rules apply to or read (Engine.Kinds and
// Engine.InventoryKinds) with engine (compiled in policies.ModeCluster);
// the namespaces and the objects of Engine.InventoryKinds form the inventory. There is one check per object with
// findings: it fails on deny findings, warns on warn findings and passes
// when all its findings are exempted; clean objects share one passing check.
func policyChecks(ctx context.Context, engine *policies.Engine, snap *clusterSnapshot) ([]Check, error) {
	var inventory []map[string]any
	for _, ns := range snap.Namespaces {
		inventory = append(inventory, policies.AsManifest(ns.Object))
	}
	for _, kind := range engine.InventoryKinds() {
		for _, obj := range snap.Objects(kind) {
			inventory = append(inventory, policies.AsManifest(obj.Object))
		}
	}
	audited := snap.topLevelWorkloads()
	for _, kind := range auditedKinds(engine) {
		audited = append(audited, snap.Objects(kind)...)
	}
	batch := policies.Batch{Objects: make([]map[string]any, len(audited)), Inventory: inventory}
	for i, obj := range audited {
		batch.Objects[i] = policies.AsManifest(obj.Object)
	}
	perObject, err := engine.EvaluateAll(ctx, batch)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	var checks []Check
	clean := 0
	for i, findings := range perObject {
		if len(findings) == 0 {
			clean++
			continue
		}
		obj := audited[i]
		checks = append(checks, findingsCheck(describeObject(obj.GetKind(), obj.GetNamespace(), obj.GetName()), findings))
	}
	summary := Check{
		Section: SectionPolicies, Name: "audit", Status: StatusPass,
		Message: fmt.Sprintf("%d of %s pass the catalog (%s)", clean, output.Plural(len(audited), "object"), output.Plural(len(engine.Rules()), "rule")),
	}
	if clean < len(audited) {
		summary.Status = worstStatus(checks)
	}
	return append([]Check{summary}, checks...), nil
}

// auditedKinds are the kinds besides workloads whose live objects verify
// evaluates: those the rules apply to or read from the inventory (every
// kind gets the rules for every kind, such as exemption-invalid).
func auditedKinds(engine *policies.Engine) []string {
	kinds := append(engine.Kinds(), engine.InventoryKinds()...)
	slices.Sort(kinds)
	return slices.DeleteFunc(slices.Compact(kinds), policies.IsWorkload)
}

// findingsCheck is the check of one object with findings; its details
// list them as "severity  rule-id  message" in aligned columns.
func findingsCheck(object string, findings []policies.Finding) Check {
	c := Check{Section: SectionPolicies, Name: object, Status: StatusPass, Findings: findings}
	var deny, warn, exempted, width int
	for _, f := range findings {
		width = max(width, len(f.RuleID))
	}
	for _, f := range findings {
		label, text := string(f.Severity), f.Message
		switch {
		case f.Exempted():
			exempted++
			label, text = "exempt", f.Message+" (exempted: "+f.Exemption.Reason+")"
		case f.Severity == policies.SeverityDeny:
			deny++
			c.Status = StatusFail
		default:
			warn++
			if c.Status == StatusPass {
				c.Status = StatusWarn
			}
		}
		c.Details = append(c.Details, fmt.Sprintf("%-6s  %-*s  %s", label, width, f.RuleID, text))
	}
	c.Message = fmt.Sprintf("%d denied, %s, %d exempted", deny, output.Plural(warn, "warning"), exempted)
	return c
}

// worstStatus is fail if any check fails, else warn if any warns, else pass.
func worstStatus(checks []Check) CheckStatus {
	worst := StatusPass
	for _, c := range checks {
		switch c.Status {
		case StatusFail:
			return StatusFail
		case StatusWarn:
			worst = StatusWarn
		}
	}
	return worst
}

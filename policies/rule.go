package policies

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Rule is the metadata of one rule, read from its package's # METADATA block.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    Severity `json:"severity"`
	Area        string   `json:"area"`
	Description string   `json:"description"`
	Remediation string   `json:"remediation"`
	DocsURL     string   `json:"docs"`
	// Scope lists the front ends the rule applies to; empty means all.
	// "files" marks rules that only make sense for manifests in files.
	Scope []string `json:"scope,omitempty"`
	// Kinds are the kinds the rule applies to (custom.kinds, groups
	// expanded, sorted); empty when AnyKind.
	Kinds []string `json:"kinds,omitempty"`
	// AnyKind marks a rule for every kind (custom.kinds: [all]).
	AnyKind bool `json:"any_kind,omitempty"`
	// Inventory are the kinds of other objects the rule reads from
	// data.inventory (custom.inventory, groups expanded, sorted).
	Inventory []string `json:"inventory,omitempty"`
	// Params are the parameters the rule declares (custom.params), sorted
	// by name; library parameters are declared in lib/params.rego.
	Params []ParamSpec `json:"params,omitempty"`
	// File is where the rule's Rego source came from.
	File string `json:"file"`
	// Package is the rule's Rego package path, e.g. feastflow.rules.probes.liveness_required.
	Package string `json:"package"`

	// Result is the rule's result set in its package: violation (objects
	// with msg, optional path and severity), or conftest's deny or warn
	// (messages, or the same objects).
	Result string `json:"result"`
	// Disabled marks a rule switched off by the engine's settings (it never runs).
	Disabled bool `json:"disabled,omitempty"`
	// Custom marks a rule read from a policy directory.
	Custom bool `json:"custom,omitempty"`
	// Replaces is the file of the built-in rule this --policy-dir rule
	// replaces (same id); empty otherwise.
	Replaces string `json:"replaces,omitempty"`

	// pkgRef is the package's ref, data.<Package>.
	pkgRef ast.Ref
}

// AppliesTo reports whether the rule runs for the given front-end mode.
func (r Rule) AppliesTo(mode string) bool {
	if len(r.Scope) == 0 {
		return true
	}
	for _, s := range r.Scope {
		if s == mode {
			return true
		}
	}
	return false
}

// AppliesToKind reports whether the rule runs for objects of kind.
func (r Rule) AppliesToKind(kind string) bool {
	return r.AnyKind || slices.Contains(r.Kinds, kind)
}

var ruleIDPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// readKinds reads custom.kinds (required) and custom.inventory.
func (r *Rule) readKinds(custom map[string]any) error {
	raw, ok := custom["kinds"]
	if !ok {
		return fmt.Errorf("metadata lacks custom.kinds (the kinds it applies to, or a group: %s)", groupNames(true))
	}
	var err error
	if r.Kinds, r.AnyKind, err = expandKinds("custom.kinds", raw, true); err != nil {
		return err
	}
	if raw, ok := custom["inventory"]; ok {
		if r.Inventory, _, err = expandKinds("custom.inventory", raw, false); err != nil {
			return err
		}
	}
	return nil
}

// readParams reads custom.params: parameter name to its schema.
func (r *Rule) readParams(custom map[string]any) error {
	raw, ok := custom["params"]
	if !ok {
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("custom.params must map parameter names to their schema (type, default, ...), got %v", raw)
	}
	for _, name := range sortedKeys(m) {
		spec, err := parseParamSpec(name, m[name], r.ID)
		if err != nil {
			return fmt.Errorf("custom.params: %w", err)
		}
		r.Params = append(r.Params, spec)
	}
	return nil
}

// validate checks the metadata every rule must carry.
func (r Rule) validate() error {
	var missing []string
	if !ruleIDPattern.MatchString(r.ID) {
		missing = append(missing, "custom.id (kebab-case)")
	}
	if r.Severity != SeverityDeny && r.Severity != SeverityWarn {
		missing = append(missing, "custom.severity (deny or warn)")
	}
	if r.Title == "" {
		missing = append(missing, "title")
	}
	if r.Description == "" {
		missing = append(missing, "description")
	}
	if r.Remediation == "" {
		missing = append(missing, "custom.remediation")
	}
	if r.DocsURL == "" {
		missing = append(missing, "related_resources (docs link)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("rule %s metadata lacks %s", r.Package, strings.Join(missing, ", "))
	}
	return nil
}

// sortRules orders rules by area, then id, for stable listings.
func sortRules(rules []Rule) {
	sort.Slice(rules, func(i, j int) bool {
		if rules[i].Area != rules[j].Area {
			return rules[i].Area < rules[j].Area
		}
		return rules[i].ID < rules[j].ID
	})
}

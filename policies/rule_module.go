package policies

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// rulePackagePrefix is where the built-in rule packages live; the two
// path segments after it are the area and the rule.
const rulePackagePrefix = "feastflow.rules."

// Result sets a rule package may define: violation (objects with msg,
// optional path and severity) or, as in conftest, deny or warn (messages
// or the same objects; their name is the default severity).
const (
	ResultViolation = "violation"
	ResultDeny      = "deny"
	ResultWarn      = "warn"
)

var resultNames = []string{ResultViolation, ResultDeny, ResultWarn}

// conftestResultPattern is what conftest takes for a rule's result
// (deny, warn or violation, optionally with a _suffix): a module of a
// policy dir defining one is a rule and needs its metadata.
var conftestResultPattern = regexp.MustCompile(`^(deny|warn|violation)(_[a-zA-Z0-9_]+)*$`)

// ruleFromModule reads a rule from its package-scoped # METADATA block:
// any package whose block has custom.id is a rule. It returns false for
// libraries and tests. A module that looks like a rule (a package under
// feastflow.rules, or, when custom, one defining deny, warn or violation)
// without that block is an error naming its file and line, as is a
// custom.id in a block not scoped to the package.
func ruleFromModule(m *ast.Module, custom bool) (Rule, bool, error) {
	loc := m.Package.Location
	if strings.HasSuffix(loc.File, "_test.rego") {
		return Rule{}, false, nil
	}
	pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
	var ann *ast.Annotations
	for _, a := range m.Annotations {
		switch {
		case a.Scope == "package" || a.Scope == "subpackages":
			ann = a
		case a.Custom["id"] != nil:
			return Rule{}, false, fmt.Errorf("%s:%d: the # METADATA block with custom.id is scoped to a %s, not the package: put it directly above `package %s` (or add scope: package)",
				loc.File, a.Location.Row, a.Scope, pkg)
		}
	}
	results, lookalike := resultsOf(m)
	if ann == nil || ann.Custom["id"] == nil {
		underRules := strings.HasPrefix(pkg, rulePackagePrefix)
		switch {
		case underRules:
			return Rule{}, false, fmt.Errorf("%s:%d: rule package %s has no package-scoped # METADATA block with custom.id (see README, Custom rules)", loc.File, loc.Row, pkg)
		case custom && lookalike != nil:
			return Rule{}, false, fmt.Errorf("%s:%d: package %s defines %q like a rule, but has no package-scoped # METADATA block with custom.id: add one (see README, Custom rules) or rename the rule",
				loc.File, lookalike.Location.Row, pkg, lookalike.Head.Ref().String())
		}
		return Rule{}, false, nil
	}
	r, err := ruleFromAnnotations(m, ann, pkg)
	if err != nil {
		return Rule{}, false, err
	}
	switch len(results) {
	case 0:
		return Rule{}, false, fmt.Errorf("%s:%d: rule %s defines none of %s: its findings are the elements of one of them",
			loc.File, loc.Row, r.ID, strings.Join(resultNames, ", "))
	case 1:
		r.Result = results[0]
	default:
		return Rule{}, false, fmt.Errorf("%s:%d: rule %s defines %s: one rule, one result set (split it into rules, each with its own id)",
			loc.File, loc.Row, r.ID, strings.Join(results, " and "))
	}
	return r, true, nil
}

// resultsOf returns the result sets m defines, and its first rule whose
// name conftest would take for a result.
func resultsOf(m *ast.Module) (results []string, lookalike *ast.Rule) {
	for _, rule := range m.Rules {
		name := rule.Head.Ref()[0].Value.(ast.Var).String()
		if slices.Contains(resultNames, name) && !slices.Contains(results, name) {
			results = append(results, name)
		}
		if lookalike == nil && conftestResultPattern.MatchString(name) {
			lookalike = rule
		}
	}
	slices.Sort(results)
	return results, lookalike
}

// ruleFromAnnotations reads and checks the rule's metadata.
func ruleFromAnnotations(m *ast.Module, ann *ast.Annotations, pkg string) (Rule, error) {
	loc := m.Package.Location
	r := Rule{
		Title:       ann.Title,
		Description: strings.TrimSpace(ann.Description),
		File:        loc.File,
		Package:     pkg,
		pkgRef:      m.Package.Path.Copy(),
	}
	r.ID, _ = ann.Custom["id"].(string)
	sev, _ := ann.Custom["severity"].(string)
	r.Severity = Severity(sev)
	if r.Severity == "" {
		// conftest's deny and warn name their severity.
		if results, _ := resultsOf(m); len(results) == 1 && results[0] != ResultViolation {
			r.Severity = Severity(results[0])
		}
	}
	r.Remediation, _ = ann.Custom["remediation"].(string)
	r.Remediation = strings.TrimSpace(r.Remediation)
	if scope, ok := ann.Custom["scope"].([]any); ok {
		for _, s := range scope {
			r.Scope = append(r.Scope, fmt.Sprint(s))
		}
	}
	if err := r.readArea(ann.Custom, pkg); err != nil {
		return r, fmt.Errorf("%s:%d: rule %s: %w", loc.File, ann.Location.Row, pkg, err)
	}
	if err := r.readKinds(ann.Custom); err != nil {
		return r, fmt.Errorf("%s:%d: rule %s: %w", loc.File, ann.Location.Row, pkg, err)
	}
	if err := r.readParams(ann.Custom); err != nil {
		return r, fmt.Errorf("%s:%d: rule %s: %w", loc.File, ann.Location.Row, pkg, err)
	}
	if len(ann.RelatedResources) > 0 {
		r.DocsURL = ann.RelatedResources[0].Ref.String()
	}
	if err := r.validate(); err != nil {
		return r, fmt.Errorf("%s:%d: %w", loc.File, ann.Location.Row, err)
	}
	return r, nil
}

// readArea sets the rule's area: <area> of a feastflow.rules.<area>.<rule>
// package, else custom.area, else "custom".
func (r *Rule) readArea(custom map[string]any, pkg string) error {
	if rest, ok := strings.CutPrefix(pkg, rulePackagePrefix); ok {
		segments := strings.Split(rest, ".")
		if len(segments) != 2 {
			return fmt.Errorf("a rule package under feastflow.rules must be feastflow.rules.<area>.<rule>, not %s", pkg)
		}
		r.Area = strings.ReplaceAll(segments[0], "_", "-")
		return nil
	}
	r.Area = "custom"
	if raw, ok := custom["area"]; ok {
		area, _ := raw.(string)
		if !ruleIDPattern.MatchString(area) {
			return fmt.Errorf("custom.area must be kebab-case, got %v", raw)
		}
		r.Area = area
	}
	return nil
}

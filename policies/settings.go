package policies

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
)

// RuleSelector names rules in a setting: a rule id, or an area (every
// rule of it). Source says where the setting was written, for errors:
// ".feastflow.yaml:7" or "--disable".
type RuleSelector struct {
	Name   string
	Source string
}

// RuleToggle switches the selected rules on (Enabled) or off.
type RuleToggle struct {
	RuleSelector
	Enabled bool
}

// SeverityOverride gives every finding of the selected rules Severity.
type SeverityOverride struct {
	RuleSelector
	Severity Severity
}

// CentralExemption exempts matching objects from the selected rules, as
// the exemption annotations do, from a configuration file: their findings
// are still reported, marked exempted. Namespace, Kind and Name are
// path.Match patterns (empty matches any). Reason is required; Until
// (YYYY-MM-DD, optional) is the last day it holds. An expired exemption is
// ignored and reported by the exemption-invalid rule on each object it
// names, as an expired annotation is.
type CentralExemption struct {
	Rules                 []RuleSelector
	Namespace, Kind, Name string
	Reason, Until         string
	Source                string
}

// ExemptionInvalidRule is the id of the rule that reports exemptions
// that are ignored; it can never be exempted.
const ExemptionInvalidRule = "exemption-invalid"

// settings are the resolved rule settings of an engine.
type settings struct {
	disabled   map[string]bool
	severity   map[string]Severity
	exemptions []resolvedExemption
	now        func() time.Time
}

type resolvedExemption struct {
	CentralExemption
	ids     map[string]bool
	expires time.Time // zero: never
}

// newSettings checks every selector against the catalog (an unknown rule
// id or area is an error naming where it was written) and resolves them.
// An id beats an area; at the same level a later selector beats an
// earlier one (front ends put command-line flags after the file).
func newSettings(rules []Rule, opts Options) (*settings, error) {
	s := &settings{disabled: map[string]bool{}, severity: map[string]Severity{}, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	var errs []error
	resolve := func(sel RuleSelector) []string {
		ids, err := selectRules(rules, sel)
		if err != nil {
			errs = append(errs, err)
		}
		return ids
	}
	// Areas first, then ids, each in the order given: the later wins.
	toggles := slices.Clone(opts.Toggles)
	slices.SortStableFunc(toggles, func(a, b RuleToggle) int { return boolRank(isID(rules, a.Name)) - boolRank(isID(rules, b.Name)) })
	for _, t := range toggles {
		for _, id := range resolve(t.RuleSelector) {
			s.disabled[id] = !t.Enabled
		}
	}
	overrides := slices.Clone(opts.Severity)
	slices.SortStableFunc(overrides, func(a, b SeverityOverride) int { return boolRank(isID(rules, a.Name)) - boolRank(isID(rules, b.Name)) })
	for _, o := range overrides {
		if o.Severity != SeverityDeny && o.Severity != SeverityWarn {
			errs = append(errs, fmt.Errorf("%s: severity of %s must be deny or warn, not %q", o.Source, o.Name, o.Severity))
			continue
		}
		for _, id := range resolve(o.RuleSelector) {
			s.severity[id] = o.Severity
		}
	}
	for _, ex := range opts.Exemptions {
		r, err := resolveExemption(rules, ex)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.exemptions = append(s.exemptions, r)
	}
	return s, errors.Join(errs...)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isID(rules []Rule, name string) bool {
	return slices.ContainsFunc(rules, func(r Rule) bool { return r.ID == name })
}

// selectRules returns the ids a selector names, or an error naming the
// selector's source when it names no rule id and no area.
func selectRules(rules []Rule, sel RuleSelector) ([]string, error) {
	var ids []string
	areas := map[string]bool{}
	for _, r := range rules {
		areas[r.Area] = true
		if r.ID == sel.Name {
			return []string{r.ID}, nil
		}
	}
	for _, r := range rules {
		if r.Area == sel.Name {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		names := sortedKeys(areas)
		return nil, fmt.Errorf("%s: %q is neither a rule id nor an area (areas: %s; 'kubectl feastflow rules' lists the ids)",
			sel.Source, sel.Name, strings.Join(names, ", "))
	}
	return ids, nil
}

func resolveExemption(rules []Rule, ex CentralExemption) (resolvedExemption, error) {
	r := resolvedExemption{CentralExemption: ex, ids: map[string]bool{}}
	var errs []error
	if strings.TrimSpace(ex.Reason) == "" {
		errs = append(errs, fmt.Errorf("%s: exemption has no reason: say why the rules do not apply", ex.Source))
	}
	if ex.Namespace == "" && ex.Kind == "" && ex.Name == "" {
		errs = append(errs, fmt.Errorf("%s: exemption names no namespace, kind or name: to switch rules off everywhere, disable them", ex.Source))
	}
	for _, p := range []string{ex.Namespace, ex.Kind, ex.Name} {
		if _, err := path.Match(p, ""); err != nil {
			errs = append(errs, fmt.Errorf("%s: exemption pattern %q: %w", ex.Source, p, err))
		}
	}
	if ex.Until != "" {
		day, err := time.Parse("2006-01-02", ex.Until)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: exemption until %q is not a date (YYYY-MM-DD)", ex.Source, ex.Until))
		}
		r.expires = day.Add(24 * time.Hour)
	}
	if len(ex.Rules) == 0 {
		errs = append(errs, fmt.Errorf("%s: exemption names no rules", ex.Source))
	}
	for _, sel := range ex.Rules {
		if sel.Name == ExemptionInvalidRule {
			errs = append(errs, fmt.Errorf("%s: %s can never be exempted", sel.Source, ExemptionInvalidRule))
			continue
		}
		ids, err := selectRules(rules, sel)
		if err != nil {
			errs = append(errs, err)
		}
		for _, id := range ids {
			r.ids[id] = true
		}
	}
	return r, errors.Join(errs...)
}

// matches reports whether the exemption names the object.
func (r resolvedExemption) matches(ref ObjectRef) bool {
	ok := func(pattern, value string) bool {
		m, _ := path.Match(pattern, value)
		return pattern == "" || m
	}
	return ok(r.Namespace, ref.Namespace) && ok(r.Kind, ref.Kind) && ok(r.Name, ref.Name)
}

// apply overrides severities and marks the findings central exemptions
// cover; an expired exemption adds an exemption-invalid finding instead
// (when that rule runs).
func (s *settings) apply(findings []Finding, ref ObjectRef, invalid *Rule) []Finding {
	for i := range findings {
		if sev, ok := s.severity[findings[i].RuleID]; ok {
			findings[i].Severity = sev
		}
	}
	now := s.now()
	for _, ex := range s.exemptions {
		if !ex.matches(ref) {
			continue
		}
		if !ex.expires.IsZero() && !now.Before(ex.expires) {
			if invalid != nil {
				findings = append(findings, Finding{
					RuleID: invalid.ID, Severity: s.severityOf(invalid), Object: ref,
					Message: fmt.Sprintf("the exemption from %s in %s is ignored: it expired on %s",
						strings.Join(sortedKeys(ex.ids), ", "), ex.Source, ex.Until),
					Remediation: invalid.Remediation, DocsURL: invalid.DocsURL,
				})
			}
			continue
		}
		for i := range findings {
			f := &findings[i]
			if f.Exemption == nil && ex.ids[f.RuleID] {
				f.Exemption = &Exemption{Reason: strings.TrimSpace(ex.Reason), Until: ex.Until, Source: ex.Source}
			}
		}
	}
	return findings
}

func (s *settings) severityOf(r *Rule) Severity {
	if sev, ok := s.severity[r.ID]; ok {
		return sev
	}
	return r.Severity
}

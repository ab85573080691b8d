package policies

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sel(name string) RuleSelector { return RuleSelector{Name: name, Source: "c.yaml:1"} }

func toggle(name string, on bool, source string) RuleToggle {
	return RuleToggle{RuleSelector: RuleSelector{Name: name, Source: source}, Enabled: on}
}

// findingsByRule evaluates the probe-less Deployment with opts and returns
// its findings by rule id.
func findingsByRule(t *testing.T, opts Options) map[string]Finding {
	t.Helper()
	e := newTestEngine(t, opts)
	fs, err := e.Evaluate(context.Background(), deploymentWithoutProbes())
	require.NoError(t, err)
	out := map[string]Finding{}
	for _, f := range fs {
		if _, seen := out[f.RuleID]; !seen {
			out[f.RuleID] = f
		}
	}
	return out
}

// TestRuleToggles: rules are switched off and on by id or area; an id
// beats an area; at the same level the later toggle (the command line
// after the file) wins. None of this existed before.
func TestRuleToggles(t *testing.T) {
	tests := []struct {
		name    string
		toggles []RuleToggle
		present []string
		absent  []string
	}{
		{"none", nil, []string{"liveness-probe-required", "readiness-probe-required", "cpu-limit"}, nil},
		{"disable an id", []RuleToggle{toggle("liveness-probe-required", false, "f")}, []string{"readiness-probe-required"}, []string{"liveness-probe-required"}},
		{"disable an area", []RuleToggle{toggle("probes", false, "f")}, []string{"cpu-limit"}, []string{"liveness-probe-required", "readiness-probe-required"}},
		{"an id beats its area", []RuleToggle{toggle("liveness-probe-required", true, "f"), toggle("probes", false, "--disable probes")},
			[]string{"liveness-probe-required"}, []string{"readiness-probe-required"}},
		{"the later wins: flag over file", []RuleToggle{toggle("cpu-limit", false, "f"), toggle("cpu-limit", true, "--enable cpu-limit")}, []string{"cpu-limit"}, nil},
		{"the later wins: disable by flag", []RuleToggle{toggle("cpu-limit", true, "f"), toggle("cpu-limit", false, "--disable cpu-limit")}, nil, []string{"cpu-limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findingsByRule(t, Options{Toggles: tt.toggles})
			for _, id := range tt.present {
				assert.Contains(t, got, id)
			}
			for _, id := range tt.absent {
				assert.NotContains(t, got, id)
			}
		})
	}
}

// TestSeverityOverrides: by id or area, the id winning.
func TestSeverityOverrides(t *testing.T) {
	got := findingsByRule(t, Options{Severity: []SeverityOverride{
		{RuleSelector: sel("liveness-probe-required"), Severity: SeverityDeny},
		{RuleSelector: sel("probes"), Severity: SeverityWarn},
		{RuleSelector: sel("cpu-limit"), Severity: SeverityDeny},
	}})
	assert.Equal(t, SeverityDeny, got["liveness-probe-required"].Severity)
	assert.Equal(t, SeverityWarn, got["readiness-probe-required"].Severity)
	assert.Equal(t, SeverityDeny, got["cpu-limit"].Severity, "over the severity the rule's parameter gives")
}

// TestUnknownRuleNames: a setting or exemption naming no rule id and no
// area is an error naming where it was written.
func TestUnknownRuleNames(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"toggle", Options{Toggles: []RuleToggle{toggle("cpu-limits", false, ".feastflow.yaml:4")}}, `.feastflow.yaml:4: "cpu-limits" is neither a rule id nor an area (areas: images, meta,`},
		{"flag", Options{Toggles: []RuleToggle{toggle("probe", false, "--disable probe")}}, `--disable probe: "probe" is neither a rule id nor an area`},
		{"severity", Options{Severity: []SeverityOverride{{RuleSelector: RuleSelector{Name: "nope", Source: "c.yaml:9"}, Severity: SeverityWarn}}}, `c.yaml:9: "nope" is neither a rule id nor an area`},
		{"exemption", Options{Exemptions: []CentralExemption{{Rules: []RuleSelector{{Name: "nope", Source: "c.yaml:12"}}, Kind: "Job", Reason: "r", Source: "c.yaml:12"}}}, `c.yaml:12: "nope" is neither a rule id nor an area`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.opts)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// TestCentralExemptions: the same reason and expiry rules as the
// annotations; exempted findings stay listed, marked exempted.
func TestCentralExemptions(t *testing.T) {
	now := func() time.Time { return time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC) }
	ex := func(mod func(*CentralExemption)) []CentralExemption {
		e := CentralExemption{Rules: []RuleSelector{sel("probes")}, Namespace: "shop", Kind: "Deployment", Name: "a*", Reason: "checked elsewhere", Source: "c.yaml:10"}
		mod(&e)
		return []CentralExemption{e}
	}
	tests := []struct {
		name       string
		exemptions []CentralExemption
		exempted   bool
		invalid    string
		wantErr    string
	}{
		{"matches", ex(func(*CentralExemption) {}), true, "", ""},
		{"until today still holds", ex(func(e *CentralExemption) { e.Until = "2027-01-15" }), true, "", ""},
		{"other namespace", ex(func(e *CentralExemption) { e.Namespace = "web" }), false, "", ""},
		{"other name", ex(func(e *CentralExemption) { e.Name = "b*" }), false, "", ""},
		{"expired", ex(func(e *CentralExemption) { e.Until = "2027-01-14" }), false,
			"the exemption from liveness-equals-readiness, liveness-probe-required, probe-port-unknown, readiness-probe-required in c.yaml:10 is ignored: it expired on 2027-01-14", ""},
		{"no reason", ex(func(e *CentralExemption) { e.Reason = " " }), false, "", "c.yaml:10: exemption has no reason"},
		{"bad date", ex(func(e *CentralExemption) { e.Until = "31.03.2027" }), false, "", `c.yaml:10: exemption until "31.03.2027" is not a date (YYYY-MM-DD)`},
		{"no object named", ex(func(e *CentralExemption) { e.Namespace, e.Kind, e.Name = "", "", "" }), false, "", "c.yaml:10: exemption names no namespace, kind or name"},
		{"exemption-invalid itself", ex(func(e *CentralExemption) { e.Rules = []RuleSelector{sel("exemption-invalid")} }), false, "", "c.yaml:1: exemption-invalid can never be exempted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(context.Background(), Options{Exemptions: tt.exemptions, Now: now})
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			fs, err := e.Evaluate(context.Background(), deploymentWithoutProbes())
			require.NoError(t, err)
			var liveness, cpu *Finding
			var invalid []string
			for i, f := range fs {
				switch f.RuleID {
				case "liveness-probe-required":
					liveness = &fs[i]
				case "cpu-limit":
					cpu = &fs[i]
				case ExemptionInvalidRule:
					invalid = append(invalid, f.Message)
				}
			}
			require.NotNil(t, liveness, "an exempted finding is still listed")
			require.NotNil(t, cpu)
			assert.Nil(t, cpu.Exemption, "only the named rules are exempted")
			if tt.exempted {
				require.NotNil(t, liveness.Exemption)
				assert.Equal(t, Exemption{Reason: "checked elsewhere", Until: tt.exemptions[0].Until, Source: "c.yaml:10"}, *liveness.Exemption)
			} else {
				assert.Nil(t, liveness.Exemption)
			}
			if tt.invalid != "" {
				assert.Equal(t, []string{tt.invalid}, invalid)
			} else {
				assert.Empty(t, invalid)
			}
		})
	}
}

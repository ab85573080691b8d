package output

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTextGolden(t *testing.T) {
	printGolden(t, &Text{}, "text")
	t.Run("color", func(t *testing.T) {
		assertGolden(t, "report.text-color.golden", render(t, &Text{Color: true}, fixtureReport()))
	})
}

func TestTextColorOnlyWhenAsked(t *testing.T) {
	tests := []struct {
		color bool
		want  bool
	}{{false, false}, {true, true}}
	for _, tc := range tests {
		out := string(render(t, &Text{Color: tc.color}, fixtureReport()))
		assert.Equal(t, tc.want, strings.Contains(out, "\x1b["), "color=%v", tc.color)
	}
}

func TestTextRulesHintOnlyWithProblems(t *testing.T) {
	exemptedOnly := fixtureReport()
	exemptedOnly.Errors = nil
	exemptedOnly.Findings = exemptedOnly.Findings[2:3]
	tests := []struct {
		name   string
		report *Report
		want   bool
	}{
		{"findings", fixtureReport(), true},
		{"clean", cleanReport(), false},
		{"exempted only", exemptedOnly, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := string(render(t, &Text{}, tc.report))
			assert.Equal(t, tc.want, strings.Contains(out, rulesHint))
		})
	}
}

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		name string
		in   Summary
		want string
	}{
		{"everything", Summary{Deny: 2, Warn: 1, Exempted: 1, Errors: 1, Files: 5, Objects: 12},
			"✖ 3 problems (2 denied, 1 warning), 1 exempted, 1 input error in 5 files, 12 objects"},
		{"one denied", Summary{Deny: 1, Files: 1, Objects: 1},
			"✖ 1 problem (1 denied, 0 warnings) in 1 file, 1 object"},
		{"input errors only", Summary{Errors: 2, Files: 2},
			"✖ 2 input errors in 2 files, 0 objects"},
		{"clean", Summary{Files: 5, Objects: 12}, "✔ 12 objects in 5 files passed"},
		{"clean but exempted", Summary{Exempted: 2, Files: 1, Objects: 1}, "✔ 1 object in 1 file passed, 2 exempted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, summaryLine(tc.in))
		})
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{`container "api" has no livenessProbe`, `container "api" has no livenessProbe`},
		{"two\nlines", `two\nlines`},
		{"bell\x07 and \x1b[31mred", `bell\x07 and \x1b[31mred`},
		{"tab\tand ünïcode", `tab\x09and ünïcode`},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Printable(tc.in))
	}
}

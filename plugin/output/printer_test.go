package output

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPrintersAreDeterministicAndPure prints the fixture in every format:
// input order must not matter and the report must not change.
func TestPrintersAreDeterministicAndPure(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			p, err := New(format, false)
			require.NoError(t, err)
			r := fixtureReport()
			first := render(t, p, r)
			assert.Equal(t, fixtureReport(), r, "printing must not modify the report")

			reversed := fixtureReport()
			slices.Reverse(reversed.Findings)
			slices.Reverse(reversed.Rules)
			assert.Equal(t, string(first), string(render(t, p, reversed)))
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		format string
		want   Printer
	}{
		{"", &Text{}},
		{"text", &Text{}},
		{"JSON", JSON{}},
		{"yaml", YAML{}},
		{"sarif", SARIF{}},
		{"junit", JUnit{}},
		{"github", GitHub{}},
		{"markdown", Markdown{}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			p, err := New(tc.format, false)
			require.NoError(t, err)
			assert.Equal(t, tc.want, p)
		})
	}
	_, err := New("html", false)
	assert.ErrorContains(t, err, `unknown output format "html"`)
}

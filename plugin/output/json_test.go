package output

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONGolden(t *testing.T) {
	printGolden(t, JSON{}, "json")
}

// TestJSONDocument reads the output back: sorted findings, the exemption
// kept, the location left out when unknown, and the summary.
func TestJSONDocument(t *testing.T) {
	r := fixtureReport()
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Errors   []InputError     `json:"errors"`
		Summary  Summary          `json:"summary"`
	}
	require.NoError(t, json.Unmarshal(render(t, JSON{}, r), &doc))

	require.Len(t, doc.Findings, len(r.Findings))
	assert.NotContains(t, doc.Findings[0], "location", "the finding without a location sorts first")
	var ids []string
	for _, f := range doc.Findings {
		ids = append(ids, f["ruleID"].(string))
		assert.NotContains(t, f, "Path")
	}
	assert.Equal(t, []string{"memory-request-required", "liveness-probe-required", "memory-request-required", "schema-strict", "liveness-probe-required"}, ids)
	assert.Equal(t, map[string]any{"reason": "the mesh sidecar is probed by the mesh", "until": "2030-01-31"}, doc.Findings[4]["exemption"])
	assert.Equal(t, r.Errors, doc.Errors)
	assert.Equal(t, r.Summary(), doc.Summary)
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(render(t, JSON{}, &Report{}), &doc))
	assert.Equal(t, []any{}, doc["findings"])
	assert.Equal(t, []any{}, doc["errors"])
}

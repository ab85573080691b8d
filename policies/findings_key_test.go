package policies

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFindingsKeyMovesOnEveryChange: every write that can change findings
// (configuration, inventory) gives a new generation, and nothing else does.
func TestFindingsKeyMovesOnEveryChange(t *testing.T) {
	ctx := context.Background()
	e := newTestEngine(t, Options{Mode: ModeAdmission})
	service := map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "api", "namespace": "shop"}}
	changes := []struct {
		name   string
		change func() error
	}{
		{"Reconfigure", func() error {
			return e.Reconfigure(ctx, Options{Params: map[string]any{"cpu_limit": "warn"}})
		}},
		{"PutInventoryObject", func() error { return e.PutInventoryObject(ctx, service) }},
		{"RefreshInventoryIndex after a change", func() error { return e.RefreshInventoryIndex(ctx) }},
		{"PutInventoryObject changing a label", func() error {
			changed := map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{
				"name": "api", "namespace": "shop", "labels": map[string]any{"app": "api"}}}
			return e.PutInventoryObject(ctx, changed)
		}},
		{"DeleteInventoryObject", func() error { return e.DeleteInventoryObject(ctx, e.ObjectRef(service)) }},
		{"SetInventory", func() error { return e.SetInventory(ctx, NewInventory()) }},
	}
	for _, c := range changes {
		before, ok := e.FindingsKey()
		require.True(t, ok, "the embedded catalog is deterministic")
		_, err := e.Evaluate(ctx, deploymentWithoutProbes())
		require.NoError(t, err)
		again, _ := e.FindingsKey()
		assert.Equal(t, before, again, "an evaluation changes nothing")
		require.NoError(t, c.change(), c.name)
		after, _ := e.FindingsKey()
		assert.Greater(t, after.Generation, before.Generation, c.name)
	}
}

// TestFindingsKeyKeptByNoOpInventoryUpdates: informers deliver updates of
// status, resourceVersion and managedFields all the time; what rules read
// of the object does not change, so neither do the findings' key nor the
// namespace's index.
func TestFindingsKeyKeptByNoOpInventoryUpdates(t *testing.T) {
	ctx := context.Background()
	e := newTestEngine(t, Options{Mode: ModeAdmission})
	deployment := func(resourceVersion string, ready int64) map[string]any {
		return map[string]any{
			"apiVersion": "apps/v1", "kind": "Deployment",
			"metadata": map[string]any{"name": "api", "namespace": "shop", "resourceVersion": resourceVersion,
				"labels": map[string]any{"app": "api"}},
			"spec":   map[string]any{"selector": map[string]any{"matchLabels": map[string]any{"app": "api"}}},
			"status": map[string]any{"readyReplicas": ready},
		}
	}
	require.NoError(t, e.PutInventoryObject(ctx, deployment("1", 0)))
	require.NoError(t, e.RefreshInventoryIndex(ctx))
	before, _ := e.FindingsKey()
	require.NoError(t, e.PutInventoryObject(ctx, deployment("2", 3)))
	require.NoError(t, e.RefreshInventoryIndex(ctx))
	after, _ := e.FindingsKey()
	assert.Equal(t, before, after, "a status update is no change")
}

// TestFindingsKeyDayFollowsTheEngineClock: central exemptions expire at the
// end of a UTC day of Options.Now, so the key names that day.
func TestFindingsKeyDayFollowsTheEngineClock(t *testing.T) {
	now := time.Date(2027, 1, 31, 23, 59, 0, 0, time.FixedZone("CET", 3600))
	e := newTestEngine(t, Options{Now: func() time.Time { return now }})
	key, ok := e.FindingsKey()
	require.True(t, ok)
	assert.Equal(t, "2027-01-31", key.Day, "the UTC date, not the zone's")
	assert.Equal(t, time.Now().UTC().Format(time.DateOnly), key.Clock)
}

// TestFindingsKeyRefusedForNondeterministicRules: a rule that calls a
// non-deterministic built-in (here rand.intn, or the clock outside the
// exemptions library) can give other findings for the same object, so no
// key is offered.
func TestFindingsKeyRefusedForNondeterministicRules(t *testing.T) {
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"deterministic", "violation contains {\"msg\": \"no team\"} if not input.object.metadata.labels.team\n", true},
		{"rand.intn", "violation contains {\"msg\": \"unlucky\"} if rand.intn(\"x\", 10) == 0\n", false},
		{"clock in a rule", "violation contains {\"msg\": \"late\"} if time.now_ns() > 0\n", false},
		{"clock in a function argument", "f(x) := x\n\nviolation contains {\"msg\": \"late\"} if f(time.now_ns()) > 0\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "rule.rego"), metaBlock("team-label", "#   severity: warn\n")+"package acme.team_label\n\n"+tt.body)
			e := newTestEngine(t, Options{PolicyDirs: []string{dir}})
			_, ok := e.FindingsKey()
			assert.Equal(t, tt.ok, ok)
		})
	}
}

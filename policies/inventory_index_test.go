package policies

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// indexFixtures are runs with cross-object findings: every rule fixture,
// and all of them linted together.
func indexFixtures(t *testing.T) [][]map[string]any {
	t.Helper()
	files, err := filepath.Glob(fixtureGlob)
	require.NoError(t, err)
	var runs [][]map[string]any
	var all []map[string]any
	for _, f := range files {
		objects := readObjects(t, f)
		runs = append(runs, objects)
		all = append(all, objects...)
	}
	return append(runs, all)
}

func bulkInventory(e *Engine, objects []map[string]any) *Inventory {
	inv := NewInventory()
	for _, obj := range objects {
		inv.Add(e.ObjectRef(obj), obj)
	}
	return inv
}

// TestStoredIndexMatchesIndexOnTheFly: the index the engine stores gives
// the same findings as the library computing it during each evaluation
// (the path the Rego unit tests take).
func TestStoredIndexMatchesIndexOnTheFly(t *testing.T) {
	ctx := context.Background()
	e := newTestEngine(t, Options{})
	for i, objects := range indexFixtures(t) {
		inv := bulkInventory(e, objects)
		require.NoError(t, e.SetInventory(ctx, inv))
		indexed := evaluateAll(t, e, objects)
		require.NoError(t, storage.Txn(ctx, e.store, storage.WriteParams, func(txn storage.Transaction) error {
			for _, ns := range sortedNamespaces(inv.namespaced) {
				if err := e.dropIndex(ctx, txn, ns); err != nil {
					return err
				}
			}
			return nil
		}))
		assert.Equal(t, indexed, evaluateAll(t, e, objects), "run %d", i)
	}
}

// TestLiveUpdatesKeepFindingsRight: after a bulk inventory, objects put and
// deleted one by one give the findings of a bulk inventory of the result,
// before and after RefreshInventoryIndex.
func TestLiveUpdatesKeepFindingsRight(t *testing.T) {
	ctx := context.Background()
	runs := indexFixtures(t)
	live := newTestEngine(t, Options{})
	bulk := newTestEngine(t, Options{})
	var all []map[string]any // one object per reference, so puts and deletes commute
	seen := map[ObjectRef]bool{}
	for _, obj := range runs[len(runs)-1] {
		if ref := live.ObjectRef(obj); !seen[ref] {
			seen[ref] = true
			all = append(all, obj)
		}
	}
	half := all[:len(all)/2]
	require.NoError(t, live.SetInventory(ctx, bulkInventory(live, half)))
	for _, obj := range all[len(all)/2:] {
		require.NoError(t, live.PutInventoryObject(ctx, obj))
	}
	for _, obj := range half[:len(half)/2] {
		require.NoError(t, live.DeleteInventoryObject(ctx, live.ObjectRef(obj)))
	}
	remaining := all[len(half)/2:]
	require.NoError(t, bulk.SetInventory(ctx, bulkInventory(bulk, remaining)))
	want := evaluateAll(t, bulk, all)
	assert.Equal(t, want, evaluateAll(t, live, all), "index dropped by the updates")

	require.NoError(t, live.RefreshInventoryIndex(ctx))
	txn := storage.NewTransactionOrDie(ctx, live.store)
	stale, err := live.unindexedNamespaces(ctx, txn)
	live.store.Abort(ctx, txn)
	require.NoError(t, err)
	assert.Empty(t, stale, "every namespace indexed again")
	assert.Equal(t, want, evaluateAll(t, live, all), "index rebuilt")
}

package policies

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestIncrementalInventoryMatchesBulkInventory builds the inventory object
// by object, as the webhook's informers do, and checks that every rule
// fixture gets exactly the findings it gets from a bulk SetInventory; then
// deletes every object and checks the findings of an empty inventory.
func TestIncrementalInventoryMatchesBulkInventory(t *testing.T) {
	files, err := filepath.Glob(fixtureGlob)
	require.NoError(t, err)
	require.NotEmpty(t, files)
	ctx := context.Background()
	bulk := newTestEngine(t, Options{})
	live := newTestEngine(t, Options{})
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			objects := readObjects(t, file)
			want := evaluateFile(t, bulk, file)
			for _, obj := range objects {
				require.NoError(t, live.PutInventoryObject(ctx, obj))
			}
			require.Equal(t, want, evaluateAll(t, live, objects))

			for _, obj := range objects {
				require.NoError(t, live.DeleteInventoryObject(ctx, live.ObjectRef(obj)))
			}
			require.NoError(t, bulk.SetInventory(ctx, NewInventory()))
			require.Equal(t, evaluateAll(t, bulk, objects), evaluateAll(t, live, objects))
		})
	}
}

func TestDeletingAnAbsentInventoryObjectIsNotAnError(t *testing.T) {
	e := newTestEngine(t, Options{})
	ref := ObjectRef{APIVersion: "v1", Kind: "Service", Namespace: "nowhere", Name: "gone"}
	require.NoError(t, e.DeleteInventoryObject(context.Background(), ref))
}

func TestPutInventoryObjectNeedsKindAndName(t *testing.T) {
	e := newTestEngine(t, Options{})
	err := e.PutInventoryObject(context.Background(), map[string]any{"apiVersion": "v1"})
	require.ErrorContains(t, err, "has no kind or name")
}

// evaluateAll evaluates objects against the engine's current inventory.
func evaluateAll(t testing.TB, e *Engine, objects []map[string]any) []Finding {
	t.Helper()
	var all []Finding
	for _, obj := range objects {
		fs, err := e.Evaluate(context.Background(), obj)
		require.NoError(t, err)
		all = append(all, fs...)
	}
	return all
}

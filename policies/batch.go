package policies

import (
	"context"
	"errors"
	"slices"

	"github.com/feastflow/kubectl-feastflow/internal/parallel"
)

// Batch is one run of the engine over a set of objects: lint's files,
// verify's live objects, the load tool's reviews.
type Batch struct {
	// Objects are evaluated; EvaluateAll returns their findings in this order.
	Objects []map[string]any
	// Inventory, when not nil, are the other objects cross-object rules see
	// (verify: the cluster's; the load tool: what the webhook's cache holds).
	// When nil, Objects are the inventory as well, as in lint where the
	// files of a run judge each other.
	Inventory []map[string]any
}

// EvaluateAll evaluates a batch as one run: it replaces data.inventory
// with the batch's inventory objects of the kinds the engine's rules read
// (InventoryKinds: nothing else is converted or stored), then evaluates
// every object on GOMAXPROCS workers, each as Evaluate does. The result
// has one slice of sorted findings per object, in the order of
// b.Objects; an error names each object that failed. EvaluateAll changes
// the engine's inventory, so it must not run concurrently with another
// EvaluateAll or SetInventory on the same engine.
func (e *Engine) EvaluateAll(ctx context.Context, b Batch) ([][]Finding, error) {
	inventory := b.Inventory
	if inventory == nil {
		inventory = b.Objects
	}
	if err := e.SetInventory(ctx, e.inventoryOf(inventory)); err != nil {
		return nil, err
	}
	out := make([][]Finding, len(b.Objects))
	errs := make([]error, len(b.Objects))
	parallel.For(len(b.Objects), func(i int) {
		out[i], errs[i] = e.Evaluate(ctx, b.Objects[i])
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// inventoryOf is the Inventory of the objects whose kind a rule of the
// engine's mode reads.
func (e *Engine) inventoryOf(objects []map[string]any) *Inventory {
	read := e.InventoryKinds()
	inv := NewInventory()
	for _, obj := range objects {
		if kind, _ := obj["kind"].(string); slices.Contains(read, kind) {
			inv.Add(e.ObjectRef(obj), obj)
		}
	}
	return inv
}

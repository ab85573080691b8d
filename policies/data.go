package policies

import (
	"context"
	"fmt"
	"maps"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
)

// Data returns the engine's whole data document as JSON values, what its
// rules read beside their input: the effective parameters
// (feastflow.params), the inventory (inventory, see Inventory) and its
// per-namespace index (feastflow.inventory_index). Another OPA evaluating
// the same catalog with this document as data (the load tool's `opa run`)
// sees exactly what the engine sees.
func (e *Engine) Data(ctx context.Context) (map[string]any, error) {
	var out map[string]any
	err := storage.Txn(ctx, e.store, storage.TransactionParams{}, func(txn storage.Transaction) error {
		doc, err := e.store.Read(ctx, txn, storage.RootPath)
		if err != nil {
			return err
		}
		v, ok := doc.(ast.Value)
		if !ok {
			return fmt.Errorf("store returned %T", doc)
		}
		j, err := ast.JSON(v)
		if err != nil {
			return err
		}
		out, _ = j.(map[string]any)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read data: %w", err)
	}
	return out, nil
}

// Modules returns the Rego source of every module the engine compiled
// (the embedded library and rules, and those of Options.PolicyDirs), by
// the file name it reports them under, e.g. policies/lib/k8s.rego.
func (e *Engine) Modules() map[string]string {
	return maps.Clone(e.sources)
}

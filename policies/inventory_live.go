package policies

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
)

// PutInventoryObject adds or replaces one object of data.inventory, for
// front ends whose inventory changes while they serve (the webhook's
// informer cache). The object is projected as Inventory.Add does, so
// Secret values never reach the store. Safe for concurrent use with Evaluate.
// The namespace's inventory index is dropped (evaluations there index on
// the fly) until RefreshInventoryIndex rebuilds it. An object whose
// projection is already stored (an update of its status, resourceVersion
// or managedFields only) changes nothing: the index stays and
// FindingsKey keeps its generation.
func (e *Engine) PutInventoryObject(ctx context.Context, obj map[string]any) error {
	ref := e.ObjectRef(obj)
	if ref.Kind == "" || ref.Name == "" {
		return fmt.Errorf("put inventory object: %s has no kind or name", ref)
	}
	path := inventoryPath(ref)
	value := project(ref.Kind, obj)
	changed := true
	err := storage.Txn(ctx, e.store, storage.WriteParams, func(txn storage.Transaction) error {
		if e.stored(ctx, txn, path, value) {
			changed = false
			return nil
		}
		if err := writeCreatingParents(ctx, e.store, txn, path, value); err != nil {
			return err
		}
		return e.dropIndex(ctx, txn, ref.Namespace)
	})
	if changed {
		e.changed()
	}
	return err
}

// stored reports whether value is what the store holds at path.
func (e *Engine) stored(ctx context.Context, txn storage.Transaction, path storage.Path, value map[string]any) bool {
	old, err := e.store.Read(ctx, txn, path)
	if err != nil {
		return false
	}
	oldValue, ok := old.(ast.Value)
	if !ok {
		return false
	}
	newValue, err := ast.InterfaceToValue(value)
	return err == nil && ast.Compare(oldValue, newValue) == 0
}

// DeleteInventoryObject removes the object ref names from data.inventory;
// removing an object that is not there is not an error. Like
// PutInventoryObject, it drops the namespace's inventory index.
func (e *Engine) DeleteInventoryObject(ctx context.Context, ref ObjectRef) error {
	path := inventoryPath(ref)
	defer e.changed()
	return storage.Txn(ctx, e.store, storage.WriteParams, func(txn storage.Transaction) error {
		err := e.store.Write(ctx, txn, storage.RemoveOp, path, nil)
		if storage.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("delete inventory object %s: %w", ref, err)
		}
		return e.dropIndex(ctx, txn, ref.Namespace)
	})
}

// inventoryPath is where ref lives under data.inventory.
func inventoryPath(ref ObjectRef) storage.Path {
	if ref.Namespace == "" {
		return storage.Path{"inventory", "cluster", ref.APIVersion, ref.Kind, ref.Name}
	}
	return storage.Path{"inventory", "namespace", ref.Namespace, ref.APIVersion, ref.Kind, ref.Name}
}

// writeCreatingParents writes value at path, first creating the missing
// intermediate objects (OPA's store only adds below an existing parent).
func writeCreatingParents(ctx context.Context, store storage.Store, txn storage.Transaction, path storage.Path, value any) error {
	existing := len(path) - 1
	for ; existing > 0; existing-- {
		_, err := store.Read(ctx, txn, path[:existing])
		if err == nil {
			break
		}
		if !storage.IsNotFound(err) {
			return fmt.Errorf("read inventory %v: %w", path[:existing], err)
		}
	}
	nested := value
	for i := len(path) - 1; i > existing; i-- {
		nested = map[string]any{path[i]: nested}
	}
	if err := store.Write(ctx, txn, storage.AddOp, path[:existing+1], nested); err != nil {
		return fmt.Errorf("write inventory %v: %w", path, err)
	}
	return nil
}

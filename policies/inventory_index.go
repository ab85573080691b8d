package policies

import (
	"context"
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
)

// The inventory index (lib/inventory_index.rego) groups what cross-object
// rules look up in a namespace, so an evaluation reads a few entries
// instead of scanning the namespace. The engine stores one per namespace
// of the inventory, computed by the library itself:
//
//	data.feastflow.inventory_index.namespace[<namespace>]
//
// A namespace without an entry is indexed on the fly at every evaluation
// (correct, only slower), so an entry must be rewritten or removed in the
// same transaction as every write under /inventory/namespace/<namespace>.
var (
	indexPath      = storage.MustParsePath("/feastflow/inventory_index")
	indexNamespace = storage.MustParsePath("/feastflow/inventory_index/namespace")
)

// indexQuery builds the index of input.namespace from data.inventory.
const indexQuery = `index := data.feastflow.lib.inventory_index.built`

func prepareIndexQuery(ctx context.Context, compiler *ast.Compiler, store storage.Store) (rego.PreparedEvalQuery, error) {
	q, err := rego.New(rego.Compiler(compiler), rego.Store(store), rego.Query(indexQuery)).PrepareForEval(ctx)
	if err != nil {
		return q, fmt.Errorf("prepare inventory index query: %w", err)
	}
	return q, nil
}

// reindex rewrites the index entries of namespaces from data.inventory as
// txn (a write transaction) sees it.
func (e *Engine) reindex(ctx context.Context, txn storage.Transaction, namespaces []string) error {
	for _, ns := range namespaces {
		index, err := evalIndex(ctx, e.indexQuery, ns, rego.EvalTransaction(txn))
		if err != nil {
			return err
		}
		path := append(append(storage.Path{}, indexNamespace...), ns)
		if err := e.store.Write(ctx, txn, storage.AddOp, path, index); err != nil {
			return fmt.Errorf("write index of namespace %s: %w", ns, err)
		}
	}
	return nil
}

// dropIndex removes the index entry of namespace ns (none for cluster
// objects, which no index covers), in txn.
func (e *Engine) dropIndex(ctx context.Context, txn storage.Transaction, ns string) error {
	if ns == "" {
		return nil
	}
	path := append(append(storage.Path{}, indexNamespace...), ns)
	if err := e.store.Write(ctx, txn, storage.RemoveOp, path, nil); err != nil && !storage.IsNotFound(err) {
		return fmt.Errorf("drop index of namespace %s: %w", ns, err)
	}
	return nil
}

// RefreshInventoryIndex rebuilds the inventory index of every namespace of
// data.inventory that has none, as after PutInventoryObject and
// DeleteInventoryObject; front ends that update the inventory object by
// object call it once their updates settle (e.g. after an informer sync).
func (e *Engine) RefreshInventoryIndex(ctx context.Context) error {
	reindexed := false
	defer func() {
		if reindexed {
			e.changed()
		}
	}()
	return storage.Txn(ctx, e.store, storage.WriteParams, func(txn storage.Transaction) error {
		stale, err := e.unindexedNamespaces(ctx, txn)
		if err != nil {
			return err
		}
		if err := e.ensureIndexRoot(ctx, txn); err != nil {
			return err
		}
		reindexed = len(stale) > 0
		return e.reindex(ctx, txn, stale)
	})
}

// unindexedNamespaces lists the namespaces of data.inventory without an index entry.
func (e *Engine) unindexedNamespaces(ctx context.Context, txn storage.Transaction) ([]string, error) {
	namespaces, err := e.store.Read(ctx, txn, storage.MustParsePath("/inventory/namespace"))
	if err != nil {
		return nil, fmt.Errorf("read inventory: %w", err)
	}
	indexed, err := e.store.Read(ctx, txn, indexNamespace)
	if err != nil && !storage.IsNotFound(err) {
		return nil, fmt.Errorf("read inventory index: %w", err)
	}
	var out []string
	nsObj, _ := namespaces.(ast.Object)
	idxObj, _ := indexed.(ast.Object)
	if nsObj == nil {
		return nil, nil
	}
	for _, key := range nsObj.Keys() {
		ns, ok := key.Value.(ast.String)
		if ok && (idxObj == nil || idxObj.Get(key) == nil) {
			out = append(out, string(ns))
		}
	}
	sort.Strings(out)
	return out, nil
}

// ensureIndexRoot creates /feastflow/inventory_index/namespace if it is missing.
func (e *Engine) ensureIndexRoot(ctx context.Context, txn storage.Transaction) error {
	if _, err := e.store.Read(ctx, txn, indexNamespace); err == nil {
		return nil
	}
	empty := map[string]any{"namespace": map[string]any{}}
	if err := e.store.Write(ctx, txn, storage.AddOp, indexPath, empty); err != nil {
		return fmt.Errorf("write inventory index: %w", err)
	}
	return nil
}

func sortedNamespaces(namespaced map[string]any) []string {
	out := make([]string, 0, len(namespaced))
	for ns := range namespaced {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

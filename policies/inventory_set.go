package policies

import (
	"context"
	"errors"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/feastflow/kubectl-feastflow/internal/parallel"
)

// SetInventory replaces data.inventory with inv for later evaluations, with
// the index of each of its namespaces, in one transaction. The inventory
// is converted and the namespaces indexed in parallel beforehand, from a
// scratch store holding only the new inventory.
func (e *Engine) SetInventory(ctx context.Context, inv *Inventory) error {
	doc, err := inventoryValue(inv)
	if err != nil {
		return err
	}
	index, err := e.buildIndex(ctx, doc, sortedNamespaces(inv.namespaced))
	if err != nil {
		return err
	}
	defer e.changed()
	return storage.Txn(ctx, e.store, storage.WriteParams, func(txn storage.Transaction) error {
		if err := e.store.Write(ctx, txn, storage.ReplaceOp, storage.MustParsePath("/inventory"), doc); err != nil {
			return fmt.Errorf("write inventory: %w", err)
		}
		if err := e.store.Write(ctx, txn, storage.AddOp, indexPath, map[string]any{"namespace": index}); err != nil {
			return fmt.Errorf("write inventory index: %w", err)
		}
		return nil
	})
}

// inventoryValue converts inv to the store's form, a namespace per worker.
func inventoryValue(inv *Inventory) (ast.Value, error) {
	names := sortedNamespaces(inv.namespaced)
	values := make([]ast.Value, len(names))
	errs := make([]error, len(names))
	parallel.For(len(names), func(i int) {
		values[i], errs[i] = ast.InterfaceToValue(inv.namespaced[names[i]])
	})
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("convert inventory: %w", err)
	}
	namespaced := ast.NewObject()
	for i, ns := range names {
		namespaced.Insert(ast.StringTerm(ns), ast.NewTerm(values[i]))
	}
	cluster, err := ast.InterfaceToValue(inv.cluster)
	if err != nil {
		return nil, fmt.Errorf("convert inventory: %w", err)
	}
	return ast.NewObject(
		ast.Item(ast.StringTerm("namespace"), ast.NewTerm(namespaced)),
		ast.Item(ast.StringTerm("cluster"), ast.NewTerm(cluster)),
	), nil
}

// buildIndex evaluates the index of each namespace of the inventory doc,
// in parallel, against a scratch store holding doc alone.
func (e *Engine) buildIndex(ctx context.Context, doc ast.Value, namespaces []string) (map[string]any, error) {
	scratch := inmem.NewFromObjectWithOpts(map[string]any{"inventory": doc},
		inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))
	query, err := prepareIndexQuery(ctx, e.compiler, scratch)
	if err != nil {
		return nil, err
	}
	indexes := make([]any, len(namespaces))
	errs := make([]error, len(namespaces))
	parallel.For(len(namespaces), func(i int) {
		indexes[i], errs[i] = evalIndex(ctx, query, namespaces[i])
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(namespaces))
	for i, ns := range namespaces {
		out[ns] = indexes[i]
	}
	return out, nil
}

// evalIndex runs the index query for namespace ns.
func evalIndex(ctx context.Context, query rego.PreparedEvalQuery, ns string, opts ...rego.EvalOption) (any, error) {
	input := ast.NewObject(ast.Item(ast.InternedTerm("namespace"), ast.InternedTerm(ns)))
	rs, err := query.Eval(ctx, append(opts, rego.EvalParsedInput(input))...)
	if err != nil {
		return nil, fmt.Errorf("index namespace %s: %w", ns, err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("index namespace %s: %d results", ns, len(rs))
	}
	return rs[0].Bindings["index"], nil
}

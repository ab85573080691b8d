package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// Inventory keeps the engine's data.inventory in step with the cluster:
// informer events write single objects, so no event rebuilds the whole
// inventory.
type Inventory struct {
	engine  *policies.Engine
	metrics *Metrics
	log     logr.Logger
	synced  []toolscache.InformerSynced
	dirty   chan struct{}
}

// indexRefreshDelay coalesces a burst of informer events (the initial
// list, a kubectl apply of many objects) into one rebuild of the
// per-namespace inventory index. Until it is rebuilt, rules compute the
// index of a changed namespace on the fly: findings are the same, only slower.
const indexRefreshDelay = 100 * time.Millisecond

// WatchInventory registers event handlers on informers (a controller-runtime
// cache) for every kind the engine's rules read from the inventory
// (Engine.InventoryKinds: custom.inventory of the admission rules). The
// informers start with the cache.
func WatchInventory(ctx context.Context, informers cache.Informers, engine *policies.Engine, metrics *Metrics, log logr.Logger) (*Inventory, error) {
	gvks, err := engine.InventoryGVKs()
	if err != nil {
		return nil, fmt.Errorf("watch inventory: %w", err)
	}
	inv := &Inventory{engine: engine, metrics: metrics, log: log, dirty: make(chan struct{}, 1)}
	go inv.refreshIndex(ctx)
	for _, gvk := range gvks {
		u := &unstructured.Unstructured{}
		u.SetGroupVersionKind(gvk)
		informer, err := informers.GetInformer(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", gvk.Kind, err)
		}
		reg, err := informer.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
			AddFunc:    func(obj any) { inv.put(ctx, obj) },
			UpdateFunc: func(_, obj any) { inv.put(ctx, obj) },
			DeleteFunc: func(obj any) { inv.remove(ctx, obj) },
		})
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", gvk.Kind, err)
		}
		inv.synced = append(inv.synced, reg.HasSynced)
	}
	return inv, nil
}

// HasSynced reports whether every informer has delivered its initial list
// to the engine.
func (inv *Inventory) HasSynced() bool {
	for _, synced := range inv.synced {
		if !synced() {
			return false
		}
	}
	return true
}

// ReadyCheck is a healthz checker that fails until HasSynced.
func (inv *Inventory) ReadyCheck(_ *http.Request) error {
	if !inv.HasSynced() {
		return errors.New("policy inventory has not synced")
	}
	return nil
}

// refreshIndex rebuilds the index of changed namespaces after each burst
// of events, until ctx ends.
func (inv *Inventory) refreshIndex(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-inv.dirty:
		}
		timer := time.NewTimer(indexRefreshDelay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		if err := inv.engine.RefreshInventoryIndex(ctx); err != nil && ctx.Err() == nil {
			inv.fail(err)
		}
	}
}

func (inv *Inventory) markDirty() {
	select {
	case inv.dirty <- struct{}{}:
	default: // a refresh is already pending
	}
}

func (inv *Inventory) put(ctx context.Context, obj any) {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		inv.fail(fmt.Errorf("unexpected %T in informer", obj))
		return
	}
	if err := inv.engine.PutInventoryObject(ctx, u.Object); err != nil {
		inv.fail(err)
	}
	inv.markDirty()
}

func (inv *Inventory) remove(ctx context.Context, obj any) {
	if tomb, ok := obj.(toolscache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		inv.fail(fmt.Errorf("unexpected %T in informer", obj))
		return
	}
	if err := inv.engine.DeleteInventoryObject(ctx, inv.engine.ObjectRef(u.Object)); err != nil {
		inv.fail(err)
	}
	inv.markDirty()
}

func (inv *Inventory) fail(err error) {
	inv.metrics.observeInventoryError()
	inv.log.Error(err, "update policy inventory")
}

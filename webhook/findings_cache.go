package webhook

import (
	"crypto/sha256"
	"fmt"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// DefaultFindingsCacheSize is the number of objects whose findings the
// server keeps by default: GitOps controllers re-apply the same few
// hundred objects over and over. An entry holds 0.6 KB (a compliant
// Deployment) to 1.7 KB (one with two deny findings) of live heap, which
// the server's GOGC=400 lets grow fivefold before a collection.
const DefaultFindingsCacheSize = 1024

// FindingsCache keeps the findings of recently evaluated objects, so that
// an identical object (GitOps controllers re-apply unchanged objects every
// sync) is not evaluated again. An entry is keyed by the SHA-256 of the
// object's bytes as the API server sent them, the request's namespace
// (which namespace-less objects get) and the engine's
// policies.FindingsKey: every Reconfigure and inventory change starts a new
// generation, and the first lookup in it empties the cache. Only the
// engine's findings are kept: exemption authorization, controller
// requests, dry runs and the mode are decided per request, as without the
// cache. Least recently used entries are evicted beyond its size. Safe
// for concurrent use.
type FindingsCache struct {
	entries    *lru.Cache[findingsCacheKey, []policies.Finding]
	generation atomic.Uint64
}

// findingsCacheKey: a cryptographic hash, so that nobody can craft an
// object that collides with a compliant one.
type findingsCacheKey struct {
	object    [sha256.Size]byte
	namespace string
	engine    policies.FindingsKey
}

// NewFindingsCache returns a cache of at most size objects; size must be positive.
func NewFindingsCache(size int) (*FindingsCache, error) {
	entries, err := lru.New[findingsCacheKey, []policies.Finding](size)
	if err != nil {
		return nil, fmt.Errorf("findings cache of %d entries: %w", size, err)
	}
	return &FindingsCache{entries: entries}, nil
}

// Len is the number of objects cached.
func (c *FindingsCache) Len() int { return c.entries.Len() }

// key names the object raw of a request in namespace under the engine's key.
func (c *FindingsCache) key(raw []byte, namespace string, engine policies.FindingsKey) findingsCacheKey {
	return findingsCacheKey{object: sha256.Sum256(raw), namespace: namespace, engine: engine}
}

// get returns the findings cached under k. The slice is shared: callers
// must not modify it.
func (c *FindingsCache) get(k findingsCacheKey) ([]policies.Finding, bool) {
	c.invalidateBefore(k.engine.Generation)
	return c.entries.Get(k)
}

func (c *FindingsCache) add(k findingsCacheKey, findings []policies.Finding) {
	if k.engine.Generation < c.generation.Load() {
		return // evaluated before a change; nobody will ask for it again
	}
	c.entries.Add(k, findings)
}

// invalidateBefore empties the cache the first time a newer generation is seen.
func (c *FindingsCache) invalidateBefore(generation uint64) {
	for {
		seen := c.generation.Load()
		if generation <= seen {
			return
		}
		if c.generation.CompareAndSwap(seen, generation) {
			c.entries.Purge()
			return
		}
	}
}

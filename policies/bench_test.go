package policies

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkEvaluateDeployment evaluates the whole catalog (one query) on
// one compliant Deployment with its Service and NetworkPolicies in the
// inventory: the per-object cost of lint, verify and the webhook.
//
//	go test -run '^$' -bench EvaluateDeployment -benchmem -cpu 1 -count 6 ./policies/
func BenchmarkEvaluateDeployment(b *testing.B) {
	e := newTestEngine(b, Options{})
	objects := readObjects(b, filepath.Join("..", "testdata", "bench", "deployment.yaml"))
	inv := NewInventory()
	for _, obj := range objects {
		inv.Add(e.ObjectRef(obj), obj)
	}
	if err := e.SetInventory(context.Background(), inv); err != nil {
		b.Fatal(err)
	}
	deployment := objects[0]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		fs, err := e.Evaluate(ctx, deployment)
		if err != nil {
			b.Fatal(err)
		}
		if len(fs) != 0 {
			b.Fatalf("benchmark object should be compliant, got %v", fs)
		}
	}
}

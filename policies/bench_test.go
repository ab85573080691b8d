package policies

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/feastflow/kubectl-feastflow/internal/cputime"
)

// BenchmarkEvaluateDeployment evaluates the whole catalog (one query) on
// one compliant Deployment with its Service and NetworkPolicies in the
// inventory: the per-object cost of lint, verify and the webhook. Besides
// wall time it reports cpu-µs/op, the process's CPU time (user+sys, GC
// included) per evaluation, steadier than wall time on a shared machine.
//
//	go test -run '^$' -bench EvaluateDeployment -benchmem -cpu 1 -count 6 ./policies/
func BenchmarkEvaluateDeployment(b *testing.B) {
	e := newTestEngine(b, Options{})
	objects := readObjects(b, filepath.Join("..", "testdata", "bench", "deployment.yaml"))
	if _, err := e.EvaluateAll(context.Background(), Batch{Inventory: objects}); err != nil {
		b.Fatal(err)
	}
	deployment := objects[0]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process(b)
	n := 0
	for b.Loop() {
		fs, err := e.Evaluate(ctx, deployment)
		if err != nil {
			b.Fatal(err)
		}
		if len(fs) != 0 {
			b.Fatalf("benchmark object should be compliant, got %v", fs)
		}
		n++
	}
	b.ReportMetric(float64((cputime.Process(b)-cpu0).Microseconds())/float64(n), "cpu-µs/op")
}

// BenchmarkNew builds an engine from the embedded catalog: parsing and
// compiling every module and preparing the first query, what every lint,
// apply and verify run pays before its first object:
//
//	go test -run '^$' -bench 'New$' -benchmem -cpu 1 -count 6 ./policies/
func BenchmarkNew(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(ctx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

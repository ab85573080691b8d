package linter

import (
	"context"
	"testing"

	"k8s.io/cli-runtime/pkg/resource"

	"github.com/feastflow/kubectl-feastflow/internal/corpus"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// corpusFiles is the size of the generated corpus: 1,000 files, about
// 6,000 objects (Deployment, Service, ConfigMap, HPA, PDB, NetworkPolicy).
const corpusFiles = 1000

// BenchmarkLintCorpus loads and lints the generated corpus the way
// `lint -R -f DIR` does (reading, parsing, inventory, evaluation in
// parallel, locating findings), with the policies compiled once outside
// the loop as in one process. Use -cpu 2 for the two-core figure:
//
//	go test -run '^$' -bench LintCorpus -benchmem -cpu 2 -count 6 ./plugin/linter/
func BenchmarkLintCorpus(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpusFiles); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		b.Fatal(err)
	}
	opts := resource.FilenameOptions{Filenames: []string{dir}, Recursive: true}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		report, err := Lint(ctx, engine, source.Load(ctx, opts, nil))
		if err != nil {
			b.Fatal(err)
		}
		if report.Objects < corpusFiles*corpus.ObjectsPerFile || len(report.Findings) != 0 || len(report.Errors) != 0 {
			b.Fatalf("corpus should lint clean: %d objects, %d findings, %d errors",
				report.Objects, len(report.Findings), len(report.Errors))
		}
	}
	b.ReportMetric(float64(corpusFiles), "files/op")
}

package linter

import (
	"context"
	"math"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/resource"

	"github.com/feastflow/kubectl-feastflow/internal/corpus"
	"github.com/feastflow/kubectl-feastflow/internal/cputime"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// Lint's cost must grow linearly with its input: a cost per object that
// grows with the size of its namespace (an index rebuilt for every object,
// a scan of the whole inventory per object) is what made 9c1e5bb 8x
// slower on the 1,000-file corpus. Times vary with the machine's load, so
// the guard compares two sizes of the generated corpus in the same process
// (the best of two alternating runs each, in CPU time): linear growth gives a ratio of
// scaleFactor, quadratic growth scaleFactor².
const (
	scaleFiles  = 100
	scaleFactor = 4
	// maxScaleRatio sits between linear growth (4; 3.9 on a quiet machine,
	// up to 5.6 beside a CI run) and quadratic growth (16; 9c1e5bb measured
	// 13.9).
	maxScaleRatio = 8.0
)

// allocsPerObjectBudget bounds the heap allocations lint makes per object
// of the generated corpus (reading, parsing, inventory, evaluation,
// locating): about 1,000 at the time of writing, 1,300 with -race (run the
// test with -v). Allocation counts barely move with the machine's load;
// the budget leaves room for a rule or two, not for a change of cost.
const allocsPerObjectBudget = 1_500

// TestLintCostGrowsLinearly lints the generated corpus at two sizes and
// fails when the larger costs more than maxScaleRatio times the smaller in
// CPU time, or when lint allocates more per object than
// allocsPerObjectBudget.
func TestLintCostGrowsLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("lints the generated corpus four times")
	}
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	smallDir, largeDir := corpusDir(t, scaleFiles), corpusDir(t, scaleFiles*scaleFactor)
	small, large := cost{cpu: math.MaxInt64}, cost{cpu: math.MaxInt64}
	for range 2 { // alternating, so a busy moment slows both sizes alike
		small = small.best(lintCost(ctx, t, engine, smallDir, scaleFiles))
		large = large.best(lintCost(ctx, t, engine, largeDir, scaleFiles*scaleFactor))
	}
	ratio := float64(large.cpu) / float64(small.cpu)
	t.Logf("%d files: %v CPU; %d files: %v CPU (ratio %.1f, at most %.1f); %.0f allocations per object (budget %d)",
		scaleFiles, small.cpu, scaleFiles*scaleFactor, large.cpu, ratio, maxScaleRatio, large.allocsPerObject, allocsPerObjectBudget)
	if ratio > maxScaleRatio {
		t.Errorf("lint of %dx the files costs %.1fx the CPU time (linear is %d): a cost per object grows with the input; "+
			"compare go test -run '^$' -bench LintCorpus -cpuprofile cpu.out ./plugin/linter/ with the last good commit",
			scaleFactor, ratio, scaleFactor)
	}
	if large.allocsPerObject > allocsPerObjectBudget {
		t.Errorf("lint allocates %.0f times per object of the corpus, over the budget of %d: "+
			"profile with go test -run '^$' -bench LintCorpus -memprofile mem.out ./plugin/linter/",
			large.allocsPerObject, allocsPerObjectBudget)
	}
}

type cost struct {
	cpu             time.Duration
	allocsPerObject float64
}

// best keeps the lower CPU time of two runs of the same input.
func (c cost) best(other cost) cost {
	if other.cpu < c.cpu {
		return other
	}
	return c
}

// corpusDir writes a generated corpus of files.
func corpusDir(t *testing.T, files int) string {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// lintCost lints the corpus in dir (of files files) once and returns its
// CPU time and allocations per object.
func lintCost(ctx context.Context, t *testing.T, engine *policies.Engine, dir string, files int) cost {
	t.Helper()
	opts := resource.FilenameOptions{Filenames: []string{dir}, Recursive: true}
	var objects int
	cpu0 := cputime.Process(t)
	allocs := testing.AllocsPerRun(1, func() {
		report, err := Lint(ctx, engine, source.Load(ctx, opts, nil))
		if err != nil {
			t.Fatal(err)
		}
		if len(report.Findings) != 0 || len(report.Errors) != 0 {
			t.Fatalf("corpus should lint clean: %d findings, %d errors", len(report.Findings), len(report.Errors))
		}
		objects = report.Objects
	})
	if objects < files*corpus.ObjectsPerFile {
		t.Fatalf("linted %d objects, want at least %d", objects, files*corpus.ObjectsPerFile)
	}
	return cost{cpu: cputime.Process(t) - cpu0, allocsPerObject: allocs / float64(objects)}
}

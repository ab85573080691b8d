package policies

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateCorpus = flag.Bool("update", false, "rewrite testdata/corpus/findings.golden")

// corpusDir holds several applications written the way public repositories
// write them, with every pattern the rules must judge as Kubernetes does.
const corpusDir = "../testdata/corpus"

// TestCorpusGolden evaluates the whole catalog over the corpus as one run
// (every object in the inventory, as lint does) and requires exactly the
// findings of findings.golden (with lint's API server check): one line per finding, rule, severity,
// object, field and message. Every line there was read and is a true
// finding, so a false positive (or a lost true one) fails this test.
func TestCorpusGolden(t *testing.T) {
	e := newTestEngine(t, Options{Validate: apiServerCheck()})
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	sort.Strings(files)
	var objects []map[string]any
	for _, f := range files {
		objects = append(objects, readObjects(t, f)...)
	}
	var lines []string
	for _, f := range evaluateBatch(t, e, objects) {
		lines = append(lines, fmt.Sprintf("%s %s %s %s: %s", f.Severity, f.RuleID, f.Object, FieldPath(f.Path), f.Message))
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"

	golden := filepath.Join(corpusDir, "findings.golden")
	if *updateCorpus {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got, "run with -update after a deliberate change and read every line")
	for _, leak := range []string{"legacy-root-pw", "payments-dev-pw"} {
		assert.NotContains(t, got, leak, "a finding printed a secret value")
	}
}

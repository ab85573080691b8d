package policies

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// fixtureDir holds testdata/rules/<rule-id>/{pass,fail}.yaml for every rule.
const fixtureDir = "../testdata/rules"

// TestEveryRuleIsComplete is the catalog's meta-test: each rule has its
// metadata (checked when the engine compiles), a _test.rego beside it and
// pass/fail fixtures.
func TestEveryRuleIsComplete(t *testing.T) {
	e := newTestEngine(t, Options{})
	require.NotEmpty(t, e.Rules())
	for _, r := range e.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			src := strings.TrimPrefix(r.File, builtinPrefix)
			assert.FileExists(t, strings.TrimSuffix(src, ".rego")+"_test.rego", "rule needs a Rego unit test")
			assert.FileExists(t, filepath.Join(fixtureDir, r.ID, "pass.yaml"))
			assert.FileExists(t, filepath.Join(fixtureDir, r.ID, "fail.yaml"))
		})
	}
}

// TestRuleFixtures evaluates each rule's fixtures as one run (so cross-object
// rules see the fixture's other objects): fail.yaml must produce at least
// one finding of the rule, pass.yaml none.
func TestRuleFixtures(t *testing.T) {
	e := newTestEngine(t, Options{})
	for _, r := range e.Rules() {
		for _, fixture := range []string{"pass", "fail"} {
			t.Run(r.ID+"/"+fixture, func(t *testing.T) {
				findings := evaluateFile(t, e, filepath.Join(fixtureDir, r.ID, fixture+".yaml"))
				got := 0
				for _, f := range findings {
					if f.RuleID == r.ID {
						got++
						assert.NotEmpty(t, f.Message)
					}
				}
				if fixture == "fail" {
					assert.Positive(t, got, "fail.yaml should produce %s findings", r.ID)
				} else {
					assert.Zero(t, got, "pass.yaml should produce no %s findings: %v", r.ID, findings)
				}
			})
		}
	}
}

func newTestEngine(t testing.TB, opts Options) *Engine {
	t.Helper()
	e, err := New(context.Background(), opts)
	require.NoError(t, err)
	return e
}

// evaluateFile evaluates every document of a multi-document YAML file with
// the file's objects as the inventory.
func evaluateFile(t testing.TB, e *Engine, path string) []Finding {
	t.Helper()
	objects := readObjects(t, path)
	inv := NewInventory()
	for _, obj := range objects {
		inv.Add(e.ObjectRef(obj), obj)
	}
	require.NoError(t, e.SetInventory(context.Background(), inv))
	return evaluateAll(t, e, objects)
}

func readObjects(t testing.TB, path string) []map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var out []map[string]any
	for {
		var obj map[string]any
		err := dec.Decode(&obj)
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err, path)
		if obj != nil {
			out = append(out, obj)
		}
	}
}

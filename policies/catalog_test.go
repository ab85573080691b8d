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

// fixtureGlob matches every rule's fixtures, rules/<area>/<rule-id>/{pass,fail}.yaml.
const fixtureGlob = "rules/*/*/*.yaml"

// fixture is the path of a built-in rule's fixture (pass or fail) beside its Rego.
func fixture(r Rule, name string) string { return FixturePath(r, name) }

// TestEveryRuleIsComplete is the catalog's meta-test: each rule has its
// metadata (checked when the engine compiles) and its own folder,
// rules/<area>/<rule-id>/, holding a _test.rego and pass/fail fixtures.
func TestEveryRuleIsComplete(t *testing.T) {
	e := newTestEngine(t, Options{})
	require.NotEmpty(t, e.Rules())
	for _, r := range e.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			src := strings.TrimPrefix(r.File, builtinPrefix)
			assert.Equal(t, filepath.Join("rules", r.Area, r.ID), filepath.Dir(src), "folder = rules/<area>/<rule-id>")
			assert.FileExists(t, strings.TrimSuffix(src, ".rego")+"_test.rego", "rule needs a Rego unit test")
			assert.FileExists(t, fixture(r, "pass"))
			assert.FileExists(t, fixture(r, "fail"))
		})
	}
}

// TestRuleFixtures evaluates each rule's fixtures as one run (so cross-object
// rules see the fixture's other objects): fail.yaml must produce at least
// one finding of the rule, pass.yaml none.
func TestRuleFixtures(t *testing.T) {
	e := newTestEngine(t, Options{Validate: apiServerCheck()})
	for _, r := range e.Rules() {
		for _, name := range []string{"pass", "fail"} {
			t.Run(r.ID+"/"+name, func(t *testing.T) {
				_, err := CheckFixture(r, name, evaluateFile(t, e, fixture(r, name)))
				assert.NoError(t, err)
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

// evaluateFile evaluates every document of a multi-document YAML file as
// one batch, the file's objects forming the inventory, as lint does.
func evaluateFile(t testing.TB, e *Engine, path string) []Finding {
	t.Helper()
	return evaluateBatch(t, e, readObjects(t, path))
}

// evaluateBatch evaluates objects with Engine.EvaluateAll and returns
// their findings in object order.
func evaluateBatch(t testing.TB, e *Engine, objects []map[string]any) []Finding {
	t.Helper()
	perObject, err := e.EvaluateAll(context.Background(), Batch{Objects: objects})
	require.NoError(t, err)
	var all []Finding
	for _, fs := range perObject {
		all = append(all, fs...)
	}
	return all
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

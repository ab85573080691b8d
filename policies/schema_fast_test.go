package policies

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/internal/corpus"
)

// schemaSamples are the built-in objects of the repository's fixtures and
// manifests plus a small generated corpus.
func schemaSamples(t *testing.T) []map[string]any {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, corpus.Write(dir, 2))
	var files []string
	for _, root := range []string{"../testdata", "../manifests/feastflow", dir} {
		require.NoError(t, filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") && !strings.Contains(p, "golden") {
				files = append(files, p)
			}
			return err
		}))
	}
	var out []map[string]any
	for _, f := range files {
		for _, obj := range readObjects(t, f) {
			if _, ok := builtinKind(obj); ok && obj["kind"] != "List" {
				out = append(out, obj)
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

// TestDecodesCleanlyNeverHidesSchemaErrors mutates every sample many ways
// (renamed keys, unknown keys, wrong types, nulls, floats, huge numbers):
// whenever the fast walk vouches for an object, the strict decode must
// report nothing, so schema findings are the strict decode's alone.
func TestDecodesCleanlyNeverHidesSchemaErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vouched, checked := 0, 0
	for _, obj := range schemaSamples(t) {
		variants := []map[string]any{obj}
		for range 40 {
			variants = append(variants, mutate(rng, obj))
		}
		for _, v := range variants {
			gvk, builtin := builtinKind(v)
			if !builtin {
				continue // schemaErrors checks nothing then
			}
			typ := goType(gvk)
			require.NotNil(t, typ, gvk)
			checked++
			if !decodesCleanly(v, typ) {
				continue
			}
			vouched++
			if errs := strictDecodeErrors(v); len(errs) > 0 {
				t.Errorf("%s: fast check passed, strict decode found %v in %v", gvk.Kind, errs, v)
			}
		}
	}
	t.Logf("%d of %d objects vouched for by the fast check", vouched, checked)
	assert.Positive(t, vouched)
}

func TestDecodesCleanly(t *testing.T) {
	deployment := readObjects(t, filepath.Join("..", "testdata", "bench", "deployment.yaml"))[0]
	tests := []struct {
		name string
		edit func(obj map[string]any)
		want bool
	}{
		{"compliant deployment", func(map[string]any) {}, true},
		{"null creationTimestamp", func(o map[string]any) { meta(o)["creationTimestamp"] = nil }, true},
		{"unknown field", func(o map[string]any) { container(o)["livenesProbe"] = map[string]any{} }, false},
		{"field in other case", func(o map[string]any) { container(o)["Image"] = "x" }, false},
		{"string for int", func(o map[string]any) { spec(o)["replicas"] = "2" }, false},
		{"float for int", func(o map[string]any) { spec(o)["replicas"] = 2.0 }, false},
		{"int out of range", func(o map[string]any) { spec(o)["replicas"] = int64(1) << 40 }, false},
		{"bad quantity", func(o map[string]any) {
			container(o)["resources"] = map[string]any{"limits": map[string]any{"cpu": "lots"}}
		}, false},
		{"int or string port", func(o map[string]any) {
			container(o)["ports"] = []any{map[string]any{"containerPort": 80, "name": "http"}}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := deepCopy(deployment).(map[string]any)
			tt.edit(obj)
			gvk, _ := builtinKind(obj)
			got := decodesCleanly(obj, goType(gvk))
			assert.Equal(t, tt.want, got)
			if got {
				assert.Empty(t, strictDecodeErrors(obj))
			}
		})
	}
}

func meta(o map[string]any) map[string]any { return o["metadata"].(map[string]any) }
func spec(o map[string]any) map[string]any { return o["spec"].(map[string]any) }
func container(o map[string]any) map[string]any {
	pod := spec(o)["template"].(map[string]any)["spec"].(map[string]any)
	return pod["containers"].([]any)[0].(map[string]any)
}

// replacements are the values mutate puts in place of a field.
var replacements = []any{
	"x", "", 1, int64(-1), int64(1) << 40, 1.5, 2.0, true, nil,
	map[string]any{"zz": 1}, []any{"a"}, []any{}, map[string]any{}, "100m", "1Gi",
}

// mutate returns a copy of obj with one random field renamed, added,
// removed or replaced.
func mutate(rng *rand.Rand, obj map[string]any) map[string]any {
	out := deepCopy(obj).(map[string]any)
	var maps []map[string]any
	var lists []([]any)
	collect(out, &maps, &lists)
	m := maps[rng.IntN(len(maps))]
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 || rng.IntN(6) == 0 {
		m["unknownField"] = replacements[rng.IntN(len(replacements))]
		return out
	}
	k := keys[rng.IntN(len(keys))]
	switch rng.IntN(5) {
	case 0:
		m[k+"x"] = m[k]
		delete(m, k)
	case 1:
		m[strings.ToUpper(k[:1])+k[1:]] = m[k]
		delete(m, k)
	case 2:
		delete(m, k)
	default:
		m[k] = replacements[rng.IntN(len(replacements))]
		if len(lists) > 0 && rng.IntN(4) == 0 {
			l := lists[rng.IntN(len(lists))]
			if len(l) > 0 {
				l[rng.IntN(len(l))] = replacements[rng.IntN(len(replacements))]
			}
		}
	}
	return out
}

func collect(v any, maps *[]map[string]any, lists *[][]any) {
	switch x := v.(type) {
	case map[string]any:
		*maps = append(*maps, x)
		for _, e := range x {
			collect(e, maps, lists)
		}
	case []any:
		*lists = append(*lists, x)
		for _, e := range x {
			collect(e, maps, lists)
		}
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// TestDecodesCleanlyVouchesForTheCorpus: every kind of the benchmark
// corpus takes the fast path when it is valid.
func TestDecodesCleanlyVouchesForTheCorpus(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, corpus.Write(dir, 1))
	objects := readObjects(t, filepath.Join(dir, "app-0000.yaml"))
	require.Len(t, objects, corpus.ObjectsPerFile+2)
	for _, obj := range objects {
		t.Run(obj["kind"].(string), func(t *testing.T) {
			gvk, ok := builtinKind(obj)
			require.True(t, ok)
			assert.True(t, decodesCleanly(obj, goType(gvk)))
			assert.Empty(t, strictDecodeErrors(obj))
		})
	}
}

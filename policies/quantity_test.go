package policies

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"
)

// quantityCases are hand-picked quantities: every suffix, fractions finer
// than a nano-unit (rounded up), the caps, signs and leading zeros.
var quantityCases = []string{
	"0", "-0", "+0", "00", "0.0", "1", "-1", "+1", "1.", ".5", "0.5", "500m", "0.1", "100m", "1000m",
	"1.2Gi", "1288490188800m", "1288490188.8", "1Gi", "1024Mi", "1G", "1000M", "1073741824",
	"1Ki", "1k", "1e3", "1E3", "1e+3", "1e-3", "1.5e2", "2Ei", "8Ei", "9Ei", "9E", "10E", "1n", "1u",
	"0.1n", "1.0000000001", "0.0000000001", "0.5n", "1.5Ki", "0.001Mi", "123456789012345678901234",
	"1.000000000000000000001Gi", "-1.5Gi", "-0.0000000001", "7Mi", "0.000001Ti", "3e-12", "12e8",
	"100000000000000000000000000000000Ei", ".", "Gi", "-", "1e40",
}

// TestQuantitiesCompareLikeAPIMachinery checks lib/quantity.rego against
// resource.ParseQuantity: every quantity's nano-units equal apimachinery's
// value (after its rounding and cap), and every pair compares the same as
// Quantity.Cmp, for hand-picked and for random quantities.
func TestQuantitiesCompareLikeAPIMachinery(t *testing.T) {
	src, err := os.ReadFile("lib/quantity.rego")
	require.NoError(t, err)
	ctx := context.Background()
	nanos, err := rego.New(
		rego.Query("n := data.feastflow.lib.quantity.nanos(input)"),
		rego.Module("quantity.rego", string(src)),
	).PrepareForEval(ctx)
	require.NoError(t, err)

	quantities := append([]string(nil), quantityCases...)
	rnd := rand.New(rand.NewSource(1))
	suffixes := []string{"", "m", "k", "M", "G", "Ki", "Mi", "Gi", "Ti", "n", "u", "e2", "e-4"}
	for range 300 {
		q := fmt.Sprintf("%d", rnd.Intn(5000))
		if rnd.Intn(2) == 0 {
			q += fmt.Sprintf(".%0*d", 1+rnd.Intn(11), rnd.Intn(1000))
		}
		quantities = append(quantities, q+suffixes[rnd.Intn(len(suffixes))])
	}

	got := map[string]string{}
	for _, q := range quantities {
		want, err := resource.ParseQuantity(q)
		require.NoError(t, err, q)
		rs, err := nanos.Eval(ctx, rego.EvalInput(q))
		require.NoError(t, err, q)
		require.Len(t, rs, 1, "nanos(%q) is undefined", q)
		got[q] = fmt.Sprint(rs[0].Bindings["n"])
		assert.Equal(t, nanoUnits(want), got[q], q)
	}
	for _, a := range quantities[:len(quantityCases)] {
		for _, b := range quantities {
			qa, qb := resource.MustParse(a), resource.MustParse(b)
			assert.Equal(t, qa.Cmp(qb), cmpDecimal(got[a], got[b]), "%s vs %s", a, b)
		}
	}
}

// TestMalformedQuantitiesAreUndefined: what ParseQuantity refuses has no value.
func TestMalformedQuantitiesAreUndefined(t *testing.T) {
	src, err := os.ReadFile("lib/quantity.rego")
	require.NoError(t, err)
	ctx := context.Background()
	nanos, err := rego.New(
		rego.Query("n := data.feastflow.lib.quantity.nanos(input)"),
		rego.Module("quantity.rego", string(src)),
	).PrepareForEval(ctx)
	require.NoError(t, err)
	for _, q := range []string{"", "1 Gi", "one", "1Gb", "1.2.3", "--1", "1e", "1KiB", "1e80x", "0x10", " 1"} {
		_, perr := resource.ParseQuantity(q)
		require.Error(t, perr, q)
		rs, err := nanos.Eval(ctx, rego.EvalInput(q))
		require.NoError(t, err, q)
		assert.Empty(t, rs, "nanos(%q) should be undefined", q)
	}
}

// nanoUnits is q in nano-units as a decimal integer string.
func nanoUnits(q resource.Quantity) string {
	d := new(inf.Dec).Mul(q.AsDec(), inf.NewDec(1, -9))
	return new(inf.Dec).Round(d, 0, inf.RoundExact).UnscaledBig().String()
}

func cmpDecimal(a, b string) int {
	x, ok := new(inf.Dec).SetString(a)
	if !ok {
		panic(a)
	}
	y, ok := new(inf.Dec).SetString(b)
	if !ok {
		panic(b)
	}
	return x.Cmp(y)
}

// TestInputQuantities: every quantity the engine puts in input.quantities
// (computed with apimachinery) is exactly what lib/quantity.rego computes
// itself, and the usual forms are there; the others are left to Rego.
func TestInputQuantities(t *testing.T) {
	src, err := os.ReadFile("lib/quantity.rego")
	require.NoError(t, err)
	ctx := context.Background()
	parsed, err := rego.New(
		rego.Query("n := data.feastflow.lib.quantity.nanos(input)"),
		rego.Module("quantity.rego", string(src)),
	).PrepareForEval(ctx)
	require.NoError(t, err)
	cases := append(append([]string(nil), quantityCases...), "1e52", "1E61", "-1e70", "1Gb", " 1", "0x10", "1.2.3", "")
	requests := map[string]any{}
	for i, q := range cases {
		requests[fmt.Sprint("r", i)] = q
	}
	obj := map[string]any{"kind": "Deployment", "spec": map[string]any{"template": map[string]any{"spec": map[string]any{
		"containers": []any{map[string]any{"name": "a", "resources": map[string]any{"requests": requests, "limits": map[string]any{"cpu": 2}}}},
	}}}}
	got := inputQuantities(obj)
	for _, q := range cases {
		v, ok := got[q]
		if !ok {
			continue
		}
		rs, err := parsed.Eval(ctx, rego.EvalInput(q))
		require.NoError(t, err, q)
		require.Len(t, rs, 1, "input.quantities has %q, which lib/quantity.rego leaves undefined", q)
		assert.Equal(t, fmt.Sprint(rs[0].Bindings["n"]), fmt.Sprint(v), q)
	}
	for _, q := range []string{"500m", "100m", "1.2Gi", "7Mi", "1", "0.5", "2Ei", "-1.5Gi"} {
		assert.Contains(t, got, q, "a usual quantity is computed by the engine")
	}
	for _, q := range []string{"1e52", "1e3", "1Gb", ""} {
		assert.NotContains(t, got, q, "left to lib/quantity.rego")
	}
	assert.Nil(t, inputQuantities(map[string]any{"kind": "ConfigMap", "data": map[string]any{"requests": map[string]any{"a": "1"}}}))
}

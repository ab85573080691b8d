package policies

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/stretchr/testify/require"
)

// TestRegoUnitTests runs every *_test.rego under policies/ as
// `opa test --ignore '*.yaml' policies/` does (the YAML files are the
// rules' fixtures, not data), so `go test` covers the Rego tests too.
func TestRegoUnitTests(t *testing.T) {
	modules, store, err := tester.Load([]string{"."}, func(_ string, info fs.FileInfo, _ int) bool {
		return !info.IsDir() && !strings.HasSuffix(info.Name(), ".rego")
	})
	require.NoError(t, err)
	ch, err := tester.NewRunner().SetStore(store).Run(context.Background(), modules)
	require.NoError(t, err)
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	require.NotEmpty(t, results, "no Rego tests found")
	for _, r := range results {
		if r.Fail || r.Error != nil {
			t.Errorf("%s.%s (%s): fail=%v error=%v output=%s", r.Package, r.Name, r.Location, r.Fail, r.Error, r.Output)
		}
	}
	t.Logf("%d Rego tests ran", len(results))
}

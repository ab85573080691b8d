package policies

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/stretchr/testify/require"
)

// TestRegoUnitTests runs every *_test.rego under policies/ exactly as
// `opa test policies/` does, so `go test` covers the Rego tests too.
func TestRegoUnitTests(t *testing.T) {
	results, err := tester.Run(context.Background(), ".")
	require.NoError(t, err)
	require.NotEmpty(t, results, "no Rego tests found")
	for _, r := range results {
		if r.Fail || r.Error != nil {
			t.Errorf("%s.%s (%s): fail=%v error=%v output=%s", r.Package, r.Name, r.Location, r.Fail, r.Error, r.Output)
		}
	}
	t.Logf("%d Rego tests ran", len(results))
}

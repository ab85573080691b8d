package output

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

func TestYAMLGolden(t *testing.T) {
	printGolden(t, YAML{}, "yaml")
}

// TestYAMLMatchesJSON checks that YAML is the JSON document, field for field.
func TestYAMLMatchesJSON(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			asJSON, err := yaml.YAMLToJSON(render(t, YAML{}, tc.report()))
			require.NoError(t, err)
			assert.JSONEq(t, string(render(t, JSON{}, tc.report())), string(asJSON))
		})
	}
}

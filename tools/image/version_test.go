package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVersionIsOneVariable: the image tag (VERSION, which `make image`
// reads), the kustomize install's image reference and both charts'
// appVersion agree.
func TestVersionIsOneVariable(t *testing.T) {
	root := filepath.Join("..", "..")
	version, err := ReadVersion(filepath.Join(root, "VERSION"))
	require.NoError(t, err)
	require.Regexp(t, `^v[0-9]+\.[0-9]+\.[0-9]+`, version)
	tests := []struct{ file, pattern string }{
		{"manifests/webhook/deployment.yaml", `image: ghcr\.io/feastflow/feastflow-webhook:(\S+)`},
		{"manifests/webhook/deployment.yaml", `app\.kubernetes\.io/version: (\S+)`},
		{"charts/feastflow-webhook/Chart.yaml", `(?m)^appVersion: (\S+)`},
		{"charts/feastflow/Chart.yaml", `(?m)^appVersion: (\S+)`},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join(root, tt.file))
		require.NoError(t, err)
		m := regexp.MustCompile(tt.pattern).FindSubmatch(data)
		require.NotNil(t, m, "%s: no %s", tt.file, tt.pattern)
		assert.Equal(t, version, string(m[1]), "%s disagrees with VERSION", tt.file)
	}
}

package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// forbiddenDeps are import-path prefixes the webhook binary must not link:
// the kubectl plugin and what it alone needs (cli-runtime's builders and
// printers, kustomize, and Kubernetes' own API validation in
// k8s.io/kubernetes, which lint runs: the API server has validated what
// the webhook sees). They would grow the binary, its memory and its
// attack surface for code the webhook never runs.
var forbiddenDeps = []string{
	"github.com/feastflow/kubectl-feastflow/plugin",
	"k8s.io/cli-runtime",
	"sigs.k8s.io/kustomize",
	"k8s.io/kubernetes",
}

// TestWebhookLinksNeitherPluginNorCLIRuntime lists the binary's
// dependencies with `go list -deps` (tests excluded) and fails on any
// forbidden package.
func TestWebhookLinksNeitherPluginNorCLIRuntime(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	require.NoError(t, err, "go list -deps")
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/feastflow/kubectl-feastflow/policies", "the listing should hold the engine")
	var linked []string
	for _, dep := range deps {
		for _, bad := range forbiddenDeps {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				linked = append(linked, dep)
			}
		}
	}
	assert.Empty(t, linked, "feastflow-webhook links packages it must not")
}

package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// asPluginEnv makes the test binary run as kubectl-feastflow itself, so
// tests of scripts that call the plugin (action/, .pre-commit-hooks.yaml)
// need no second build of it.
const asPluginEnv = "FEASTFLOW_TEST_RUN_AS_PLUGIN"

func TestMain(m *testing.M) {
	if os.Getenv(asPluginEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// pluginShim writes an executable kubectl-feastflow into a new directory
// that runs this test binary as the plugin, and returns the file.
func pluginShim(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	shim := filepath.Join(t.TempDir(), "kubectl-feastflow")
	script := "#!/bin/sh\n" + asPluginEnv + "=1 exec '" + self + "' \"$@\"\n"
	require.NoError(t, os.WriteFile(shim, []byte(script), 0o755))
	return shim
}

package plugin

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
)

func TestVersionCommand(t *testing.T) {
	want := buildinfo.Get("kubectl-feastflow")

	out, code := runCLI(t, "version")
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, want.String()+"\n", out)

	out, code = runCLI(t, "--version")
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, want.String()+"\n", out)

	out, code = runCLI(t, "version", "-o", "json")
	assert.Equal(t, ExitOK, code)
	var got buildinfo.Info
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, want, got)

	out, code = runCLI(t, "version", "-o", "xml")
	assert.Equal(t, ExitUsage, code)
	assert.Empty(t, out)
}

package version_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

func TestVersionCommand(t *testing.T) {
	want := buildinfo.Get("kubectl-feastflow")

	out, code := clitest.Run(t, "version")
	assert.Equal(t, cmdutil.ExitOK, code)
	assert.Equal(t, want.String()+"\n", out)

	out, code = clitest.Run(t, "--version")
	assert.Equal(t, cmdutil.ExitOK, code)
	assert.Equal(t, want.String()+"\n", out)

	out, code = clitest.Run(t, "version", "-o", "json")
	assert.Equal(t, cmdutil.ExitOK, code)
	var got buildinfo.Info
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, want, got)

	out, code = clitest.Run(t, "version", "-o", "xml")
	assert.Equal(t, cmdutil.ExitUsage, code)
	assert.Empty(t, out)
}

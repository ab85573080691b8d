package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/internal/clitest"
)

func TestRulesCommand(t *testing.T) {
	out, code := clitest.Run(t, "rules")
	require.Equal(t, cmdutil.ExitOK, code)
	assert.Contains(t, out, "liveness-probe-required")
	out, code = clitest.Run(t, "rules", "netpol-default-deny-required")
	require.Equal(t, cmdutil.ExitOK, code)
	assert.Contains(t, out, "How to fix:")
	_, code = clitest.Run(t, "rules", "no-such-rule")
	assert.Equal(t, cmdutil.ExitUsage, code)
}

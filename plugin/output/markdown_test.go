package output

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/policies"
)

func TestMarkdownGolden(t *testing.T) {
	printGolden(t, Markdown{}, "markdown")
}

func TestMarkdownEscapesCells(t *testing.T) {
	r := &Report{Findings: []policies.Finding{{
		RuleID: "x", Severity: policies.SeverityDeny,
		Message:  "a | b <script>\nnext",
		Location: &policies.Location{File: "a|b.yaml", Line: 3, Column: 1},
	}}}
	var out bytes.Buffer
	require.NoError(t, Markdown{}.Print(&out, r))
	assert.Contains(t, out.String(), `a \| b &lt;script&gt;\nnext`)
	assert.Contains(t, out.String(), "`a\\|b.yaml:3:1`")
	assert.NotContains(t, out.String(), "<script>")
}

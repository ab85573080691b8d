package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGitHubGolden(t *testing.T) {
	printGolden(t, GitHub{}, "github")
}

func TestGitHubCommands(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(string(render(t, GitHub{}, fixtureReport()))), "\n")
	var commands []string
	for _, line := range lines {
		commands = append(commands, strings.SplitN(line, " ", 2)[0])
	}
	assert.Equal(t, []string{"::warning", "::error", "::warning", "::error", "::notice", "::error"}, commands)
	assert.Contains(t, lines[4], "exempted until 2030-01-31: the mesh sidecar is probed by the mesh")
	assert.Empty(t, render(t, GitHub{}, cleanReport()), "a clean run annotates nothing")
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		name                 string
		file, title, message string
		line, column         int
		want                 string
	}{
		{"plain", "a.yaml", "rule-id", "msg", 3, 4, "::error file=a.yaml,line=3,col=4,title=rule-id::msg\n"},
		{"message", "a.yaml", "r", "100%\r\nnext: line, done", 1, 0, "::error file=a.yaml,line=1,title=r::100%25%0D%0Anext: line, done\n"},
		{"properties", "dir,x/a:b%.yaml", "t:1,2", "m", 0, 0, "::error file=dir%2Cx/a%3Ab%25.yaml,title=t%3A1%2C2::m\n"},
		{"no file", "", "r", "m", 5, 6, "::error title=r::m\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			writeCommand(&buf, "error", tc.file, tc.line, tc.column, tc.title, tc.message)
			assert.Equal(t, tc.want, buf.String())
		})
	}
}

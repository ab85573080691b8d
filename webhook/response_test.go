package webhook

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTruncateWarningsStaysWithinAPIServerLimits(t *testing.T) {
	long := strings.Repeat("é", 400)
	tests := []struct {
		name     string
		in       []string
		wantLen  int
		wantLast string
	}{
		{name: "none", in: nil, wantLen: 0},
		{name: "few short ones kept", in: []string{"[a] one", "[b] two"}, wantLen: 2, wantLast: "[b] two"},
		{name: "control characters replaced", in: []string{"line\nbreak\ttab"}, wantLen: 1, wantLast: "line break tab"},
		{name: "long one cut", in: []string{long}, wantLen: 1, wantLast: strings.Repeat("é", 253) + "..."},
		{name: "many summarised", in: repeat(long, 40), wantLen: 16, wantLast: "... and 25 more findings: run kubectl feastflow lint for all"},
		{name: "exactly full", in: repeat(strings.Repeat("x", 256), 16), wantLen: 16, wantLast: strings.Repeat("x", 256)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := truncateWarnings(tt.in)
			require.Len(t, out, tt.wantLen)
			total := 0
			for _, w := range out {
				n := utf8.RuneCountInString(w)
				assert.LessOrEqual(t, n, maxWarningRunes)
				total += n
			}
			assert.LessOrEqual(t, total, maxWarningTotalRunes)
			if tt.wantLen > 0 {
				assert.Equal(t, tt.wantLast, out[len(out)-1])
			}
		})
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(s)
	}
	return out
}

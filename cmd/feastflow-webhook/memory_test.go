package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	tests := []struct {
		name    string
		env     map[string]string
		want    gcSettings
		applied bool
		err     string
	}{
		{"container limit", map[string]string{memoryLimitEnv: "268435456"}, gcSettings{GCPercent: 400, MemoryLimit: 241591910, Source: memoryLimitEnv}, true, ""},
		{"operator's GOGC wins", map[string]string{memoryLimitEnv: "268435456", "GOGC": "50"}, gcSettings{Source: "GOGC/GOMEMLIMIT from the environment"}, false, ""},
		{"operator's GOMEMLIMIT wins", map[string]string{memoryLimitEnv: "268435456", "GOMEMLIMIT": "100MiB"}, gcSettings{Source: "GOGC/GOMEMLIMIT from the environment"}, false, ""},
		{"no limit known", nil, gcSettings{Source: "Go defaults (no " + memoryLimitEnv + ")"}, false, ""},
		{"bad limit", map[string]string{memoryLimitEnv: "256Mi"}, gcSettings{}, false, "want the container's memory limit in bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(1 << 62)
			got, err := tuneGC(func(k string) string { return tt.env[k] })
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			if tt.applied {
				assert.Equal(t, int64(241591910), debug.SetMemoryLimit(-1), "the soft limit is applied")
				assert.Equal(t, 400, debug.SetGCPercent(400))
			} else {
				assert.Equal(t, int64(1<<62), debug.SetMemoryLimit(-1))
				assert.Equal(t, 100, debug.SetGCPercent(100))
			}
		})
	}
}

package loadtest

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const statusSample = `Name:	feastflow-webho
Umask:	0022
State:	S (sleeping)
Tgid:	4242
Pid:	4242
VmPeak:	 1283404 kB
VmSize:	 1283404 kB
VmLck:	       0 kB
VmHWM:	   48128 kB
VmRSS:	   41216 kB
RssAnon:	   20480 kB
Threads:	7
`

func TestParseProcStatus(t *testing.T) {
	tests := []struct {
		name    string
		status  string
		want    Memory
		wantErr string
	}{
		{"sample", statusSample, Memory{PeakRSS: 48128 * 1024, RSS: 41216 * 1024}, ""},
		{"kernel thread has no memory lines", "Name:\tkthreadd\nState:\tS (sleeping)\n", Memory{}, "no VmHWM or VmRSS"},
		{"bad unit", "VmHWM:\t 1 MB\nVmRSS:\t 1 kB\n", Memory{}, "want"},
		{"bad number", "VmHWM:\t x kB\nVmRSS:\t 1 kB\n", Memory{}, "parse VmHWM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProcStatus(strings.NewReader(tt.status))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestReadProcStatusOfSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	m, err := ReadProcStatus(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, m.RSS)
	assert.GreaterOrEqual(t, m.PeakRSS, m.RSS)
}

func TestParseCPU(t *testing.T) {
	machine, err := ParseProcStat("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n")
	require.NoError(t, err)
	assert.InDelta(t, 1.5, machine.Busy, 1e-9)
	assert.InDelta(t, 10.0, machine.Total, 1e-9)

	proc, err := ParsePidStat("4242 (feastflow webhook) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 7 0 1000 0")
	require.NoError(t, err)
	assert.InDelta(t, 3.0, proc, 1e-9)

	_, err = ParseProcStat("intr 1 2 3")
	assert.Error(t, err)
}

package buildinfo

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var sample = Info{
	Binary:    "kubectl-feastflow",
	Version:   "v0.1.0",
	Commit:    "0123456789abcdef0123456789abcdef01234567",
	BuildDate: "2026-11-30T07:00:00Z",
	GoVersion: "go1.26.8",
	Platform:  "linux/amd64",
}

func TestPrint(t *testing.T) {
	tests := []struct {
		format string
		want   string
	}{
		{"", "kubectl-feastflow v0.1.0 (commit 0123456789ab, built 2026-11-30T07:00:00Z, go1.26.8 linux/amd64)\n"},
		{"text", "kubectl-feastflow v0.1.0 (commit 0123456789ab, built 2026-11-30T07:00:00Z, go1.26.8 linux/amd64)\n"},
		{"json", `{
  "binary": "kubectl-feastflow",
  "version": "v0.1.0",
  "commit": "0123456789abcdef0123456789abcdef01234567",
  "buildDate": "2026-11-30T07:00:00Z",
  "goVersion": "go1.26.8",
  "platform": "linux/amd64"
}
`},
		{"yaml", `binary: kubectl-feastflow
buildDate: "2026-11-30T07:00:00Z"
commit: 0123456789abcdef0123456789abcdef01234567
goVersion: go1.26.8
platform: linux/amd64
version: v0.1.0
`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, Print(&out, sample, tt.format))
			assert.Equal(t, tt.want, out.String())
		})
	}
}

func TestPrintUnknownFormat(t *testing.T) {
	var out bytes.Buffer
	err := Print(&out, sample, "xml")
	var usage *UsageError
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), `"xml"`)
	assert.Empty(t, out.String())
}

func TestGetUnstamped(t *testing.T) {
	info := Get("feastflow-webhook")
	assert.Equal(t, "feastflow-webhook", info.Binary)
	assert.Equal(t, "dev", info.Version)
	assert.NotEmpty(t, info.Commit)
	assert.NotEmpty(t, info.BuildDate)
	assert.Equal(t, runtime.Version(), info.GoVersion)
	assert.Equal(t, runtime.GOOS+"/"+runtime.GOARCH, info.Platform)
}

func TestCommandSetsRootVersion(t *testing.T) {
	root := &cobra.Command{Use: "feastflow-webhook", RunE: func(*cobra.Command, []string) error { return nil }}
	var out bytes.Buffer
	root.AddCommand(NewCommand("feastflow-webhook", root, &out))

	root.SetArgs([]string{"version", "-o", "json"})
	require.NoError(t, root.Execute())
	var got Info
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	assert.Equal(t, Get("feastflow-webhook"), got)

	var flagOut bytes.Buffer
	root.SetOut(&flagOut)
	root.SetArgs([]string{"--version"})
	require.NoError(t, root.Execute())
	assert.Equal(t, Get("feastflow-webhook").String()+"\n", flagOut.String())
}

// TestMakefileLdflags links a small program with the Makefile's LDFLAGS and
// checks the three variables it names are the ones this package reads.
func TestMakefileLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make not installed")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	cmd := exec.Command("make", "--no-print-directory", "-s", "ldflags",
		"VERSION=v9.8.7", "COMMIT=fedcba9876543210fedcba9876543210fedcba98", "DATE=2030-01-02T03:04:05Z")
	cmd.Dir = root
	ldflags, err := cmd.Output()
	require.NoError(t, err)

	bin := filepath.Join(t.TempDir(), "printinfo")
	build := exec.Command("go", "build", "-ldflags", strings.TrimSpace(string(ldflags)), "-o", bin, "./testdata/printinfo")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	out, err := exec.Command(bin).Output()
	require.NoError(t, err)

	var got Info
	require.NoError(t, json.Unmarshal(out, &got))
	assert.Equal(t, "v9.8.7", got.Version)
	assert.Equal(t, "fedcba9876543210fedcba9876543210fedcba98", got.Commit)
	assert.Equal(t, "2030-01-02T03:04:05Z", got.BuildDate)
}

// Package buildinfo describes the release a binary was built from: its
// version, commit and build date, set at link time by the Makefile and by
// goreleaser (.goreleaser.yaml) through the same three variables:
//
//	-X github.com/feastflow/kubectl-feastflow/internal/buildinfo.version=v0.1.0
//	-X github.com/feastflow/kubectl-feastflow/internal/buildinfo.commit=0123abcd...
//	-X github.com/feastflow/kubectl-feastflow/internal/buildinfo.date=2026-11-30T07:00:00Z
//
// Both binaries (kubectl-feastflow and feastflow-webhook) print it with their
// `version` command, in one format.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set at link time; see the package comment.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// Unknown stands for a commit or build date nobody recorded (a plain
// `go build` without the Makefile's ldflags and without VCS stamping).
const Unknown = "unknown"

// Info is one binary's build information, as `version -o json` prints it.
type Info struct {
	// Binary is the program's name, e.g. "kubectl-feastflow".
	Binary string `json:"binary"`
	// Version is the release, a git tag such as "v0.1.0" ("dev" when unset).
	Version string `json:"version"`
	// Commit is the full git commit hash the binary was built from.
	Commit string `json:"commit"`
	// BuildDate is when the binary was built, RFC 3339 in UTC.
	BuildDate string `json:"buildDate"`
	// GoVersion is the Go toolchain that built the binary, e.g. "go1.26.8".
	GoVersion string `json:"goVersion"`
	// Platform is GOOS/GOARCH, e.g. "linux/amd64".
	Platform string `json:"platform"`
}

// Version returns the release alone ("v0.1.0", or "dev" for an unstamped
// build): what SARIF's tool version and the ApplySet tooling annotation carry.
func Version() string { return version }

// Get returns the build information of the running binary, named binary.
// A commit or date the linker did not set falls back to the Go toolchain's
// VCS stamp (vcs.revision, vcs.time), then to Unknown.
func Get(binary string) Info {
	info := Info{
		Binary:    binary,
		Version:   version,
		Commit:    commit,
		BuildDate: date,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && info.Commit == "":
				info.Commit = s.Value
			case s.Key == "vcs.time" && info.BuildDate == "":
				info.BuildDate = s.Value
			}
		}
	}
	if info.Commit == "" {
		info.Commit = Unknown
	}
	if info.BuildDate == "" {
		info.BuildDate = Unknown
	}
	return info
}

// String is the one-line form both binaries print, e.g.
// "kubectl-feastflow v0.1.0 (commit 0123abcd4567, built 2026-11-30T07:00:00Z, go1.26.8 linux/amd64)".
func (i Info) String() string {
	c := i.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	return fmt.Sprintf("%s %s (commit %s, built %s, %s %s)", i.Binary, i.Version, c, i.BuildDate, i.GoVersion, i.Platform)
}

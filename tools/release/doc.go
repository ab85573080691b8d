// Package release pins the release tools (goreleaser, krew and krew's
// validate-krew-manifest, run with `go tool` from this module so the main
// module does not depend on them) and tests the snapshot release that
// `make dist` writes to dist/ against the repository's .krew.yaml.
package release

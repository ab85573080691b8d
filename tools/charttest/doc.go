// Package charttest holds the tests of the Helm charts in charts/: helm
// lint, equivalence with the kustomize installs, the charts' renderings
// passing `kubectl feastflow lint`, values.schema.json, and install,
// upgrade and uninstall on a real API server with Helm's Go SDK. It is a
// module of its own so the main module does not depend on Helm.
package charttest

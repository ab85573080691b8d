package cmdutil

import (
	"github.com/spf13/pflag"

	"github.com/feastflow/kubectl-feastflow/plugin/apicheck"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// DefaultKubernetesVersion is the release lint checks manifests against by
// default: the one whose API types and validation it links
// (k8s.io/kubernetes v1.37.2).
const DefaultKubernetesVersion = "1.37"

// APIFlags pick the Kubernetes release whose API server lint imitates.
type APIFlags struct {
	KubernetesVersion string
}

// AddFlags registers --kubernetes-version.
func (f *APIFlags) AddFlags(flags *pflag.FlagSet) {
	flags.StringVar(&f.KubernetesVersion, "kubernetes-version", DefaultKubernetesVersion,
		"Kubernetes release (MAJOR.MINOR) whose API server the manifests are checked against: served apiVersions, decoding and validation")
}

// ValidateFunc returns the API server check for the chosen release; a
// malformed release is a usage error (exit 2).
func (f *APIFlags) ValidateFunc() (policies.ValidateFunc, error) {
	fn, err := apicheck.New(f.KubernetesVersion)
	if err != nil {
		return nil, UsageError("--kubernetes-version: %w", err)
	}
	return fn, nil
}

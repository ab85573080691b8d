package source

import "strings"

// ConfigGroup is the API group of kubectl-feastflow's own configuration
// (.feastflow.yaml); a file holding only such documents is skipped with a
// note, as kustomizations are.
const ConfigGroup = "config.feastflow.io"

const skipConfiguration = "kubectl-feastflow's configuration, not a manifest"

// WithoutConfiguration returns the result with the files that hold only
// kubectl-feastflow configuration documents (.feastflow.yaml met by -R)
// moved from Documents to Skipped. (Ignored paths are never read: see
// Ignoring.)
func (r Result) WithoutConfiguration() Result {
	out := Result{Inputs: r.Inputs}
	configOnly := map[string]bool{}
	for _, d := range r.Documents {
		if _, seen := configOnly[d.File]; !seen {
			configOnly[d.File] = true
		}
		if !isConfiguration(d.Object) {
			configOnly[d.File] = false
		}
	}
	dropped := map[string]bool{}
	for _, d := range r.Documents {
		if !configOnly[d.File] {
			out.Documents = append(out.Documents, d)
			continue
		}
		if !dropped[d.File] {
			out.Skipped = append(out.Skipped, Skip{File: d.File, Reason: skipConfiguration})
		}
		dropped[d.File] = true
	}
	out.Inputs -= len(dropped)
	out.Errors = r.Errors
	out.Skipped = append(out.Skipped, r.Skipped...)
	return out
}

func isConfiguration(obj map[string]any) bool {
	apiVersion, _ := obj["apiVersion"].(string)
	return strings.HasPrefix(apiVersion, ConfigGroup+"/")
}

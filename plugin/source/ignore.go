package source

import (
	"errors"
	"strings"
)

// ConfigGroup is the API group of kubectl-feastflow's own configuration
// (.feastflow.yaml); a file holding only such documents is skipped with a
// note, as kustomizations are.
const ConfigGroup = "config.feastflow.io"

const skipConfiguration = "kubectl-feastflow's configuration, not a manifest"

// Without returns the result without the inputs ignore matches (their
// documents, errors and skip notes), and with files holding only
// kubectl-feastflow configuration documents moved to Skipped. ignore may
// be nil.
func (r Result) Without(ignore func(file string) bool) Result {
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
		switch {
		case ignore != nil && ignore(d.File):
			dropped[d.File] = true
		case configOnly[d.File]:
			if !dropped[d.File] {
				out.Skipped = append(out.Skipped, Skip{File: d.File, Reason: skipConfiguration})
			}
			dropped[d.File] = true
		default:
			out.Documents = append(out.Documents, d)
		}
	}
	out.Inputs -= len(dropped)
	for _, err := range r.Errors {
		var pe *ParseError
		if ignore != nil && errors.As(err, &pe) && ignore(pe.File) {
			continue
		}
		out.Errors = append(out.Errors, err)
	}
	for _, s := range r.Skipped {
		if ignore == nil || !ignore(s.File) {
			out.Skipped = append(out.Skipped, s)
		}
	}
	return out
}

func isConfiguration(obj map[string]any) bool {
	apiVersion, _ := obj["apiVersion"].(string)
	return strings.HasPrefix(apiVersion, ConfigGroup+"/")
}

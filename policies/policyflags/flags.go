// Package policyflags holds the command-line flags that select and
// configure the policy catalog, shared by every front end: the kubectl
// plugin's commands and feastflow-webhook. It depends on the engine and
// pflag only, so the webhook binary links neither the plugin nor
// cli-runtime.
package policyflags

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/policies/config"
)

// Flags select and configure the policy catalog.
type Flags struct {
	PolicyDirs []string
	Params     []string
	ParamsFile string
}

// AddFlags registers --policy-dir, --param and --params-file.
func (f *Flags) AddFlags(flags *pflag.FlagSet) {
	flags.StringArrayVar(&f.PolicyDirs, "policy-dir", nil, "Directory of extra Rego rules; a rule with a built-in rule's id replaces it (repeatable)")
	flags.StringArrayVar(&f.Params, "param", nil, "Rule parameter as key=value, e.g. cpu_limit=deny (repeatable; see 'kubectl feastflow rules --params')")
	flags.StringVar(&f.ParamsFile, "params-file", "", "YAML or JSON file of rule parameters; --param wins over it")
}

// params merges the params file and --param flags, each value with its source.
func (f *Flags) params() (config.Params, error) {
	var params config.Params
	if f.ParamsFile != "" {
		fromFile, err := config.ReadParamsFile(f.ParamsFile)
		if err != nil {
			return params, err
		}
		params.Merge(fromFile)
	}
	for _, kv := range f.Params {
		k, v, err := policies.ParseParam(kv)
		if err != nil {
			return params, fmt.Errorf("--param: %w", err)
		}
		params.Set(k, v, "--param "+kv)
	}
	return params, nil
}

// Engine compiles the catalog for mode with these flags. Every error is
// the user's (a bad flag value, params file or policy) and says which;
// command-line front ends exit 2 on it.
func (f *Flags) Engine(ctx context.Context, mode, defaultNamespace string) (*policies.Engine, error) {
	params, err := f.params()
	if err != nil {
		return nil, err
	}
	e, err := policies.New(ctx, policies.Options{
		PolicyDirs: f.PolicyDirs, Params: params.Values, ParamSources: params.Sources,
		Mode: mode, DefaultNamespace: defaultNamespace,
	})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	return e, nil
}

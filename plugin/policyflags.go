package plugin

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/policies/config"
)

// PolicyFlags select and configure the policy catalog; lint, apply and
// verify share them.
type PolicyFlags struct {
	PolicyDirs []string
	Params     []string
	ParamsFile string
}

// AddFlags registers --policy-dir, --param and --params-file.
func (f *PolicyFlags) AddFlags(flags *pflag.FlagSet) {
	flags.StringArrayVar(&f.PolicyDirs, "policy-dir", nil, "Directory of extra Rego rules; a rule with a built-in rule's id replaces it (repeatable)")
	flags.StringArrayVar(&f.Params, "param", nil, "Rule parameter as key=value, e.g. cpu_limit=deny (repeatable; see 'kubectl feastflow rules --params')")
	flags.StringVar(&f.ParamsFile, "params-file", "", "YAML or JSON file of rule parameters; --param wins over it")
}

// params merges the params file and --param flags, each value with its source.
func (f *PolicyFlags) params() (config.Params, error) {
	var params config.Params
	if f.ParamsFile != "" {
		fromFile, err := config.ReadParamsFile(f.ParamsFile)
		if err != nil {
			return params, usageError("%w", err)
		}
		params.Merge(fromFile)
	}
	for _, kv := range f.Params {
		k, v, err := policies.ParseParam(kv)
		if err != nil {
			return params, usageError("--param: %w", err)
		}
		params.Set(k, v, "--param "+kv)
	}
	return params, nil
}

// Engine compiles the catalog for mode with these flags.
func (f *PolicyFlags) Engine(ctx context.Context, mode, defaultNamespace string) (*policies.Engine, error) {
	params, err := f.params()
	if err != nil {
		return nil, err
	}
	e, err := policies.New(ctx, policies.Options{
		PolicyDirs: f.PolicyDirs, Params: params.Values, ParamSources: params.Sources,
		Mode: mode, DefaultNamespace: defaultNamespace,
	})
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("load policies: %w", err)}
	}
	return e, nil
}

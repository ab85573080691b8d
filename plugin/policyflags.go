package plugin

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/pflag"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/policies"
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

// Params merges the params file and --param flags.
func (f *PolicyFlags) params() (map[string]any, error) {
	params := map[string]any{}
	if f.ParamsFile != "" {
		raw, err := os.ReadFile(f.ParamsFile)
		if err != nil {
			return nil, usageError("read params file: %w", err)
		}
		if err := yaml.Unmarshal(raw, &params); err != nil {
			return nil, usageError("params file %s: %w", f.ParamsFile, err)
		}
	}
	for _, kv := range f.Params {
		k, v, err := policies.ParseParam(kv)
		if err != nil {
			return nil, usageError("--param: %w", err)
		}
		params[k] = v
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
		PolicyDirs: f.PolicyDirs, Params: params, Mode: mode, DefaultNamespace: defaultNamespace,
	})
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("load policies: %w", err)}
	}
	return e, nil
}

// Package policyflags holds the command-line flags that select and
// configure the policy catalog, shared by every front end: the kubectl
// plugin's commands and feastflow-webhook. It depends on the engine and
// pflag only, so the webhook binary links neither the plugin nor
// cli-runtime.
package policyflags

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/policies/config"
)

// Flags select and configure the policy catalog.
type Flags struct {
	PolicyDirs []string
	Params     []string
	ParamsFile string
	// Validate is the API server's check of each object; lint and apply
	// set it from --kubernetes-version, the webhook leaves it nil (the API
	// server has checked what it sees).
	Validate policies.ValidateFunc
	// Config is the configuration file (--config); see Discover.
	Config string
	// Enable and Disable switch rules on and off by id or area for one run,
	// over the configuration file.
	Enable, Disable []string
	// Discover, when --config is not given, looks for config.FileName from
	// the working directory upward (the plugin's commands; the webhook
	// reads only the file it is given).
	Discover bool

	flags  *pflag.FlagSet
	loaded *config.File
	// lastDigest fingerprints the files the engine was last configured from.
	lastDigest string
}

// AddFlags registers --policy-dir, --param, --params-file, --config,
// --enable and --disable.
func (f *Flags) AddFlags(flags *pflag.FlagSet) {
	f.flags = flags
	flags.StringArrayVar(&f.PolicyDirs, "policy-dir", nil, "Directory of extra Rego rules; a rule with a built-in rule's id replaces it (repeatable)")
	flags.StringArrayVar(&f.Params, "param", nil, "Rule parameter as key=value, e.g. cpu_limit=deny (repeatable; see 'kubectl feastflow rules --params')")
	flags.StringVar(&f.ParamsFile, "params-file", "", "YAML or JSON file of rule parameters; --param wins over it")
	configHelp := "Configuration file (" + config.FileName + ": rules, severities, params, ignore, exemptions)"
	if f.Discover {
		configHelp += "; default: " + config.FileName + " in the working directory or its nearest parent; --config='' reads none"
	}
	flags.StringVar(&f.Config, "config", "", configHelp)
	flags.StringSliceVar(&f.Enable, "enable", nil, "Rule ids or areas to switch on for this run, over the configuration (comma separated, repeatable)")
	flags.StringSliceVar(&f.Disable, "disable", nil, "Rule ids or areas to switch off for this run, over the configuration (comma separated, repeatable)")
}

// ConfigFile returns the configuration Engine read; nil when none.
func (f *Flags) ConfigFile() *config.File { return f.loaded }

// configPath is the configuration file to read: --config when given
// (empty: none), else the discovered one.
func (f *Flags) configPath() (string, error) {
	if f.Config != "" || (f.flags != nil && f.flags.Changed("config")) || !f.Discover {
		return f.Config, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find %s: %w", config.FileName, err)
	}
	return config.Find(wd)
}

// params merges, lowest first, the configuration's params, the params
// file and --param flags, each value with its source.
func (f *Flags) params() (config.Params, error) {
	var params config.Params
	if f.loaded != nil {
		params.Merge(f.loaded.Params)
	}
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

// Options builds the engine options of these flags for mode, reading
// the configuration file.
func (f *Flags) Options(mode, defaultNamespace string) (policies.Options, error) {
	path, err := f.configPath()
	if err != nil {
		return policies.Options{}, err
	}
	f.loaded = nil
	if path != "" {
		if f.loaded, err = config.Load(path); err != nil {
			return policies.Options{}, err
		}
	}
	params, err := f.params()
	if err != nil {
		return policies.Options{}, err
	}
	opts := policies.Options{
		PolicyDirs: f.PolicyDirs, Params: params.Values, ParamSources: params.Sources,
		Mode: mode, DefaultNamespace: defaultNamespace, Validate: f.Validate,
	}
	for _, name := range f.Disable {
		opts.Toggles = append(opts.Toggles, policies.RuleToggle{RuleSelector: policies.RuleSelector{Name: name, Source: "--disable " + name}})
	}
	for _, name := range f.Enable {
		opts.Toggles = append(opts.Toggles, policies.RuleToggle{RuleSelector: policies.RuleSelector{Name: name, Source: "--enable " + name}, Enabled: true})
	}
	if f.loaded != nil {
		f.loaded.Apply(&opts)
	}
	return opts, nil
}

// Engine compiles the catalog for mode with these flags. Every error is
// the user's (a bad flag value, params file, configuration or policy) and
// says which; command-line front ends exit 2 on it.
func (f *Flags) Engine(ctx context.Context, mode, defaultNamespace string) (*policies.Engine, error) {
	compile, err := f.Compiler(mode, defaultNamespace)
	if err != nil {
		return nil, err
	}
	return compile(ctx)
}

// Compiler reads the configuration, params file and flags now (their
// errors are returned at once) and returns the function that compiles the
// catalog with them, which may run later or on another goroutine: the
// errors it returns are the policies' (a --policy-dir module that does not
// parse or compile, a parameter its schema refuses).
func (f *Flags) Compiler(mode, defaultNamespace string) (func(context.Context) (*policies.Engine, error), error) {
	var err error
	if f.lastDigest, err = f.digest(); err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	opts, err := f.Options(mode, defaultNamespace)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (*policies.Engine, error) {
		e, err := policies.New(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("load policies: %w", err)
		}
		return e, nil
	}, nil
}

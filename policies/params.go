package policies

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// paramSchemaQuery reads the schema of the library's parameters.
const paramSchemaQuery = "data.feastflow.lib.params.schema"

// paramSpecs reads the library's parameter schema and the parameters
// custom rules declare in their METADATA (custom.params). A schema that
// is not coherent, or a name declared twice, is an error.
func paramSpecs(ctx context.Context, c *ast.Compiler, rules []Rule) (map[string]ParamSpec, error) {
	raw, err := readParamObject(ctx, c, paramSchemaQuery)
	if err != nil {
		return nil, fmt.Errorf("read parameter schema: %w", err)
	}
	specs := map[string]ParamSpec{}
	var errs []error
	for name, s := range raw {
		spec, err := parseParamSpec(name, s, "")
		if err != nil {
			errs = append(errs, fmt.Errorf("lib/params.rego: %w", err))
			continue
		}
		specs[name] = spec
	}
	for _, r := range rules {
		for _, spec := range r.Params {
			if prev, dup := specs[spec.Name]; dup {
				owner := "the library"
				if prev.Rule != "" {
					owner = "rule " + prev.Rule
				}
				errs = append(errs, fmt.Errorf("%s: rule %s declares parameter %q, already declared by %s", r.File, r.ID, spec.Name, owner))
				continue
			}
			specs[spec.Name] = spec
		}
	}
	return specs, errors.Join(errs...)
}

// resolveParams checks every override against its parameter's schema and
// merges them onto the defaults. sources says where each override came
// from (e.g. "--param cpu_limit=dney", ".feastflow.yaml:7"); every bad
// value and unknown name is reported, each with its source and what is
// allowed.
func resolveParams(specs map[string]ParamSpec, overrides map[string]any, sources map[string]string) (map[string]any, error) {
	params := make(map[string]any, len(specs))
	for name, s := range specs {
		params[name] = s.Default
	}
	var errs []error
	for _, name := range sortedKeys(overrides) {
		from := ""
		if src := sources[name]; src != "" {
			from = " (" + src + ")"
		}
		spec, known := specs[name]
		if !known {
			errs = append(errs, fmt.Errorf("unknown parameter %q%s; known parameters: %s", name, from, strings.Join(sortedSpecNames(specs), ", ")))
			continue
		}
		v, err := spec.Check(overrides[name], true)
		if err != nil {
			errs = append(errs, fmt.Errorf("parameter %q%s: %w", name, from, err))
			continue
		}
		params[name] = v
	}
	return params, errors.Join(errs...)
}

// readParamObject evaluates query to an object; an undefined one is empty.
func readParamObject(ctx context.Context, c *ast.Compiler, query string) (map[string]any, error) {
	rs, err := rego.New(rego.Compiler(c), rego.Query(query)).Eval(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if len(rs) == 1 && len(rs[0].Expressions) == 1 {
		out, _ = rs[0].Expressions[0].Value.(map[string]any)
	}
	return out, nil
}

// ParseParam splits a command-line key=value parameter.
func ParseParam(kv string) (string, string, error) {
	k, v, ok := strings.Cut(kv, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return "", "", fmt.Errorf("parameter %q: want key=value", kv)
	}
	return k, v, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

package config

import (
	"fmt"
	"go.yaml.in/yaml/v3"
	"os"
)

// Params are rule parameter overrides with where each came from.
type Params struct {
	// Values by parameter name.
	Values map[string]any
	// Sources by parameter name: "FILE:LINE" or "--param name=value".
	Sources map[string]string
}

// Set records one override; a later Set of the same name wins.
func (p *Params) Set(name string, value any, source string) {
	if p.Values == nil {
		p.Values = map[string]any{}
		p.Sources = map[string]string{}
	}
	p.Values[name] = value
	p.Sources[name] = source
}

// Merge sets every override of other over p's.
func (p *Params) Merge(other Params) {
	for name, v := range other.Values {
		p.Set(name, v, other.Sources[name])
	}
}

// ReadParamsFile reads a params file: one YAML or JSON mapping of
// parameter names to values. Each value's source is FILE:LINE of its key.
// Values are checked against the parameter schemas when the engine is built.
func ReadParamsFile(path string) (Params, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Params{}, fmt.Errorf("read params file: %w", err)
	}
	node, err := parseDocument(path, raw)
	if err != nil {
		return Params{}, err
	}
	return paramsFrom(path, "params file", node)
}

func paramsFrom(file, what string, node *yaml.Node) (Params, error) {
	pairs, err := mappingPairs(file, what, node)
	if err != nil {
		return Params{}, err
	}
	var p Params
	for _, kv := range pairs {
		v, err := decodeValue(kv.value)
		if err != nil {
			return Params{}, fmt.Errorf("%s:%d: parameter %q: %w", file, kv.value.Line, kv.key.Value, err)
		}
		p.Set(kv.key.Value, v, fmt.Sprintf("%s:%d", file, kv.key.Line))
	}
	return p, nil
}

// Package config reads kubectl-feastflow's configuration file,
// .feastflow.yaml: which rules run, their severities and parameters, which
// paths lint ignores and central exemptions. Every front end (lint, apply,
// verify, test and feastflow-webhook) applies it through policies.Options.
// It is decoded strictly: an unknown key, a wrong type or a name that is
// no rule id or area is an error naming the file and line.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// The configuration file's apiVersion and kind, and the name lint, apply,
// verify and test look for from the working directory upward.
const (
	APIVersion = "config.feastflow.io/v1alpha1"
	Kind       = "Configuration"
	FileName   = ".feastflow.yaml"
)

// File is a parsed configuration file. Selectors, overrides and
// exemptions carry their FILE:LINE as Source.
type File struct {
	// Path is the file as named; Dir the absolute directory ignore
	// patterns are relative to.
	Path, Dir string
	// Toggles switch rules off (rules.disable) and on (rules.enable) by id or area.
	Toggles []policies.RuleToggle
	// Severity overrides, by rule id or area.
	Severity []policies.SeverityOverride
	// Params are rule parameter values.
	Params Params
	// Ignore are path patterns (doublestar globs, relative to Dir) lint skips.
	Ignore []string
	// Exemptions are central exemptions by namespace, kind and name.
	Exemptions []policies.CentralExemption
}

// Load reads and strictly decodes a configuration file.
func Load(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("configuration %s: %w", path, err)
	}
	return Parse(path, filepath.Dir(abs), raw)
}

// Parse decodes a configuration file's content; name is used in errors
// and sources, dir is where ignore patterns are relative to.
func Parse(name, dir string, raw []byte) (*File, error) {
	node, err := parseDocument(name, raw)
	if err != nil {
		return nil, err
	}
	d := decoder{file: name}
	f := &File{Path: name, Dir: dir}
	if node == nil {
		return nil, fmt.Errorf("%s: empty configuration: want apiVersion: %s and kind: %s", name, APIVersion, Kind)
	}
	seen := d.fields(node, "the configuration", map[string]func(*yaml.Node){
		"apiVersion": func(n *yaml.Node) { d.expect(n, "apiVersion", APIVersion) },
		"kind":       func(n *yaml.Node) { d.expect(n, "kind", Kind) },
		"rules": func(n *yaml.Node) {
			d.fields(n, "rules", map[string]func(*yaml.Node){
				"disable": func(n *yaml.Node) { f.Toggles = append(f.Toggles, toggles(d.selectors(n, "rules.disable"), false)...) },
				"enable":  func(n *yaml.Node) { f.Toggles = append(f.Toggles, toggles(d.selectors(n, "rules.enable"), true)...) },
			})
		},
		"severity":   func(n *yaml.Node) { f.Severity = d.severities(n) },
		"params":     func(n *yaml.Node) { f.Params = d.params(n) },
		"ignore":     func(n *yaml.Node) { f.Ignore = d.patterns(n) },
		"exemptions": func(n *yaml.Node) { f.Exemptions = d.exemptions(n) },
	})
	for _, required := range []string{"apiVersion", "kind"} {
		if !seen[required] && node.Kind == yaml.MappingNode {
			d.errorf(node, "%s is required (%s: %s)", required, required, map[string]string{"apiVersion": APIVersion, "kind": Kind}[required])
		}
	}
	d.checkToggles(f)
	if err := errors.Join(d.errs...); err != nil {
		return nil, err
	}
	return f, nil
}

// Find returns the configuration file that applies in dir: FileName in
// dir or its nearest ancestor; "" when there is none.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(abs, FileName)
		if info, err := os.Stat(candidate); err == nil && !info.IsDir() {
			return candidate, nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", nil
		}
		abs = parent
	}
}

// Apply adds the file's settings to opts, before those already there
// would be overridden by command-line flags appended after it.
func (f *File) Apply(opts *policies.Options) {
	opts.Toggles = append(append([]policies.RuleToggle(nil), f.Toggles...), opts.Toggles...)
	opts.Severity = append(append([]policies.SeverityOverride(nil), f.Severity...), opts.Severity...)
	opts.Exemptions = append(append([]policies.CentralExemption(nil), f.Exemptions...), opts.Exemptions...)
}

// checkToggles refuses a name both enabled and disabled in the file.
func (d *decoder) checkToggles(f *File) {
	disabled := map[string]string{}
	for _, t := range f.Toggles {
		if !t.Enabled {
			disabled[t.Name] = t.Source
		}
	}
	for _, t := range f.Toggles {
		if src, ok := disabled[t.Name]; ok && t.Enabled {
			d.errs = append(d.errs, fmt.Errorf("%s: %q is both enabled here and disabled at line %s", t.Source, t.Name, strings.TrimPrefix(src, d.file+":")))
		}
	}
}

func toggles(sels []policies.RuleSelector, enabled bool) []policies.RuleToggle {
	out := make([]policies.RuleToggle, len(sels))
	for i, s := range sels {
		out[i] = policies.RuleToggle{RuleSelector: s, Enabled: enabled}
	}
	return out
}

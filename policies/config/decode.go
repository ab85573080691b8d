package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// decoder walks the configuration's YAML nodes, collecting every error
// with its line.
type decoder struct {
	file string
	errs []error
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, fmt.Errorf("%s:%d: %s", d.file, n.Line, fmt.Sprintf(format, args...)))
}

func (d *decoder) source(n *yaml.Node) string { return fmt.Sprintf("%s:%d", d.file, n.Line) }

// fields decodes a mapping whose keys must be among fields; it returns
// the keys seen.
func (d *decoder) fields(n *yaml.Node, what string, fields map[string]func(*yaml.Node)) map[string]bool {
	seen := map[string]bool{}
	pairs, err := mappingPairs(d.file, what, n)
	if err != nil {
		d.errs = append(d.errs, err)
		return seen
	}
	for _, kv := range pairs {
		decode, ok := fields[kv.key.Value]
		if !ok {
			known := make([]string, 0, len(fields))
			for k := range fields {
				known = append(known, k)
			}
			sort.Strings(known)
			d.errorf(kv.key, "unknown field %q in %s (known: %s)", kv.key.Value, what, strings.Join(known, ", "))
			continue
		}
		seen[kv.key.Value] = true
		decode(kv.value)
	}
	return seen
}

// scalar returns a scalar node's text; other nodes and null are errors.
func (d *decoder) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s must be a string", what)
		return "", false
	}
	return n.Value, true
}

func (d *decoder) expect(n *yaml.Node, what, want string) {
	if v, ok := d.scalar(n, what); ok && v != want {
		d.errorf(n, "%s must be %s, not %q", what, want, v)
	}
}

// strings decodes a list of scalars.
func (d *decoder) strings(n *yaml.Node, what string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list", what)
		return nil
	}
	var out []*yaml.Node
	for _, item := range n.Content {
		if _, ok := d.scalar(item, what+" entries"); ok {
			out = append(out, item)
		}
	}
	return out
}

func (d *decoder) selectors(n *yaml.Node, what string) []policies.RuleSelector {
	var out []policies.RuleSelector
	for _, item := range d.strings(n, what) {
		out = append(out, policies.RuleSelector{Name: item.Value, Source: d.source(item)})
	}
	return out
}

func (d *decoder) severities(n *yaml.Node) []policies.SeverityOverride {
	pairs, err := mappingPairs(d.file, "severity", n)
	if err != nil {
		d.errs = append(d.errs, err)
		return nil
	}
	var out []policies.SeverityOverride
	for _, kv := range pairs {
		v, ok := d.scalar(kv.value, "severity of "+kv.key.Value)
		if !ok {
			continue
		}
		if v != string(policies.SeverityDeny) && v != string(policies.SeverityWarn) {
			d.errorf(kv.value, "severity of %s must be deny or warn, not %q (to switch a rule off, list it in rules.disable)", kv.key.Value, v)
			continue
		}
		out = append(out, policies.SeverityOverride{
			RuleSelector: policies.RuleSelector{Name: kv.key.Value, Source: d.source(kv.key)},
			Severity:     policies.Severity(v),
		})
	}
	return out
}

func (d *decoder) params(n *yaml.Node) Params {
	p, err := paramsFrom(d.file, "params", n)
	if err != nil {
		d.errs = append(d.errs, err)
	}
	return p
}

func (d *decoder) patterns(n *yaml.Node) []string {
	var out []string
	for _, item := range d.strings(n, "ignore") {
		if !doublestar.ValidatePattern(item.Value) {
			d.errorf(item, "ignore pattern %q is not a valid glob", item.Value)
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

func (d *decoder) exemptions(n *yaml.Node) []policies.CentralExemption {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "exemptions must be a list")
		return nil
	}
	var out []policies.CentralExemption
	for _, item := range n.Content {
		ex := policies.CentralExemption{Source: d.source(item)}
		set := func(field *string, what string) func(*yaml.Node) {
			return func(n *yaml.Node) {
				if v, ok := d.scalar(n, what); ok {
					*field = v
				}
			}
		}
		fields := map[string]func(*yaml.Node){
			"rules":     func(n *yaml.Node) { ex.Rules = d.selectors(n, "exemption rules") },
			"namespace": set(&ex.Namespace, "namespace"),
			"kind":      set(&ex.Kind, "kind"),
			"name":      set(&ex.Name, "name"),
			"reason":    set(&ex.Reason, "reason"),
			"until":     set(&ex.Until, "until"),
		}
		d.fields(item, "an exemption", fields)
		out = append(out, ex)
	}
	return out
}

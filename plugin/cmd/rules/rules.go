// Package rules is `kubectl feastflow rules`: the policy catalog listed,
// one rule explained, or the parameters, from each rule's METADATA.
package rules

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/plugin/linter"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// RulesOptions are the options of `kubectl feastflow rules`.
type RulesOptions struct {
	genericiooptions.IOStreams
	Policy     cmdutil.PolicyFlags
	Output     string
	ShowParams bool
	RuleID     string

	engine *policies.Engine
}

// NewCmdRules returns `kubectl feastflow rules [RULE-ID]`.
func NewCmdRules(streams genericiooptions.IOStreams) *cobra.Command {
	o := &RulesOptions{IOStreams: streams}
	cmd := &cobra.Command{
		Use:   "rules [RULE-ID]",
		Short: "List the policy catalog, or explain one rule",
		Long: `List the rules of the catalog (built in, plus --policy-dir), or explain one
rule: why it exists, how to fix its findings and where to read more. All of
it comes from each rule's # METADATA block.`,
		Example: `  # List every rule
  kubectl feastflow rules

  # Explain one rule
  kubectl feastflow rules netpol-default-deny-required

  # Show rule parameters and their effective values
  kubectl feastflow rules --params --param cpu_limit=deny

  # The catalog as Markdown (README's rule table is generated this way)
  kubectl feastflow rules -o markdown`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.RuleID = args[0]
			}
			if err := o.Complete(cmd.Context()); err != nil {
				return err
			}
			return o.Run()
		},
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "text", "Output format: text|json|yaml|markdown")
	cmd.Flags().BoolVar(&o.ShowParams, "params", false, "List rule parameters with their effective values")
	o.Policy.ErrOut = streams.ErrOut
	o.Policy.AddFlags(cmd.Flags())
	return cmd
}

// Complete compiles the catalog.
func (o *RulesOptions) Complete(ctx context.Context) error {
	var err error
	o.engine, err = o.Policy.Engine(ctx, policies.ModeFiles, "")
	return err
}

// Run prints the catalog, one rule or the parameters.
func (o *RulesOptions) Run() error {
	if o.ShowParams {
		return o.printParams()
	}
	rules := append(o.engine.Rules(), linter.RunRules()...)
	if o.RuleID != "" {
		rule, ok := findRule(rules, o.RuleID)
		if !ok {
			return cmdutil.UsageError("unknown rule %q; run 'kubectl feastflow rules' for the list", o.RuleID)
		}
		rules = []policies.Rule{rule}
	}
	switch o.Output {
	case "json":
		return cmdutil.WriteJSON(o.Out, rules)
	case "yaml":
		return writeYAML(o.Out, rules)
	case "markdown":
		return WriteRuleTable(o.Out, rules)
	case "text":
		if o.RuleID != "" {
			return explainRule(o.Out, rules[0])
		}
		return listRules(o.Out, rules)
	}
	return cmdutil.UsageError("unknown output format %q (want text, json, yaml or markdown)", o.Output)
}

func findRule(rules []policies.Rule, id string) (policies.Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return policies.Rule{}, false
}

func listRules(w io.Writer, rules []policies.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tAREA\tTITLE")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Area, r.Title)
	}
	return tw.Flush()
}

func explainRule(w io.Writer, r policies.Rule) error {
	scope := "all (lint, verify, webhook)"
	if len(r.Scope) > 0 {
		scope = strings.Join(r.Scope, ", ")
	}
	source := r.File
	if r.Replaces != "" {
		source += " (replaces the built-in " + r.Replaces + ")"
	}
	_, err := fmt.Fprintf(w, "%s (%s, %s)\n%s\n\n%s\n\nHow to fix:\n%s\n\nApplies to: %s\nDocs:       %s\nSource:     %s\n",
		r.ID, r.Severity, r.Area, r.Title, indent(r.Description), indent(r.Remediation), scope, r.DocsURL, source)
	return err
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}

// WriteRuleTable writes the catalog as a Markdown table, the form README carries.
func WriteRuleTable(w io.Writer, rules []policies.Rule) error {
	fmt.Fprintln(w, "| Rule | Severity | Area | What it checks |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range rules {
		title := strings.ReplaceAll(r.Title, "|", `\|`)
		if _, err := fmt.Fprintf(w, "| [`%s`](%s) | %s | %s | %s |\n", r.ID, r.DocsURL, r.Severity, r.Area, title); err != nil {
			return err
		}
	}
	return nil
}

func (o *RulesOptions) printParams() error {
	params := o.engine.Params()
	switch o.Output {
	case "json":
		return cmdutil.WriteJSON(o.Out, params)
	case "yaml":
		return writeYAML(o.Out, params)
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tw := tabwriter.NewWriter(o.Out, 0, 4, 2, ' ', 0)
	specs := o.engine.ParamSpecs()
	fmt.Fprintln(tw, "PARAMETER\tVALUE\tALLOWED")
	for _, k := range keys {
		v := params[k]
		if s, ok := v.(string); ok && len(s) > 40 {
			v = s[:37] + "..."
		}
		fmt.Fprintf(tw, "%s\t%v\t%s\n", k, v, specs[k].Allowed())
	}
	return tw.Flush()
}

func writeYAML(w io.Writer, v any) error {
	out, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

package policies

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Most rules check containers, and the others one kind each. A rule whose
// every violation body has an expression that cannot hold for an object
// yields nothing for it: a Service has no containers, a Deployment is no
// ConfigMap. The engine evaluates each object with a query over the other
// rules only: the same findings, for a fraction of the work. Like OPA's
// own rule indexing this is read off the compiled rules, and the
// conditions are facts Go knows before evaluating:
//
//   - noPodTemplate: the kind has no pod template in lib/workload.rego, so
//     all_containers, containers and init_containers are empty and
//     long_running and is_workload undefined;
//   - noExemption: no exempt annotation, so exemptions.problems is empty;
//   - noSchemaErrors: input.schema_errors is empty;
//   - kindIsNot(K): k8s.kind == K is false.
//
// A condition is not used when --policy-dir code extends the library
// packages it relies on.

// condition is a fact about an object under which an expression fails.
type condition struct {
	fact string // one of the fact constants
	kind string // for factKindIsNot
}

const (
	factNoPodTemplate  = "noPodTemplate"
	factNoExemption    = "noExemption"
	factNoSchemaErrors = "noSchemaErrors"
	factKindIsNot      = "kindIsNot"
)

const (
	workloadLib   = "data.feastflow.lib.workload"
	exemptionsLib = "data.feastflow.lib.exemptions"
	k8sLib        = "data.feastflow.lib.k8s"
)

// factLibraries are the packages each fact's reading of the rules relies on.
var factLibraries = map[string][]string{
	factNoPodTemplate:  {workloadLib, k8sLib},
	factNoExemption:    {exemptionsLib, k8sLib},
	factNoSchemaErrors: nil,
	factKindIsNot:      {k8sLib},
}

var (
	// emptyUnder: documents with no element under a fact.
	emptyUnder = map[string][]ast.Ref{
		factNoPodTemplate: {
			ast.MustParseRef(workloadLib + ".all_containers"),
			ast.MustParseRef(workloadLib + ".containers"),
			ast.MustParseRef(workloadLib + ".init_containers"),
		},
		factNoExemption:    {ast.MustParseRef(exemptionsLib + ".problems")},
		factNoSchemaErrors: {ast.MustParseRef("input.schema_errors")},
	}
	// undefinedUnder: documents undefined under a fact.
	undefinedUnder = map[string][]ast.Ref{
		factNoPodTemplate: {
			ast.MustParseRef(workloadLib + ".long_running"),
			ast.MustParseRef(workloadLib + ".is_workload"),
		},
	}
	kindRef = ast.MustParseRef(k8sLib + ".kind")
)

// ruleConditions returns, for each violation rule of the rule package pkg,
// the conditions under which that rule's body surely fails; nil when some
// body fails under none (or there is no violation rule).
func ruleConditions(c *ast.Compiler, pkg string, usable map[string]bool) [][]condition {
	rules := c.GetRulesExact(ast.MustParseRef("data." + pkg + ".violation"))
	if len(rules) == 0 {
		return nil
	}
	var out [][]condition
	for _, r := range rules {
		conds := bodyConditions(c, r.Body, usable, 0)
		if len(conds) == 0 {
			return nil
		}
		out = append(out, conds)
	}
	return out
}

// bodyConditions lists the conditions under which some expression of body fails.
func bodyConditions(c *ast.Compiler, body ast.Body, usable map[string]bool, depth int) []condition {
	var out []condition
	for _, expr := range body {
		if expr.Negated || len(expr.With) > 0 {
			continue
		}
		for _, cond := range exprConditions(c, expr, usable, depth) {
			if usable[cond.fact] {
				out = append(out, cond)
			}
		}
	}
	return out
}

func exprConditions(c *ast.Compiler, expr *ast.Expr, usable map[string]bool, depth int) []condition {
	var out []condition
	if t, ok := expr.Terms.(*ast.Term); ok {
		for fact, refs := range undefinedUnder {
			if isRefIn(t, refs) {
				out = append(out, condition{fact: fact})
			}
		}
		return append(out, flagConditions(c, t, usable, depth)...)
	}
	if expr.IsEquality() {
		for fact, refs := range emptyUnder {
			if iterates(expr.Operand(0), refs) || iterates(expr.Operand(1), refs) {
				out = append(out, condition{fact: fact})
			}
		}
	}
	// k8s.kind == "K", which the compiler may rewrite to k8s.kind = "K".
	isEqual := expr.IsEquality() || expr.IsCall() && expr.Operator().Equal(ast.Equal.Ref())
	if isEqual && len(expr.Operands()) == 2 {
		a, b := expr.Operand(0), expr.Operand(1)
		if isRefIn(b, []ast.Ref{kindRef}) {
			a, b = b, a
		}
		if s, ok := b.Value.(ast.String); ok && isRefIn(a, []ast.Ref{kindRef}) {
			out = append(out, condition{fact: factKindIsNot, kind: string(s)})
		}
	}
	return out
}

// flagConditions: a term naming a complete rule (no default, arguments or
// else) fails under a condition every body of that rule fails under: the
// rule is then undefined.
func flagConditions(c *ast.Compiler, t *ast.Term, usable map[string]bool, depth int) []condition {
	ref, ok := t.Value.(ast.Ref)
	if !ok || depth > 2 || !ref.IsGround() {
		return nil
	}
	rules := c.GetRulesExact(ref)
	if len(rules) == 0 {
		return nil
	}
	var common []condition
	for i, r := range rules {
		complete := r.Head.RuleKind() == ast.SingleValue && r.Head.Ref().IsGround()
		if !complete || r.Default || len(r.Head.Args) > 0 || r.Else != nil {
			return nil
		}
		conds := bodyConditions(c, r.Body, usable, depth+1)
		if i == 0 {
			common = conds
			continue
		}
		common = intersect(common, conds)
	}
	return common
}

func intersect(a, b []condition) []condition {
	var out []condition
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// iterates matches doc[x] for a variable x and a doc of refs: no element, no solution.
func iterates(t *ast.Term, refs []ast.Ref) bool {
	ref, ok := t.Value.(ast.Ref)
	if !ok || len(ref) < 2 {
		return false
	}
	_, isVar := ref[len(ref)-1].Value.(ast.Var)
	return isVar && isRefIn(ast.NewTerm(ref[:len(ref)-1]), refs)
}

func isRefIn(t *ast.Term, refs []ast.Ref) bool {
	ref, ok := t.Value.(ast.Ref)
	if !ok {
		return false
	}
	for _, r := range refs {
		if ref.Equal(r) {
			return true
		}
	}
	return false
}

// usableFacts are the facts whose libraries custom modules leave alone.
func usableFacts(custom []*ast.Module) map[string]bool {
	out := map[string]bool{}
	for fact, libs := range factLibraries {
		out[fact] = !extends(custom, libs)
	}
	return out
}

// extends reports whether custom modules define documents in or above
// libs (by package or by rule path).
func extends(custom []*ast.Module, libs []string) bool {
	for _, m := range custom {
		for _, lib := range libs {
			libRef := ast.MustParseRef(lib)
			if overlaps(m.Package.Path, libRef) {
				return true
			}
			for _, r := range m.Rules {
				if overlaps(r.Path(), libRef) {
					return true
				}
			}
		}
	}
	return false
}

// overlaps reports whether the document at a (possibly with variables)
// may be, contain or lie within the document at b.
func overlaps(a, b ast.Ref) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if _, isVar := a[i].Value.(ast.Var); isVar && i > 0 {
			continue
		}
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// packagePair splits feastflow.rules.<area>.<rule>.
func packagePair(pkg string) [2]string {
	area, rule, _ := strings.Cut(strings.TrimPrefix(pkg, rulePackagePrefix), ".")
	return [2]string{area, rule}
}

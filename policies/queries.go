package policies

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
)

// grantedQuery adds the exemptions the object is granted. Objects that
// request none (no exempt annotation, so none can be granted) are
// evaluated without it.
const grantedQuery = "granted := data.feastflow.lib.exemptions.granted"

// catalogQueries prepares, on first use, one catalog query per set of
// kinds the rules declare (custom.kinds): an object is evaluated with the
// rules for its kind and the rules for every kind, and no other rule is
// compiled into its query. Rules of other front ends are left out too.
type catalogQueries struct {
	compiler *ast.Compiler
	store    storage.Store
	// byKind are the rules for each declared kind, rules for every kind included.
	byKind map[string][]*Rule
	// anyKind are the rules for every kind: all an undeclared kind gets.
	anyKind []*Rule

	mu       sync.Mutex
	prepared sync.Map // queryKey -> *catalogQuery
}

// catalogQuery is a prepared query whose binding "r<i>" holds the
// violations of rules[i].
type catalogQuery struct {
	query rego.PreparedEvalQuery
	rules []*Rule
}

// queryKey names a prepared query: the declared kind ("" for any other)
// and whether it reads the granted exemptions.
type queryKey struct {
	kind    string
	granted bool
}

func newCatalogQueries(ctx context.Context, c *ast.Compiler, store storage.Store, rules []*Rule) (*catalogQueries, error) {
	q := &catalogQueries{compiler: c, store: store, byKind: map[string][]*Rule{}}
	for _, r := range rules {
		if r.AnyKind {
			q.anyKind = append(q.anyKind, r)
		}
	}
	for _, r := range rules {
		for _, k := range r.Kinds {
			if q.byKind[k] == nil {
				q.byKind[k] = append([]*Rule(nil), q.anyKind...)
			}
			q.byKind[k] = append(q.byKind[k], r)
		}
	}
	// The query of undeclared kinds, prepared now so that a library error
	// surfaces from New.
	if _, err := q.query(ctx, queryKey{granted: true}); err != nil {
		return nil, err
	}
	return q, nil
}

// withoutExemptionRule leaves out the built-in exemption-invalid rule:
// every finding it makes is about the exempt annotation, so an object
// without one (the queries that read no granted exemptions) cannot have
// any. A --policy-dir rule with its id may judge otherwise and is kept.
func withoutExemptionRule(rules []*Rule) []*Rule {
	out := make([]*Rule, 0, len(rules))
	for _, r := range rules {
		if r.ID != ExemptionInvalidRule || r.Custom {
			out = append(out, r)
		}
	}
	return out
}

// pick returns the prepared query for an object of kind; granted says
// whether it may be granted exemptions.
func (q *catalogQueries) pick(ctx context.Context, kind string, granted bool) (*catalogQuery, error) {
	key := queryKey{granted: granted}
	if _, ok := q.byKind[kind]; ok {
		key.kind = kind
	}
	return q.query(ctx, key)
}

func (q *catalogQueries) query(ctx context.Context, key queryKey) (*catalogQuery, error) {
	if p, ok := q.prepared.Load(key); ok {
		return p.(*catalogQuery), nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if p, ok := q.prepared.Load(key); ok {
		return p.(*catalogQuery), nil
	}
	rules := q.anyKind
	if key.kind != "" {
		rules = q.byKind[key.kind]
	}
	if !key.granted {
		rules = withoutExemptionRule(rules)
	}
	text := queryText(q.compiler, rules, key.granted)
	p, err := rego.New(rego.Compiler(q.compiler), rego.Store(q.store), rego.Query(text)).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare catalog query: %w", err)
	}
	cq := &catalogQuery{query: p, rules: rules}
	q.prepared.Store(key, cq)
	return cq, nil
}

// queryText binds violations to an array whose element i holds the
// violations of rules[i] (an empty query when there is nothing to bind
// is `true`), and granted when asked. One binding for the whole catalog,
// not one per rule, keeps OPA's per-expression result bookkeeping to a
// single entry. A result defined only by partial set rules (`violation
// contains ...`, as every built-in rule) is taken as it is: such a set is
// always defined (empty when no body holds), so copying it into an array
// comprehension would only cost an iteration per rule and object. Any
// other definition (a complete rule, possibly undefined) is iterated.
func queryText(c *ast.Compiler, rules []*Rule, granted bool) string {
	var lines []string
	if len(rules) > 0 {
		terms := make([]string, len(rules))
		for i, r := range rules {
			ref := violationRef(r)
			if isPartialSet(c, ref) {
				terms[i] = ref.String()
				continue
			}
			terms[i] = "[v | some v in " + ref.String() + "]"
		}
		lines = append(lines, violationsBinding+" := [\n\t"+strings.Join(terms, ",\n\t")+",\n]")
	}
	if granted {
		lines = append(lines, grantedQuery)
	}
	if len(lines) == 0 {
		return "true"
	}
	return strings.Join(lines, "\n")
}

// isPartialSet reports whether every rule defining ref, in any module, is
// a partial set rule (`ref contains x if ...`) and at least one does.
func isPartialSet(c *ast.Compiler, ref ast.Ref) bool {
	defs := c.GetRulesExact(ref)
	for _, d := range defs {
		if d.Head.RuleKind() != ast.MultiValue || len(d.Head.Ref()) != 1 {
			return false
		}
	}
	return len(defs) > 0
}

// violationsBinding is the variable the catalog query binds the
// violations of its rules to, one element per rule.
const violationsBinding = "violations"

// rawTerm hands query results to the engine as OPA terms: the engine
// converts only the non-empty violation sets to Go values (see findings).
func rawTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }

// violationRef is data.<package>.<result> of rule r (violation, deny or warn).
func violationRef(r *Rule) ast.Ref {
	result := r.Result
	if result == "" {
		result = ResultViolation
	}
	return r.pkgRef.Append(ast.StringTerm(result))
}

// requestsExemption reports whether obj may carry an exempt annotation;
// only such objects can be granted exemptions. It errs on the side of yes.
func requestsExemption(obj map[string]any) bool {
	meta, ok := obj["metadata"]
	if !ok || meta == nil {
		return false
	}
	m, ok := meta.(map[string]any)
	if !ok {
		return true
	}
	ann, ok := m["annotations"]
	if !ok || ann == nil {
		return false
	}
	a, ok := ann.(map[string]any)
	if !ok {
		return true
	}
	_, ok = a[ExemptAnnotation]
	return ok
}

package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
)

// violationsQuery evaluates every rule package at once.
const violationsQuery = `violations := [[area, rule, v] | v := data.feastflow.rules[area][rule].violation[_]]`

// grantedQuery adds the exemptions the object is granted. Objects that
// request none (no exempt annotation, so none can be granted) are
// evaluated without it.
const grantedQuery = "\ngranted := data.feastflow.lib.exemptions.granted"

// catalogQueries prepares, on first use, one catalog query per set of
// rules objects need (see gating.go) and picks the one for an object.
// Each gives the findings of the whole catalog.
type catalogQueries struct {
	compiler *ast.Compiler
	store    storage.Store
	rules    []Rule
	// conditions[i] are, per violation rule of rules[i], the conditions it
	// fails under; nil for rules every object is evaluated with.
	conditions [][][]condition
	// usable are the facts gating may rely on.
	usable map[string]bool
	// podTemplateKinds are the kinds lib/workload.rego finds a pod spec in.
	podTemplateKinds map[string]bool

	mu       sync.Mutex
	prepared sync.Map // key -> rego.PreparedEvalQuery
}

func newCatalogQueries(ctx context.Context, c *ast.Compiler, store storage.Store, rules []Rule, custom []*ast.Module) (*catalogQueries, error) {
	q := &catalogQueries{compiler: c, store: store, rules: rules, usable: usableFacts(custom)}
	if q.usable[factNoPodTemplate] {
		kinds, err := podTemplateKinds(ctx, c)
		if err != nil {
			return nil, err
		}
		q.podTemplateKinds = kinds
	}
	for _, r := range rules {
		q.conditions = append(q.conditions, ruleConditions(c, r.Package, q.usable))
	}
	// The query for objects that need every rule, prepared now so that
	// policy errors surface from New.
	if _, err := q.query(ctx, q.allRulesKey()); err != nil {
		return nil, err
	}
	return q, nil
}

// objectFacts are what Go knows about an object before evaluating it.
type objectFacts struct {
	kind           string
	kindKnown      bool // kind is a string
	requested      bool // may carry an exempt annotation
	noSchemaErrors bool
}

func factsOf(obj map[string]any, schemaErrs []any) objectFacts {
	kind, ok := obj["kind"].(string)
	return objectFacts{kind: kind, kindKnown: ok, requested: requestsExemption(obj), noSchemaErrors: len(schemaErrs) == 0}
}

// holds reports whether cond is true of an object.
func (q *catalogQueries) holds(cond condition, f objectFacts) bool {
	if !q.usable[cond.fact] {
		return false
	}
	switch cond.fact {
	case factNoPodTemplate:
		return f.kindKnown && !q.podTemplateKinds[f.kind]
	case factNoExemption:
		return !f.requested
	case factNoSchemaErrors:
		return f.noSchemaErrors
	case factKindIsNot:
		return f.kindKnown && f.kind != cond.kind
	}
	return false
}

// key names the rules an object needs ('1' per needed rule) and whether
// it needs its granted exemptions ('g').
func (q *catalogQueries) key(f objectFacts) string {
	var b strings.Builder
	for _, bodies := range q.conditions {
		b.WriteByte(q.needs(bodies, f))
	}
	if f.requested || !q.usable[factNoExemption] {
		b.WriteByte('g')
	}
	return b.String()
}

// needs is '0' when every violation rule fails under some condition that holds.
func (q *catalogQueries) needs(bodies [][]condition, f objectFacts) byte {
	if bodies == nil {
		return '1'
	}
	for _, conds := range bodies {
		fails := false
		for _, c := range conds {
			if q.holds(c, f) {
				fails = true
				break
			}
		}
		if !fails {
			return '1'
		}
	}
	return '0'
}

func (q *catalogQueries) allRulesKey() string { return strings.Repeat("1", len(q.rules)) + "g" }

// pick returns the prepared query for an object with facts f.
func (q *catalogQueries) pick(ctx context.Context, f objectFacts) (rego.PreparedEvalQuery, error) {
	return q.query(ctx, q.key(f))
}

func (q *catalogQueries) query(ctx context.Context, key string) (rego.PreparedEvalQuery, error) {
	if p, ok := q.prepared.Load(key); ok {
		return p.(rego.PreparedEvalQuery), nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if p, ok := q.prepared.Load(key); ok {
		return p.(rego.PreparedEvalQuery), nil
	}
	text, err := q.queryText(key)
	if err != nil {
		return rego.PreparedEvalQuery{}, err
	}
	p, err := rego.New(rego.Compiler(q.compiler), rego.Store(q.store), rego.Query(text)).PrepareForEval(ctx)
	if err != nil {
		return p, fmt.Errorf("prepare catalog query: %w", err)
	}
	q.prepared.Store(key, p)
	return p, nil
}

// queryText is violationsQuery over the rules key names (all of them:
// violationsQuery itself), plus grantedQuery when key asks for it.
func (q *catalogQueries) queryText(key string) (string, error) {
	text := violationsQuery
	if strings.Contains(key[:len(q.rules)], "0") {
		pairs := [][2]string{}
		for i, r := range q.rules {
			if key[i] == '1' {
				pairs = append(pairs, packagePair(r.Package))
			}
		}
		list, err := json.Marshal(pairs)
		if err != nil {
			return "", fmt.Errorf("catalog query: %w", err)
		}
		text = `violations := [[area, rule, v] | some [area, rule] in ` + string(list) +
			`; v := data.feastflow.rules[area][rule].violation[_]]`
	}
	if strings.HasSuffix(key, "g") {
		text += grantedQuery
	}
	return text, nil
}

// podTemplateKindsQuery lists the kinds the library finds a pod spec in.
const podTemplateKindsQuery = `kinds := object.keys(` + workloadLib + `.pod_spec_paths)`

// podTemplateKinds reads the kinds lib/workload.rego finds a pod spec in.
func podTemplateKinds(ctx context.Context, c *ast.Compiler) (map[string]bool, error) {
	rs, err := rego.New(rego.Compiler(c), rego.Query(podTemplateKindsQuery)).Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("read workload kinds: %w", err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("read workload kinds: %d results", len(rs))
	}
	kinds, _ := rs[0].Bindings["kinds"].([]any)
	out := map[string]bool{}
	for _, k := range kinds {
		if s, ok := k.(string); ok {
			out[s] = true
		}
	}
	return out, nil
}

// requestsExemption reports whether obj may carry an exempt annotation;
// only such objects can be granted exemptions or have invalid ones. It
// errs on the side of yes.
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

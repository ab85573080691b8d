// Package policies is the one evaluation path of kubectl-feastflow: it
// compiles the Rego catalog once, evaluates every rule against an object
// in a single query, and turns the result into Findings. Lint, verify and
// the admission webhook are thin adapters around it.
package policies

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Front-end modes a rule's metadata may restrict itself to (custom.scope).
const (
	ModeFiles     = "files"
	ModeAdmission = "admission"
	ModeCluster   = "cluster"
)

// Options configure an Engine.
type Options struct {
	// PolicyDirs add rules (and may override built-in rules by id).
	PolicyDirs []string
	// Params override rule parameter defaults; each name must be declared
	// and each value allowed by its ParamSpec, else New fails naming them all.
	Params map[string]any
	// ParamSources says where each of Params came from, for error
	// messages: "--param cpu_limit=dney", "params.yaml:3", ".feastflow.yaml:7".
	ParamSources map[string]string
	// Mode is the front end (ModeFiles, ModeAdmission, ModeCluster); rules
	// scoped to other modes are skipped. Empty means ModeFiles.
	Mode string
	// DefaultNamespace is used for namespaced objects that name none; empty means "default".
	DefaultNamespace string

	// Toggles switch rules on and off by id or area; an id beats an area,
	// and a later toggle beats an earlier one at the same level (front ends
	// put the configuration file's first, then command-line flags). A name
	// that is neither a rule id nor an area is an error.
	Toggles []RuleToggle
	// Severity overrides the severity of the selected rules' findings.
	Severity []SeverityOverride
	// Exemptions exempt objects by namespace, kind and name (see CentralExemption).
	Exemptions []CentralExemption
	// Now is the clock exemption expiry is judged by; nil means time.Now.
	Now func() time.Time
	// Validate, when set, checks each object as the API server would
	// (input.api_errors and input.schema_errors); see ValidateFunc.
	Validate ValidateFunc
}

// Engine evaluates the compiled catalog. It is safe for concurrent use.
type Engine struct {
	indexQuery rego.PreparedEvalQuery
	store      storage.Store
	compiler   *ast.Compiler
	// catalog are the rules as their metadata declares them (no settings applied).
	catalog    []Rule
	sources    map[string]string
	paramSpecs map[string]ParamSpec
	mode       string
	defaultNS  string
	validate   ValidateFunc
	// deterministic: no rule calls a non-deterministic built-in (FindingsKey).
	deterministic bool
	// generation counts configuration and inventory changes (FindingsKey).
	generation atomic.Uint64
	// state is what the configuration decides (Reconfigure swaps it).
	state atomic.Pointer[engineState]
}

// engineState is the part of an engine its configuration decides: rules
// switched off, severities, parameters, central exemptions, and the
// catalog queries of the rules that run.
type engineState struct {
	rules []Rule
	// inMode are the enabled rules of the engine's mode, the only ones it runs.
	inMode   []*Rule
	queries  *catalogQueries
	params   map[string]any
	settings *settings
	// invalidRule is the exemption-invalid rule when it runs.
	invalidRule *Rule
}

func (e *Engine) cur() *engineState { return e.state.Load() }

// New compiles the embedded catalog (plus opts.PolicyDirs) and prepares the
// catalog queries: one query per object for every rule of its kind and
// mode (see queries.go). A compile error names the file and line.
func New(ctx context.Context, opts Options) (*Engine, error) {
	src, err := loadModules(opts.PolicyDirs)
	if err != nil {
		return nil, err
	}
	rules, err := src.catalog()
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
	if compiler.Compile(src.modules); compiler.Failed() {
		return nil, fmt.Errorf("compile policies: %w", compiler.Errors)
	}
	specs, err := paramSpecs(ctx, compiler, rules)
	if err != nil {
		return nil, err
	}
	store := inmem.NewFromObjectWithOpts(map[string]any{
		"feastflow": map[string]any{"params": map[string]any{}},
		"inventory": emptyInventory(),
	}, inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))
	e := &Engine{
		compiler: compiler, store: store, catalog: rules, sources: src.sources,
		paramSpecs: specs, mode: opts.Mode, defaultNS: opts.DefaultNamespace, validate: opts.Validate,
		deterministic: deterministicModules(compiler),
	}
	if e.mode == "" {
		e.mode = ModeFiles
	}
	if e.defaultNS == "" {
		e.defaultNS = "default"
	}
	if err := e.Reconfigure(ctx, opts); err != nil {
		return nil, err
	}
	if e.indexQuery, err = prepareIndexQuery(ctx, compiler, store); err != nil {
		return nil, err
	}
	return e, nil
}

// Reconfigure applies the configuration parts of opts (Params,
// ParamSources, Toggles, Severity, Exemptions, Now) to a running engine,
// as a new configuration file asks; PolicyDirs, Mode and DefaultNamespace
// stay those of New. It checks everything first: on an error the engine
// keeps its configuration. Evaluations in flight finish with the old one.
// The kinds the rules read (InventoryKinds) are those of the new
// configuration; a front end watching them keeps what it watches.
func (e *Engine) Reconfigure(ctx context.Context, opts Options) error {
	params, err := resolveParams(e.paramSpecs, opts.Params, opts.ParamSources)
	if err != nil {
		return err
	}
	rules := append([]Rule(nil), e.catalog...)
	settings, err := newSettings(rules, opts)
	if err != nil {
		return err
	}
	st := &engineState{rules: rules, params: params, settings: settings}
	for i := range rules {
		rules[i].Disabled = settings.disabled[rules[i].ID]
		rules[i].Severity = settings.severityOf(&rules[i])
		if rules[i].AppliesTo(e.mode) && !rules[i].Disabled {
			st.inMode = append(st.inMode, &rules[i])
			if rules[i].ID == ExemptionInvalidRule {
				st.invalidRule = &rules[i]
			}
		}
	}
	if st.queries, err = newCatalogQueries(ctx, e.compiler, e.store, st.inMode); err != nil {
		return err
	}
	if err := e.writeParams(ctx, params); err != nil {
		return err
	}
	e.state.Store(st)
	e.changed()
	return nil
}

// writeParams stores the effective parameters at data.feastflow.params.
func (e *Engine) writeParams(ctx context.Context, params map[string]any) error {
	v, err := ast.InterfaceToValue(params)
	if err != nil {
		return fmt.Errorf("convert parameters: %w", err)
	}
	return storage.Txn(ctx, e.store, storage.WriteParams, func(txn storage.Transaction) error {
		return e.store.Write(ctx, txn, storage.ReplaceOp, storage.MustParsePath("/feastflow/params"), v)
	})
}

// Rules returns the catalog, sorted by area and id.
func (e *Engine) Rules() []Rule { return append([]Rule(nil), e.cur().rules...) }

// Params returns the effective rule parameters (defaults merged with overrides).
func (e *Engine) Params() map[string]any { return e.cur().params }

// ParamSpecs returns the schema of every parameter, by name.
func (e *Engine) ParamSpecs() map[string]ParamSpec { return e.paramSpecs }

// Evaluate runs the whole catalog against one object and returns its
// findings, sorted, with exemptions applied. obj is the decoded manifest.
func (e *Engine) Evaluate(ctx context.Context, obj map[string]any) ([]Finding, error) {
	ref := e.ObjectRef(obj)
	var val Validation
	if e.validate != nil {
		val = e.validate(obj, ref.Namespace)
	}
	input, err := e.input(obj, ref.Namespace, val)
	if err != nil {
		return nil, err
	}
	kind, _ := obj["kind"].(string)
	st := e.cur()
	query, err := st.queries.pick(ctx, kind, requestsExemption(obj))
	if err != nil {
		return nil, err
	}
	rs, err := query.query.Eval(ctx, rego.EvalParsedInput(input), rego.EvalGenerateJSON(rawTerm))
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", ref, err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("evaluate %s: catalog query returned %d results", ref, len(rs))
	}
	return e.findings(st, query.rules, rs[0].Bindings, obj, ref)
}

// ObjectRef returns the reference of obj with its effective namespace.
func (e *Engine) ObjectRef(obj map[string]any) ObjectRef {
	meta, _ := obj["metadata"].(map[string]any)
	ref := ObjectRef{}
	ref.APIVersion, _ = obj["apiVersion"].(string)
	ref.Kind, _ = obj["kind"].(string)
	ref.Name, _ = meta["name"].(string)
	if ref.Name == "" {
		ref.Name, _ = meta["generateName"].(string)
	}
	if !IsClusterScoped(ref.Kind) {
		ref.Namespace, _ = meta["namespace"].(string)
		if ref.Namespace == "" {
			ref.Namespace = e.defaultNS
		}
	}
	return ref
}

func (e *Engine) input(obj map[string]any, namespace string, val Validation) (ast.Value, error) {
	in := map[string]any{
		"object":        obj,
		"namespace":     namespace,
		"schema_errors": validationInput(val.Schema),
		"api_errors":    validationInput(val.API),
	}
	if q := inputQuantities(obj); len(q) > 0 {
		in["quantities"] = q
	}
	v, err := ast.InterfaceToValue(in)
	if err != nil {
		return nil, fmt.Errorf("convert input: %w", err)
	}
	return v, nil
}

// findings turns the bindings of a catalog query (terms, see rawTerm)
// into Findings. Only the rules with violations have theirs converted.
func (e *Engine) findings(st *engineState, rules []*Rule, b rego.Vars, obj map[string]any, ref ObjectRef) ([]Finding, error) {
	granted := map[string]bool{}
	ids, err := termJSON(b["granted"])
	if err != nil {
		return nil, err
	}
	if ids, ok := ids.([]any); ok {
		for _, id := range ids {
			granted[fmt.Sprint(id)] = true
		}
	}
	var perRule *ast.Array
	if t, ok := b[violationsBinding].(*ast.Term); ok {
		perRule, _ = t.Value.(*ast.Array)
	}
	if perRule != nil && perRule.Len() != len(rules) {
		return nil, fmt.Errorf("evaluate %s: catalog query returned %d results for %d rules", ref, perRule.Len(), len(rules))
	}
	exemption := exemptionOf(obj)
	out := []Finding{}
	for i, rule := range rules {
		if perRule == nil || isEmptyCollection(perRule.Elem(i).Value) {
			continue
		}
		raw, err := termJSON(perRule.Elem(i))
		if err != nil {
			return nil, err
		}
		violations, _ := raw.([]any)
		for _, v := range violations {
			f, err := newFinding(rule, v, ref)
			if err != nil {
				return nil, err
			}
			if granted[rule.ID] {
				f.Exemption = exemption
			}
			out = append(out, f)
		}
	}
	out = st.settings.apply(out, ref, st.invalidRule)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].RuleID != out[j].RuleID {
			return out[i].RuleID < out[j].RuleID
		}
		return out[i].Message < out[j].Message
	})
	return out, nil
}

// termJSON converts a query result term to Go values as OPA's own
// results are (sets become lists); nil stays nil.
func termJSON(v any) (any, error) {
	t, ok := v.(*ast.Term)
	if !ok {
		return v, nil
	}
	out, err := ast.JSON(t.Value)
	if err != nil {
		return nil, fmt.Errorf("convert result: %w", err)
	}
	return out, nil
}

// isEmptyCollection reports whether v is an empty set or array.
func isEmptyCollection(v ast.Value) bool {
	switch c := v.(type) {
	case ast.Set:
		return c.Len() == 0
	case *ast.Array:
		return c.Len() == 0
	}
	return false
}

func newFinding(rule *Rule, v any, ref ObjectRef) (Finding, error) {
	m, ok := v.(map[string]any)
	msg, _ := m["msg"].(string)
	if s, isString := v.(string); isString && rule.Result != ResultViolation {
		// conftest style: deny/warn contains a message.
		msg, ok = s, true
	}
	if !ok || msg == "" {
		return Finding{}, fmt.Errorf("rule %s (%s): each element of %s must be an object with a non-empty msg%s", rule.ID, rule.File, rule.Result, conftestHint(rule))
	}
	f := Finding{
		RuleID: rule.ID, Severity: rule.Severity, Message: msg, Object: ref,
		Remediation: rule.Remediation, DocsURL: rule.DocsURL,
	}
	if s, ok := m["severity"].(string); ok {
		f.Severity = Severity(s)
	}
	if f.Severity != SeverityDeny && f.Severity != SeverityWarn {
		return Finding{}, fmt.Errorf("rule %s: severity %q is neither deny nor warn", rule.ID, f.Severity)
	}
	path, _ := m["path"].([]any)
	for _, p := range path {
		f.Path = append(f.Path, pathElem(p))
	}
	f.Field = FieldPath(f.Path)
	return f, nil
}

func conftestHint(rule *Rule) string {
	if rule.Result == ResultViolation {
		return ""
	}
	return " or a non-empty message"
}

// pathElem turns JSON numbers from OPA results into ints for array indices.
func pathElem(p any) any {
	switch n := p.(type) {
	case interface{ Int64() (int64, error) }:
		if i, err := n.Int64(); err == nil {
			return int(i)
		}
	case float64:
		return int(n)
	}
	return fmt.Sprint(p)
}

// Annotation keys of an exemption; the rule ids are comma separated.
const (
	ExemptAnnotation       = "policy.feastflow.io/exempt"
	ExemptReasonAnnotation = "policy.feastflow.io/exempt-reason"
	ExemptUntilAnnotation  = "policy.feastflow.io/exempt-until"
)

func exemptionOf(obj map[string]any) *Exemption {
	meta, _ := obj["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	reason, _ := ann[ExemptReasonAnnotation].(string)
	until, _ := ann[ExemptUntilAnnotation].(string)
	return &Exemption{Reason: strings.TrimSpace(reason), Until: strings.TrimSpace(until)}
}

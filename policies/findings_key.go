package policies

import (
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// FindingsKey names everything besides the object itself that Evaluate's
// findings depend on, so that a front end may reuse the findings of an
// identical object (same bytes, same defaulted namespace) evaluated under
// an equal key. See Engine.FindingsKey.
type FindingsKey struct {
	// Generation changes with every Reconfigure (parameters, toggles,
	// severities, central exemptions) and every inventory change:
	// SetInventory, DeleteInventoryObject, a PutInventoryObject that
	// changes what is stored, a RefreshInventoryIndex that reindexes. It
	// only grows.
	Generation uint64
	// Day is the UTC date of the engine's clock (Options.Now), which
	// judges central exemptions; Clock is the UTC date of the wall clock,
	// which judges exemption annotations (time.now_ns in
	// feastflow.lib.exemptions). Exemptions expire at the end of a UTC day,
	// so findings cannot change between two instants of the same dates.
	Day, Clock string
}

// FindingsKey returns the key of the findings Evaluate would give now.
// Findings of the same object are equal under equal keys, provided the key
// is read before the evaluation starts (a change during it moves later
// readers to a new key). ok is false when no key can promise that: some
// compiled rule calls a non-deterministic built-in (OPA's
// Builtin.Nondeterministic: http.send, rand.intn, uuid.rfc4122,
// time.now_ns outside feastflow.lib.exemptions, ...); then nothing may be reused.
func (e *Engine) FindingsKey() (key FindingsKey, ok bool) {
	if !e.deterministic {
		return FindingsKey{}, false
	}
	return FindingsKey{
		Generation: e.generation.Load(),
		Day:        e.cur().settings.now().UTC().Format(time.DateOnly),
		Clock:      time.Now().UTC().Format(time.DateOnly),
	}, true
}

// changed moves FindingsKey to a new generation; writers call it after
// their change is visible to evaluations.
func (e *Engine) changed() { e.generation.Add(1) }

// exemptionsLibrary may read the clock: its expiry judgement changes only
// at the end of a UTC day, which FindingsKey's dates cover.
var exemptionsLibrary = ast.MustParseRef("data.feastflow.lib.exemptions")

// deterministicModules reports whether no module of c calls a
// non-deterministic built-in, other than the exemptions library's clock.
func deterministicModules(c *ast.Compiler) bool {
	deterministic := true
	check := func(m *ast.Module, op *ast.Term) {
		name := op.String()
		b, ok := ast.BuiltinMap[name]
		clock := name == ast.NowNanos.Name && m.Package.Path.Equal(exemptionsLibrary)
		if ok && b.Nondeterministic && !clock {
			deterministic = false
		}
	}
	for _, m := range c.Modules {
		ast.NewGenericVisitor(func(x any) bool {
			switch x := x.(type) {
			case *ast.Expr:
				if x.IsCall() {
					check(m, x.OperatorTerm())
				}
			case ast.Call:
				check(m, x[0])
			}
			return !deterministic
		}).Walk(m)
		if !deterministic {
			return false
		}
	}
	return true
}

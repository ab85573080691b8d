package cmdutil

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/pflag"

	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/policies/policyflags"
)

// PolicyFlags select and configure the policy catalog; lint, apply, verify
// and rules share them (policyflags.Flags, which feastflow-webhook uses too).
type PolicyFlags struct {
	policyflags.Flags
	// Verbose reports what the catalog was built from on ErrOut.
	Verbose bool
	// ErrOut receives the verbose report; nil discards it.
	ErrOut io.Writer
}

// AddFlags registers the catalog flags and --verbose.
func (f *PolicyFlags) AddFlags(flags *pflag.FlagSet) {
	f.Flags.Discover = true
	f.Flags.AddFlags(flags)
	flags.BoolVar(&f.Verbose, "verbose", false, "Say on stderr which custom rules were loaded and which built-in rules they replace")
}

// Engine compiles the catalog for mode with these flags; every error is a
// usage error (exit 2).
func (f *PolicyFlags) Engine(ctx context.Context, mode, defaultNamespace string) (*policies.Engine, error) {
	wait, err := f.StartEngine(ctx, mode, defaultNamespace)
	if err != nil {
		return nil, err
	}
	return wait()
}

// StartEngine reads the configuration and flags now, returning their
// errors at once, and compiles the catalog for mode on another goroutine,
// so that a command reads and parses its inputs meanwhile (compiling is
// most of a small run's start-up). The returned function waits for the
// engine; every error either returns is a usage error (exit 2).
func (f *PolicyFlags) StartEngine(ctx context.Context, mode, defaultNamespace string) (wait func() (*policies.Engine, error), err error) {
	compile, err := f.Flags.Compiler(mode, defaultNamespace)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	type built struct {
		engine *policies.Engine
		err    error
	}
	result := make(chan built, 1)
	go func() {
		e, err := compile(ctx)
		result <- built{e, err}
	}()
	return sync.OnceValues(func() (*policies.Engine, error) {
		b := <-result
		if b.err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: b.err}
		}
		if f.Verbose && f.ErrOut != nil {
			if cfg := f.ConfigFile(); cfg != nil {
				fmt.Fprintf(f.ErrOut, "policies: configuration %s\n", cfg.Path)
			}
			reportCatalog(f.ErrOut, b.engine)
		}
		return b.engine, nil
	}), nil
}

// reportCatalog says which rules came from policy directories and which
// built-in rules they replaced.
func reportCatalog(w io.Writer, e *policies.Engine) {
	for _, r := range e.Rules() {
		switch {
		case r.Replaces != "":
			fmt.Fprintf(w, "policies: rule %s from %s replaces the built-in rule (%s)\n", r.ID, r.File, r.Replaces)
		case r.Custom:
			fmt.Fprintf(w, "policies: custom rule %s from %s\n", r.ID, r.File)
		}
		if r.Disabled {
			fmt.Fprintf(w, "policies: rule %s is disabled\n", r.ID)
		}
	}
}

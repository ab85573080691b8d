package plugin

import (
	"context"

	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/policies/policyflags"
)

// PolicyFlags select and configure the policy catalog; lint, apply, verify
// and rules share them (policyflags.Flags, which feastflow-webhook uses too).
type PolicyFlags struct {
	policyflags.Flags
}

// Engine compiles the catalog for mode with these flags; every error is a
// usage error (exit 2).
func (f *PolicyFlags) Engine(ctx context.Context, mode, defaultNamespace string) (*policies.Engine, error) {
	e, err := f.Flags.Engine(ctx, mode, defaultNamespace)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	return e, nil
}

package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes shared by every command.
const (
	// ExitOK: the run passed.
	ExitOK = 0
	// ExitFindings: failing findings, or a failed test or check.
	ExitFindings = 1
	// ExitUsage: bad flags or arguments, unreadable input, or a cluster
	// that cannot be reached.
	ExitUsage = 2
)

// ExitError carries a process exit code; Err, when set, is printed.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// UsageError marks bad flags or arguments: an *ExitError with ExitUsage
// (exit code 2) and the message fmt.Errorf(format, args...).
func UsageError(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// ExitCode maps an error from a command to the process exit code: nil is
// ExitOK, an *ExitError (anywhere in the chain) its Code, any other error
// ExitUsage.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	return ExitUsage
}

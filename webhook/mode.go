package webhook

import "fmt"

// Mode is what deny findings do to a request.
type Mode string

const (
	// ModeEnforce denies requests with deny findings.
	ModeEnforce Mode = "enforce"
	// ModeWarn admits them and returns every finding as an admission warning.
	ModeWarn Mode = "warn"
	// ModeAudit admits them, logs and counts deny findings; warn findings
	// are still returned as warnings.
	ModeAudit Mode = "audit"
)

// ParseMode validates s as a Mode.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeEnforce, ModeWarn, ModeAudit:
		return m, nil
	}
	return "", fmt.Errorf("unknown mode %q: want enforce, warn or audit", s)
}

// ErrorPolicy is the outcome of a request whose evaluation failed (a policy
// runtime error, the evaluation deadline, an unanswered SubjectAccessReview).
type ErrorPolicy string

const (
	// ErrorDeny denies the request with the reason (fail closed).
	ErrorDeny ErrorPolicy = "deny"
	// ErrorAllow admits the request with a warning that says why (fail open).
	ErrorAllow ErrorPolicy = "allow"
)

// ParseErrorPolicy validates s as an ErrorPolicy.
func ParseErrorPolicy(s string) (ErrorPolicy, error) {
	switch p := ErrorPolicy(s); p {
	case ErrorDeny, ErrorAllow:
		return p, nil
	}
	return "", fmt.Errorf("unknown error policy %q: want deny or allow", s)
}

package loadtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
)

// Error kinds a request can fail with, as counted in Result.Errors.
const (
	ErrTransport = "transport" // no HTTP response (connection, TLS, timeout)
	ErrStatus    = "status"    // an HTTP status other than 200
	ErrMalformed = "malformed" // not an AdmissionReview with a response
	ErrUID       = "uid"       // the response answers another request
	ErrDecision  = "decision"  // allowed differs from Review.WantAllowed
)

// Failure is why one request failed.
type Failure struct {
	Kind string
	Err  error
}

func (f *Failure) Error() string { return f.Kind + ": " + f.Err.Error() }

func fail(kind, format string, args ...any) *Failure {
	return &Failure{Kind: kind, Err: fmt.Errorf(format, args...)}
}

// Decision is what an admission response said.
type Decision struct {
	Allowed  bool     `json:"allowed"`
	Code     int32    `json:"code,omitempty"`
	Message  string   `json:"message,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

type reviewResponse struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Response   *struct {
		UID     string `json:"uid"`
		Allowed *bool  `json:"allowed"`
		Status  *struct {
			Code    int32  `json:"code"`
			Message string `json:"message"`
		} `json:"status"`
		Warnings []string `json:"warnings"`
	} `json:"response"`
}

// CheckResponse validates an HTTP answer to the review request with uid
// wantUID and returns its decision, or a *Failure saying what is wrong.
func CheckResponse(status int, body []byte, wantUID string) (Decision, *Failure) {
	if status != http.StatusOK {
		return Decision{}, fail(ErrStatus, "HTTP %d: %.200s", status, body)
	}
	var r reviewResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return Decision{}, fail(ErrMalformed, "decode response: %v", err)
	}
	switch {
	case r.APIVersion != "admission.k8s.io/v1" || r.Kind != "AdmissionReview":
		return Decision{}, fail(ErrMalformed, "got apiVersion %q kind %q, want admission.k8s.io/v1 AdmissionReview", r.APIVersion, r.Kind)
	case r.Response == nil:
		return Decision{}, fail(ErrMalformed, "AdmissionReview has no response")
	case r.Response.Allowed == nil:
		return Decision{}, fail(ErrMalformed, "response has no allowed field")
	case r.Response.UID != wantUID:
		return Decision{}, fail(ErrUID, "response uid %q, request uid %q", r.Response.UID, wantUID)
	}
	d := Decision{Allowed: *r.Response.Allowed, Warnings: r.Response.Warnings}
	if r.Response.Status != nil {
		d.Code, d.Message = r.Response.Status.Code, r.Response.Status.Message
	}
	return d, nil
}

var bracketed = regexp.MustCompile(`\[([a-z][a-z0-9-]*)\]`)

// RuleIDs returns the sorted, distinct rule ids a decision names, in the
// "[rule-id] message" form of its denial message and warnings; known
// filters out bracketed words that are not rule ids.
func (d Decision) RuleIDs(known map[string]bool) []string {
	seen := map[string]bool{}
	for _, text := range append([]string{d.Message}, d.Warnings...) {
		for _, m := range bracketed.FindAllStringSubmatch(text, -1) {
			if known == nil || known[m[1]] {
				seen[m[1]] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

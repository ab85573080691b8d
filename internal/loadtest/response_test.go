package loadtest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckResponse(t *testing.T) {
	const uid = "00000001-0000-4000-8000-000000000007"
	tests := []struct {
		name     string
		status   int
		body     string
		want     Decision
		wantKind string
	}{
		{
			name:   "denied",
			status: http.StatusOK,
			body: `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"` + uid + `","allowed":false,
				"status":{"code":403,"reason":"Forbidden","message":"Deployment a/b violates 1 feastflow policy: [liveness-probe-required] no probe"}}}`,
			want: Decision{Allowed: false, Code: 403, Message: "Deployment a/b violates 1 feastflow policy: [liveness-probe-required] no probe"},
		},
		{
			name:   "allowed with warnings",
			status: http.StatusOK,
			body:   `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"` + uid + `","allowed":true,"warnings":["[cpu-limit] set one"]}}`,
			want:   Decision{Allowed: true, Warnings: []string{"[cpu-limit] set one"}},
		},
		{"HTTP error", http.StatusBadRequest, `{"kind":"Status"}`, Decision{}, ErrStatus},
		{"not JSON", http.StatusOK, `<html>`, Decision{}, ErrMalformed},
		{"wrong kind", http.StatusOK, `{"apiVersion":"v1","kind":"Status"}`, Decision{}, ErrMalformed},
		{"no response", http.StatusOK, `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}`, Decision{}, ErrMalformed},
		{"no allowed", http.StatusOK, `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"` + uid + `"}}`, Decision{}, ErrMalformed},
		{"other uid", http.StatusOK, `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"x","allowed":true}}`, Decision{}, ErrUID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failure := CheckResponse(tt.status, []byte(tt.body), uid)
			if tt.wantKind != "" {
				require.NotNil(t, failure)
				assert.Equal(t, tt.wantKind, failure.Kind)
				return
			}
			require.Nil(t, failure)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecisionRuleIDs(t *testing.T) {
	d := Decision{
		Message:  "Deployment a/b violates 2 feastflow policies: [readiness-probe-required] x; [liveness-probe-required] y [not-a-rule]",
		Warnings: []string{"[cpu-limit] set a limit", "[liveness-probe-required] duplicate"},
	}
	known := map[string]bool{"readiness-probe-required": true, "liveness-probe-required": true, "cpu-limit": true}
	assert.Equal(t, []string{"cpu-limit", "liveness-probe-required", "readiness-probe-required"}, d.RuleIDs(known))
	assert.Contains(t, d.RuleIDs(nil), "not-a-rule")
	assert.Empty(t, Decision{Allowed: true}.RuleIDs(known))
}

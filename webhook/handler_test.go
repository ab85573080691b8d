package webhook

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/feastflow/kubectl-feastflow/policies"
)

const alice = "alice@example.com"

// liveEngine is an admission engine whose inventory holds the compliant
// Deployment's Service and NetworkPolicies, as the informers would.
func liveEngine(t *testing.T) (*policies.Engine, map[string]any) {
	t.Helper()
	e := newAdmissionEngine(t)
	objects := benchObjects(t)
	for _, obj := range objects[1:] {
		require.NoError(t, e.PutInventoryObject(context.Background(), obj))
	}
	return e, objects[0]
}

func TestHandleByMode(t *testing.T) {
	e, compliant := liveEngine(t)
	noProbes := withoutProbes(t, compliant)
	tests := []struct {
		name         string
		mode         Mode
		obj          map[string]any
		wantAllowed  bool
		wantMessage  []string
		wantWarnings []string
	}{
		{name: "compliant enforce", mode: ModeEnforce, obj: compliant, wantAllowed: true},
		{name: "compliant audit", mode: ModeAudit, obj: compliant, wantAllowed: true},
		{
			name: "no probes enforce", mode: ModeEnforce, obj: noProbes,
			wantMessage: []string{"Deployment feastflow/feastflow-backend violates 2 feastflow policies",
				"[liveness-probe-required]", "[readiness-probe-required]"},
		},
		{
			name: "no probes warn", mode: ModeWarn, obj: noProbes, wantAllowed: true,
			wantWarnings: []string{"deny [liveness-probe-required]", "deny [readiness-probe-required]"},
		},
		{name: "no probes audit", mode: ModeAudit, obj: noProbes, wantAllowed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Validator{Engine: e, Mode: tt.mode}
			resp := v.Handle(context.Background(), request(t, admissionv1.Create, alice, tt.obj, nil))
			require.Equal(t, tt.wantAllowed, resp.Allowed, resp.Result)
			for _, want := range tt.wantMessage {
				assert.Contains(t, resp.Result.Message, want)
			}
			require.Len(t, resp.Warnings, len(tt.wantWarnings))
			for i, want := range tt.wantWarnings {
				assert.True(t, strings.HasPrefix(resp.Warnings[i], want), "warning %q should start with %q", resp.Warnings[i], want)
			}
		})
	}
}

func TestWarnSeverityIsAWarningInEveryMode(t *testing.T) {
	e, compliant := liveEngine(t)
	d := deepCopy(t, compliant)
	c := container(d)
	c["readinessProbe"] = c["livenessProbe"] // liveness-equals-readiness is warn
	for _, mode := range []Mode{ModeEnforce, ModeWarn, ModeAudit} {
		resp := (&Validator{Engine: e, Mode: mode}).Handle(context.Background(), request(t, admissionv1.Create, alice, d, nil))
		require.True(t, resp.Allowed, mode)
		require.Len(t, resp.Warnings, 1, mode)
		assert.Contains(t, resp.Warnings[0], "[liveness-equals-readiness]", mode)
	}
}

func TestControllerCreatedPodsAreNotCheckedTwice(t *testing.T) {
	pod := map[string]any{
		"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{
			"name": "web-abc12", "namespace": "shop",
			"ownerReferences": []any{map[string]any{
				"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-6d4f", "uid": "1", "controller": true,
			}},
		},
		"spec": map[string]any{"containers": []any{map[string]any{"name": "web", "image": "nginx"}}},
	}
	notController := deepCopy(t, pod)
	notController["metadata"].(map[string]any)["ownerReferences"].([]any)[0].(map[string]any)["controller"] = false
	tests := []struct {
		name        string
		user        string
		obj         map[string]any
		wantAllowed bool
	}{
		{"replicaset controller", "system:serviceaccount:kube-system:replicaset-controller", pod, true},
		{"controller manager identity", "system:kube-controller-manager", pod, true},
		{"other controller's account", "system:serviceaccount:kube-system:job-controller", pod, false},
		{"user forging an ownerReference", alice, pod, false},
		{"owner that is not the controller", "system:serviceaccount:kube-system:replicaset-controller", notController, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Validator{Engine: admissionEngine(t)}
			resp := v.Handle(context.Background(), request(t, admissionv1.Create, tt.user, tt.obj, nil))
			require.Equal(t, tt.wantAllowed, resp.Allowed, resp.Result)
		})
	}
}

func TestExemptionsNeedPermission(t *testing.T) {
	e, compliant := liveEngine(t)
	exempted := withoutProbes(t, compliant)
	setAnnotations(exempted, map[string]any{
		policies.ExemptAnnotation:       "liveness-probe-required,readiness-probe-required",
		policies.ExemptReasonAnnotation: "batch importer, probes land in FF-142",
	})
	tests := []struct {
		name        string
		user        string
		op          admissionv1.Operation
		old         map[string]any
		authorizer  *fakeAuthorizer
		wantAllowed bool
		wantMessage string
		wantCalls   int
	}{
		{
			name: "authorised user", user: alice, op: admissionv1.Create,
			authorizer: &fakeAuthorizer{allowed: map[string]bool{alice: true}}, wantAllowed: true, wantCalls: 1,
		},
		{
			name: "unauthorised user", user: "mallory", op: admissionv1.Create,
			authorizer: &fakeAuthorizer{allowed: map[string]bool{alice: true}}, wantCalls: 1,
			wantMessage: `user "mallory" may not exempt objects in namespace "feastflow"`,
		},
		{
			name: "update keeping the exemption is not re-checked", user: "mallory", op: admissionv1.Update, old: exempted,
			authorizer: &fakeAuthorizer{}, wantAllowed: true, wantCalls: 0,
		},
		{
			name: "update adding the exemption is checked", user: "mallory", op: admissionv1.Update, old: compliant,
			authorizer: &fakeAuthorizer{}, wantCalls: 1, wantMessage: "may not exempt",
		},
		{
			name: "authorizer unreachable fails closed", user: alice, op: admissionv1.Create,
			authorizer: &fakeAuthorizer{err: errUnreachable}, wantCalls: 1, wantMessage: "authorization API unreachable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Validator{Engine: e, Exemptions: tt.authorizer}
			resp := v.Handle(context.Background(), request(t, tt.op, tt.user, exempted, tt.old))
			require.Equal(t, tt.wantAllowed, resp.Allowed, resp.Result)
			if tt.wantMessage != "" {
				assert.Contains(t, resp.Result.Message, tt.wantMessage)
			}
			assert.Equal(t, tt.wantCalls, tt.authorizer.calls)
			if tt.wantAllowed {
				require.Len(t, resp.Warnings, 2, "exempted findings are listed, never dropped")
				assert.Contains(t, resp.Warnings[0], "exempted (batch importer, probes land in FF-142)")
			}
		})
	}
}

func TestEvaluationFailureFollowsErrorPolicy(t *testing.T) {
	e, err := policies.New(context.Background(), policies.Options{
		Mode: policies.ModeAdmission, PolicyDirs: []string{filepath.Join("testdata", "faulty")},
	})
	require.NoError(t, err)
	_, compliant := liveEngine(t)
	tests := []struct {
		policy      ErrorPolicy
		fail        string
		wantAllowed bool
		wantText    string
	}{
		{ErrorDeny, "conflict", false, "eval_conflict_error"},
		{ErrorAllow, "conflict", true, "eval_conflict_error"},
		{ErrorDeny, "slow", false, "deadline 50ms"},
		{ErrorAllow, "slow", true, "deadline 50ms"},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy)+" "+tt.fail, func(t *testing.T) {
			obj := deepCopy(t, compliant)
			obj["metadata"].(map[string]any)["labels"] = map[string]any{"fail": tt.fail}
			v := &Validator{Engine: e, OnError: tt.policy, EvalTimeout: 50 * time.Millisecond}
			resp := v.Handle(context.Background(), request(t, admissionv1.Create, alice, obj, nil))
			require.Equal(t, tt.wantAllowed, resp.Allowed)
			text := resp.Result.Message + strings.Join(resp.Warnings, " ")
			assert.Contains(t, text, "feastflow policies could not be evaluated")
			assert.Contains(t, text, tt.wantText)
		})
	}
}

func TestMalformedObjectIsABadRequest(t *testing.T) {
	for name, raw := range map[string]string{"not json": "{nope", "null": "null", "empty": ""} {
		t.Run(name, func(t *testing.T) {
			req := request(t, admissionv1.Create, alice, map[string]any{}, nil)
			req.Object = runtime.RawExtension{Raw: []byte(raw)}
			resp := (&Validator{Engine: admissionEngine(t)}).Handle(context.Background(), req)
			require.False(t, resp.Allowed)
			require.EqualValues(t, http.StatusBadRequest, resp.Result.Code)
		})
	}
}

// TestOldObjectIsReadOnlyForExemptions: an UPDATE's old object is decoded
// only when the new object carries an exemption (to see whether it
// changed); then a malformed one is a bad request. (Through ReviewHandler
// the whole review is valid JSON before any object is read.)
func TestOldObjectIsReadOnlyForExemptions(t *testing.T) {
	e, compliant := liveEngine(t)
	exempted := deepCopy(t, compliant)
	setAnnotations(exempted, map[string]any{policies.ExemptAnnotation: "cpu-limit", policies.ExemptReasonAnnotation: "r"})
	v := &Validator{Engine: e, Exemptions: &fakeAuthorizer{allowed: map[string]bool{alice: true}}}
	for _, tt := range []struct {
		name     string
		obj      map[string]any
		wantCode int32
	}{
		{"no exemption: the old object is not read", compliant, http.StatusOK},
		{"exemption: the old object is read", exempted, http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := request(t, admissionv1.Update, alice, tt.obj, compliant)
			req.OldObject = runtime.RawExtension{Raw: []byte("{nope")}
			resp := v.Handle(context.Background(), req)
			assert.Equal(t, tt.wantCode, resp.Result.Code, resp.Result.Message)
		})
	}
}

func TestOperationsOtherThanCreateAndUpdateAreNotChecked(t *testing.T) {
	_, compliant := liveEngine(t)
	for _, op := range []admissionv1.Operation{admissionv1.Delete, admissionv1.Connect} {
		resp := (&Validator{Engine: admissionEngine(t)}).Handle(context.Background(),
			request(t, op, alice, withoutProbes(t, compliant), nil))
		require.True(t, resp.Allowed, op)
	}
}

func TestControllerUpdatesAreAuditedNotDenied(t *testing.T) {
	e, compliant := liveEngine(t)
	noProbes := withoutProbes(t, compliant)
	tests := []struct {
		name        string
		op          admissionv1.Operation
		user        string
		wantAllowed bool
	}{
		{"garbage collector update", admissionv1.Update, "system:serviceaccount:kube-system:generic-garbage-collector", true},
		{"controller manager update", admissionv1.Update, "system:kube-controller-manager", true},
		{"user update", admissionv1.Update, alice, false},
		{"service account outside kube-system", admissionv1.Update, "system:serviceaccount:ci:deployer", false},
		{"controller create is still checked", admissionv1.Create, "system:serviceaccount:kube-system:generic-garbage-collector", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := (&Validator{Engine: e}).Handle(context.Background(), request(t, tt.op, tt.user, noProbes, noProbes))
			require.Equal(t, tt.wantAllowed, resp.Allowed, resp.Result)
		})
	}
}

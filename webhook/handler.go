package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-logr/logr"
	admissionv1 "k8s.io/api/admission/v1"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// Decisions a request ends in, as logged and counted.
const (
	DecisionAllowed = "allowed"
	DecisionWarned  = "warned"
	DecisionDenied  = "denied"
	DecisionSkipped = "skipped"
	DecisionError   = "error"
)

// DefaultEvalTimeout is shorter than the 5 s timeoutSeconds of the shipped
// ValidatingWebhookConfiguration, so a slow evaluation is answered by the
// error policy rather than by the API server's failurePolicy.
const DefaultEvalTimeout = 2 * time.Second

// Validator is the admission handler: it evaluates the object of a CREATE
// or UPDATE with the engine and maps the findings to a response by Mode.
type Validator struct {
	// Engine is compiled in ModeAdmission; required.
	Engine *policies.Engine
	// Mode is what deny findings do; empty means ModeEnforce.
	Mode Mode
	// OnError is the outcome when evaluation fails; empty means ErrorDeny.
	OnError ErrorPolicy
	// EvalTimeout bounds one evaluation; zero means DefaultEvalTimeout.
	EvalTimeout time.Duration
	// Exemptions decides who may exempt objects; nil means nobody may.
	Exemptions ExemptionAuthorizer
	// Cache reuses the findings of identical objects; nil evaluates every
	// object. Everything but the engine's findings is still decided per
	// request.
	Cache *FindingsCache
	// Metrics counts requests and findings; nil counts nothing.
	Metrics *Metrics
	// Log receives one line per denial, error and audited finding.
	Log logr.Logger
}

var _ admission.Handler = (*Validator)(nil)

// Handle evaluates one admission request.
func (v *Validator) Handle(ctx context.Context, req admission.Request) admission.Response {
	start := time.Now()
	resp, decision := v.handle(ctx, req)
	v.Metrics.observeRequest(req, decision, time.Since(start))
	return resp
}

func (v *Validator) handle(ctx context.Context, req admission.Request) (admission.Response, string) {
	if req.Operation != admissionv1.Create && req.Operation != admissionv1.Update {
		return admission.Allowed("operation not checked"), DecisionSkipped
	}
	obj, err := decodeObject(req.Object.Raw, req.Namespace)
	if err != nil {
		return admission.Errored(http.StatusBadRequest, err), DecisionError
	}
	ref := v.Engine.ObjectRef(obj)
	// The request's logger is made only when something is logged: zap
	// encodes WithValues' fields at once.
	log := func() logr.Logger {
		return v.Log.WithValues("uid", req.UID, "operation", req.Operation, "object", ref.String(),
			"user", req.UserInfo.Username, "dryRun", req.DryRun != nil && *req.DryRun)
	}

	if controller, ok := createdByController(req, obj); ok {
		return admission.Allowed("template already checked on its " + controller), DecisionSkipped
	}
	if resp, denied, failed := v.checkExemption(ctx, req, obj, ref); denied || failed != nil {
		if failed != nil {
			if errors.Is(failed, errBadOldObject) {
				return admission.Errored(http.StatusBadRequest, failed), DecisionError
			}
			return v.failed(log(), "authorization", failed)
		}
		log().Info("denied: exemption not allowed")
		return resp, DecisionDenied
	}

	evalCtx, cancel := context.WithTimeout(ctx, v.evalTimeout())
	defer cancel()
	findings, err := v.evaluate(evalCtx, req, obj)
	if err != nil {
		reason := "runtime"
		if errors.Is(evalCtx.Err(), context.DeadlineExceeded) {
			reason = "deadline"
			err = fmt.Errorf("%w (deadline %s)", err, v.evalTimeout())
		}
		return v.failed(log(), reason, fmt.Errorf("evaluate policies: %w", err))
	}
	v.Metrics.observeFindings(findings)
	mode := v.mode()
	if isControllerUpdate(req) {
		mode = ModeAudit
	}
	resp, decision := respond(mode, ref, findings)
	v.logDecision(log, decision, mode, findings)
	return resp, decision
}

// evaluate returns the engine's findings for obj, from the cache when an
// identical object was evaluated under the same policies.FindingsKey.
// The findings may be shared with other requests: read them only.
func (v *Validator) evaluate(ctx context.Context, req admission.Request, obj map[string]any) ([]policies.Finding, error) {
	if v.Cache == nil {
		return v.Engine.Evaluate(ctx, obj)
	}
	engineKey, ok := v.Engine.FindingsKey()
	if !ok {
		return v.Engine.Evaluate(ctx, obj)
	}
	key := v.Cache.key(req.Object.Raw, req.Namespace, engineKey)
	if findings, hit := v.Cache.get(key); hit {
		v.Metrics.observeCache(true)
		return findings, nil
	}
	v.Metrics.observeCache(false)
	findings, err := v.Engine.Evaluate(ctx, obj)
	if err == nil {
		v.Cache.add(key, findings)
	}
	return findings, err
}

// failed answers a request whose checks could not complete, by OnError.
// reason (runtime, deadline, authorization) labels the error metric.
func (v *Validator) failed(log logr.Logger, reason string, err error) (admission.Response, string) {
	v.Metrics.observeEvalError(reason)
	log.Error(err, "policy evaluation failed", "onError", v.onError())
	msg := "feastflow policies could not be evaluated: " + err.Error()
	if v.onError() == ErrorAllow {
		return admission.Allowed("").WithWarnings(truncateWarnings([]string{msg + " (admitted: on-error=allow)"})...), DecisionError
	}
	return admission.Denied(msg), DecisionError
}

func (v *Validator) mode() Mode {
	if v.Mode == "" {
		return ModeEnforce
	}
	return v.Mode
}

func (v *Validator) onError() ErrorPolicy {
	if v.OnError == "" {
		return ErrorDeny
	}
	return v.OnError
}

func (v *Validator) evalTimeout() time.Duration {
	if v.EvalTimeout <= 0 {
		return DefaultEvalTimeout
	}
	return v.EvalTimeout
}

// decodeObject decodes the raw object of a request and gives it the
// request's namespace when it names none (as on many CREATEs).
func decodeObject(raw []byte, namespace string) (map[string]any, error) {
	if len(raw) == 0 {
		return nil, errors.New("request has no object")
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("decode object: %w", err)
	}
	if obj == nil {
		return nil, errors.New("request object is null")
	}
	if namespace != "" {
		meta, _ := obj["metadata"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
			obj["metadata"] = meta
		}
		if ns, _ := meta["namespace"].(string); ns == "" {
			meta["namespace"] = namespace
		}
	}
	return obj, nil
}

// logDecision logs denials and audited findings with their rule ids only:
// messages never hold secret values, but ids are all an operator needs here.
func (v *Validator) logDecision(log func() logr.Logger, decision string, mode Mode, findings []policies.Finding) {
	switch {
	case decision == DecisionDenied:
		log().Info("denied", "rules", ruleIDs(findings))
	case len(findings) == 0:
	case mode == ModeAudit:
		log().Info("audit findings", "rules", ruleIDs(findings))
	case v.Log.V(1).Enabled():
		log().V(1).Info(decision, "rules", ruleIDs(findings))
	}
}

func ruleIDs(findings []policies.Finding) []string {
	ids := make([]string, 0, len(findings))
	for _, f := range findings {
		ids = append(ids, f.RuleID)
	}
	return ids
}

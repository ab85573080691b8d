package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	sigsjson "sigs.k8s.io/json"
)

// psaRules maps each check of Pod Security Admission's default set to the
// pod-security rule that implements it. procMount_restricted is PSA's
// baseline procMount check without the user-namespace relaxation, which
// pss-proc-mount does at the restricted level.
var psaRules = map[policy.CheckID]string{
	"privileged":                 "pss-privileged",
	"hostNamespaces":             "pss-host-namespaces",
	"hostPathVolumes":            "pss-host-path-volumes",
	"hostPorts":                  "pss-host-ports",
	"hostProbesAndHostLifecycle": "pss-host-probes",
	"appArmorProfile":            "pss-apparmor",
	"seLinuxOptions":             "pss-selinux",
	"procMount":                  "pss-proc-mount",
	"procMount_restricted":       "pss-proc-mount",
	"seccompProfile_baseline":    "pss-seccomp-baseline",
	"sysctls":                    "pss-sysctls",
	"windowsHostProcess":         "pss-windows-host-process",
	"capabilities_baseline":      "pss-capabilities-baseline",
	"restrictedVolumes":          "pss-volume-types",
	"allowPrivilegeEscalation":   "pss-privilege-escalation",
	"runAsNonRoot":               "pss-run-as-non-root",
	"runAsUser":                  "pss-run-as-user",
	"seccompProfile_restricted":  "pss-seccomp-restricted",
	"capabilities_restricted":    "pss-capabilities-restricted",
}

// psaMaxMinor is the newest version PSA v0.37 has checks for; the
// differential tests cover v1.0 through it, and "latest".
const psaMaxMinor = 37

// psaLevels are the levels with checks.
var psaLevels = []api.Level{api.LevelBaseline, api.LevelRestricted}

// psaVersions are every version the tests cover: v1.0 .. v1.37 and latest.
func psaVersions() []api.Version {
	var out []api.Version
	for minor := 0; minor <= psaMaxMinor; minor++ {
		out = append(out, api.MajorMinorVersion(1, minor))
	}
	return append(out, api.LatestVersion())
}

// psaReference evaluates pods with PSA's own evaluator and, per check, with
// the check functions the evaluator runs, so verdicts are known per rule.
type psaReference struct {
	evaluator policy.Evaluator
	checks    []policy.Check
}

func newPSAReference(t testing.TB) *psaReference {
	t.Helper()
	ev, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	require.NoError(t, err)
	checks := policy.DefaultChecks()
	for _, c := range checks {
		require.Contains(t, psaRules, c.ID, "PSA check %s has no pod-security rule", c.ID)
	}
	return &psaReference{evaluator: ev, checks: checks}
}

// versionedCheck is the version of check c PSA runs at version v, if any.
func versionedCheck(c policy.Check, v api.Version) (policy.VersionedCheck, bool) {
	var found policy.VersionedCheck
	ok := false
	for _, vc := range c.Versions {
		if !v.Older(vc.MinimumVersion) {
			found, ok = vc, true
		}
	}
	return found, ok
}

// rulesAt are the rules of the checks PSA runs at lv.
func (r *psaReference) rulesAt(lv api.LevelVersion) map[string]bool {
	active := map[policy.CheckID]bool{}
	overridden := map[policy.CheckID]bool{}
	for _, c := range r.checks {
		if c.Level == api.LevelRestricted && lv.Level != api.LevelRestricted {
			continue
		}
		if vc, ok := versionedCheck(c, lv.Version); ok {
			active[c.ID] = true
			for _, o := range vc.OverrideCheckIDs {
				overridden[o] = true
			}
		}
	}
	out := map[string]bool{}
	for id := range active {
		if !overridden[id] {
			out[psaRules[id]] = true
		}
	}
	return out
}

// failing returns the rules PSA's checks fail at lv, and checks that they
// are exactly what the evaluator itself reports.
func (r *psaReference) failing(t testing.TB, lv api.LevelVersion, meta *metav1.ObjectMeta, spec *corev1.PodSpec) map[string]bool {
	t.Helper()
	type result struct {
		id string
		policy.CheckResult
	}
	active := map[policy.CheckID]policy.VersionedCheck{}
	overridden := map[policy.CheckID]bool{}
	for _, c := range r.checks {
		if c.Level == api.LevelRestricted && lv.Level != api.LevelRestricted {
			continue
		}
		if vc, ok := versionedCheck(c, lv.Version); ok {
			active[c.ID] = vc
			for _, o := range vc.OverrideCheckIDs {
				overridden[o] = true
			}
		}
	}
	var mine []string
	out := map[string]bool{}
	for id, vc := range active {
		if overridden[id] {
			continue
		}
		res := vc.CheckPod(meta, spec)
		mine = append(mine, fmt.Sprintf("%v %s %s", res.Allowed, res.ForbiddenReason, res.ForbiddenDetail))
		if !res.Allowed {
			out[psaRules[id]] = true
		}
	}
	var theirs []string
	for _, res := range r.evaluator.EvaluatePod(lv, meta, spec) {
		theirs = append(theirs, fmt.Sprintf("%v %s %s", res.Allowed, res.ForbiddenReason, res.ForbiddenDetail))
	}
	sort.Strings(mine)
	sort.Strings(theirs)
	require.Equal(t, theirs, mine, "per-check results differ from PSA's evaluator at %s", lv)
	return out
}

// pssNamespace names the inventory namespace whose labels set lv for
// both enforce and warn: deny findings are then exactly lv's verdicts.
func pssNamespace(lv api.LevelVersion) string {
	return strings.ReplaceAll(fmt.Sprintf("pss-%s-%s", lv.Level, lv.Version), ".", "-")
}

// pssInventory has one Namespace per level and version the tests cover.
func pssInventory(e *Engine) *Inventory {
	inv := NewInventory()
	for _, level := range psaLevels {
		for _, v := range psaVersions() {
			lv := api.LevelVersion{Level: level, Version: v}
			ns := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{
				"name": pssNamespace(lv),
				"labels": map[string]any{
					api.EnforceLevelLabel: string(level), api.EnforceVersionLabel: v.String(),
					api.WarnLevelLabel: string(level), api.WarnVersionLabel: v.String(),
				},
			}}
			inv.Add(e.ObjectRef(ns), ns)
		}
	}
	for _, v := range psaVersions() {
		ns := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{
			"name": pssBothNamespace(v),
			"labels": map[string]any{
				api.EnforceLevelLabel: string(api.LevelBaseline), api.EnforceVersionLabel: v.String(),
				api.WarnLevelLabel: string(api.LevelRestricted), api.WarnVersionLabel: v.String(),
			},
		}}
		inv.Add(e.ObjectRef(ns), ns)
	}
	return inv
}

// pssBothNamespace names the namespace that enforces baseline and warns
// restricted at version v, the default modes: one evaluation there gives
// both levels' verdicts (see bothDisagreement).
func pssBothNamespace(v api.Version) string {
	return strings.ReplaceAll(fmt.Sprintf("pss-both-%s", v), ".", "-")
}

// ourFailing evaluates obj with the engine and returns the pod-security
// rules with deny findings, and every pod-security finding for messages.
func ourFailing(t testing.TB, e *Engine, obj map[string]any) (map[string]bool, []Finding) {
	t.Helper()
	fs, err := e.Evaluate(context.Background(), obj)
	require.NoError(t, err)
	out := map[string]bool{}
	var mine []Finding
	for _, f := range fs {
		if !strings.HasPrefix(f.RuleID, "pss-") {
			continue
		}
		mine = append(mine, f)
		if f.Severity == SeverityDeny {
			out[f.RuleID] = true
		}
	}
	return out, mine
}

// podSample is a pod's metadata and spec in the JSON form the API server
// stores and sends to webhooks.
type podSample struct {
	Annotations map[string]any
	Spec        map[string]any
}

// typed decodes the sample as the API server does (case-sensitive).
func (s podSample) typed(t testing.TB) (*metav1.ObjectMeta, *corev1.PodSpec) {
	t.Helper()
	meta := &metav1.ObjectMeta{}
	for k, v := range s.Annotations {
		if meta.Annotations == nil {
			meta.Annotations = map[string]string{}
		}
		meta.Annotations[k] = fmt.Sprint(v)
	}
	spec := &corev1.PodSpec{}
	raw, err := json.Marshal(s.Spec)
	require.NoError(t, err)
	require.NoError(t, sigsjson.UnmarshalCaseSensitivePreserveInts(raw, spec))
	return meta, spec
}

// object wraps the sample in kind (a workload kind) in namespace ns.
func (s podSample) object(kind, ns string) map[string]any {
	meta := map[string]any{"name": "sample"}
	if len(s.Annotations) > 0 {
		meta["annotations"] = s.Annotations
	}
	template := map[string]any{"metadata": meta, "spec": s.Spec}
	obj := map[string]any{"metadata": map[string]any{"name": "sample", "namespace": ns}}
	switch kind {
	case "Pod":
		obj["apiVersion"] = "v1"
		meta["namespace"] = ns
		obj["metadata"] = meta
		obj["spec"] = s.Spec
	case "CronJob":
		obj["apiVersion"] = "batch/v1"
		obj["spec"] = map[string]any{"schedule": "@daily", "jobTemplate": map[string]any{"spec": map[string]any{"template": template}}}
	case "ReplicationController":
		obj["apiVersion"] = "v1"
		obj["spec"] = map[string]any{"selector": map[string]any{"app": "x"}, "template": template}
	case "Job":
		obj["apiVersion"] = "batch/v1"
		obj["spec"] = map[string]any{"template": template}
	default:
		obj["apiVersion"] = "apps/v1"
		obj["spec"] = map[string]any{"selector": map[string]any{"matchLabels": map[string]any{"app": "x"}}, "template": template}
	}
	obj["kind"] = kind
	return obj
}

// disagreement compares both verdicts of sample at lv; "" when they agree.
// ruleVerdicts evaluates obj with the pod-security rules: the rules with
// deny findings, and every pod-security finding as text.
type ruleVerdicts func(t testing.TB, obj map[string]any) (denied, warned map[string]bool, msgs []string)

// viaEngine evaluates with the whole catalog through Engine.Evaluate.
func viaEngine(e *Engine) ruleVerdicts {
	return func(t testing.TB, obj map[string]any) (map[string]bool, map[string]bool, []string) {
		got, findings := ourFailing(t, e, obj)
		warned := map[string]bool{}
		var msgs []string
		for _, f := range findings {
			msgs = append(msgs, fmt.Sprintf("%s %s: %s (%s)", f.Severity, f.RuleID, f.Message, f.Field))
			if f.Severity == SeverityWarn {
				warned[f.RuleID] = true
			}
		}
		return got, warned, msgs
	}
}

// viaPodSecurityQuery evaluates only the pod-security rules, with the
// engine's compiled catalog, store (inventory) and input conversion: the
// same rules and data as Engine.Evaluate at a fraction of the cost, for
// the bulk of the generated samples.
func viaPodSecurityQuery(t testing.TB, e *Engine) ruleVerdicts {
	t.Helper()
	q, err := rego.New(rego.Compiler(e.compiler), rego.Store(e.store),
		rego.Query(`v := [[r, x] | x := data.feastflow.rules.pod_security[r].violation[_]]`)).PrepareForEval(context.Background())
	require.NoError(t, err)
	return func(t testing.TB, obj map[string]any) (map[string]bool, map[string]bool, []string) {
		ref := e.ObjectRef(obj)
		input, err := e.input(obj, ref.Namespace, Validation{})
		require.NoError(t, err)
		rs, err := q.Eval(context.Background(), rego.EvalParsedInput(input))
		require.NoError(t, err)
		require.Len(t, rs, 1)
		got, warned := map[string]bool{}, map[string]bool{}
		var msgs []string
		for _, item := range rs[0].Bindings["v"].([]any) {
			pair := item.([]any)
			rule := ruleByPackage(e, rulePackagePrefix+"pod_security."+pair[0].(string))
			require.NotNil(t, rule, pair[0])
			v := pair[1].(map[string]any)
			msgs = append(msgs, fmt.Sprintf("%s %s: %s", v["severity"], rule.ID, v["msg"]))
			if v["severity"] == string(SeverityDeny) {
				got[rule.ID] = true
			} else {
				warned[rule.ID] = true
			}
		}
		return got, warned, msgs
	}
}

// bothDisagreement compares s at both levels of version v from one
// evaluation in the baseline-enforce, restricted-warn namespace: the
// baseline verdicts are the deny findings; the restricted ones are the
// warn findings plus the denied controls PSA also checks at restricted.
func bothDisagreement(t testing.TB, ours ruleVerdicts, ref *psaReference, s podSample, kind string, v api.Version) string {
	t.Helper()
	meta, spec := s.typed(t)
	if kind == "Pod" {
		defaultPod(spec)
	}
	baseline := api.LevelVersion{Level: api.LevelBaseline, Version: v}
	restricted := api.LevelVersion{Level: api.LevelRestricted, Version: v}
	wantBaseline := ref.failing(t, baseline, meta, spec)
	wantRestricted := ref.failing(t, restricted, meta, spec)
	denied, warned, msgs := ours(t, s.object(kind, pssBothNamespace(v)))
	gotRestricted := map[string]bool{}
	for id := range warned {
		gotRestricted[id] = true
	}
	atRestricted := ref.rulesAt(restricted)
	for id := range denied {
		if atRestricted[id] {
			gotRestricted[id] = true
		}
	}
	if equalSets(wantBaseline, denied) && equalSets(wantRestricted, gotRestricted) {
		return ""
	}
	return fmt.Sprintf("at baseline and restricted %s as a %s: PSA fails %v and %v, the rules find %v and %v\nfindings:\n  %s",
		v, kind, sortedSet(wantBaseline), sortedSet(wantRestricted), sortedSet(denied), sortedSet(gotRestricted), strings.Join(msgs, "\n  "))
}

func disagreement(t testing.TB, ours ruleVerdicts, ref *psaReference, s podSample, kind string, lv api.LevelVersion) string {
	t.Helper()
	meta, spec := s.typed(t)
	if kind == "Pod" {
		defaultPod(spec)
	}
	want := ref.failing(t, lv, meta, spec)
	got, _, msgs := ours(t, s.object(kind, pssNamespace(lv)))
	if equalSets(want, got) {
		return ""
	}
	return fmt.Sprintf("at %s as a %s: PSA fails %v, the rules deny %v\nfindings:\n  %s",
		lv, kind, sortedSet(want), sortedSet(got), strings.Join(msgs, "\n  "))
}

func equalSets(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// defaultPod applies the API server's Pod defaulting that PSS checks
// look at: with hostNetwork, a port's hostPort defaults to its
// containerPort, in containers and init containers
// (k8s.io/kubernetes pkg/apis/core/v1 SetDefaults_Pod, v1.37; pod
// templates are not defaulted). PSA runs on the defaulted Pod.
func defaultPod(spec *corev1.PodSpec) {
	if !spec.HostNetwork {
		return
	}
	for _, cs := range [][]corev1.Container{spec.Containers, spec.InitContainers} {
		for i := range cs {
			for j := range cs[i].Ports {
				if cs[i].Ports[j].HostPort == 0 {
					cs[i].Ports[j].HostPort = cs[i].Ports[j].ContainerPort
				}
			}
		}
	}
}

// ruleByPackage is the engine's rule of Rego package pkg, nil if none.
func ruleByPackage(e *Engine, pkg string) *Rule {
	for i := range e.cur().rules {
		if e.cur().rules[i].Package == pkg {
			return &e.cur().rules[i]
		}
	}
	return nil
}

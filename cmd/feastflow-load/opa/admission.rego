# METADATA
# title: The feastflow catalog as an OPA-server admission controller
# description: |
#   The classic alternative to feastflow-webhook: `opa run --server` with
#   `--set=default_decision=/feastflow_admission/main` answers the
#   AdmissionReviews the API server POSTs to its `/` (default decision)
#   endpoint, as in OPA's Kubernetes admission control setup. It evaluates
#   the same catalog (policies/lib and policies/rules) the way the webhook
#   does in enforce mode:
#     - the rule input is {"object", "namespace", "schema_errors"}, the
#       object getting the request's namespace when it names none;
#     - data.feastflow_catalog.rules[area][rule] holds the id and severity
#       of every rule that runs at admission (feastflow-load generates it
#       from the rules' # METADATA); violations of other rules are dropped;
#     - deny-severity findings deny, listing "[rule-id] message" in the
#       status message; the others are warnings.
#   Not covered, as the benchmark reviews need none of it: the Go-side
#   strict schema check (schema_errors is always empty), exemptions (the
#   webhook authorises them with a SubjectAccessReview), skipping Pods of
#   built-in controllers, and the API server's warning length limits.
package feastflow_admission

request := input.request

checked if request.operation in {"CREATE", "UPDATE"}

raw_object := request.object

object_namespace := ns if {
	ns := raw_object.metadata.namespace
	is_string(ns)
	ns != ""
}

# namespace is the object's, else the request's, else "default".
namespace := ns if {
	ns := object_namespace
} else := ns if {
	ns := request.namespace
	ns != ""
} else := "default"

rule_object := raw_object if object_namespace

rule_object := object.union(raw_object, {"metadata": object.union(object.get(raw_object, "metadata", {}), {"namespace": request.namespace})}) if {
	not object_namespace
	request.namespace != ""
}

rule_object := raw_object if {
	not object_namespace
	object.get(request, "namespace", "") == ""
}

rule_input := {"object": rule_object, "namespace": namespace, "schema_errors": []}

violations := vs if {
	vs := [[area, rule, v] | some area, rule; v := data.feastflow.rules[area][rule].violation[_]] with input as rule_input
}

findings contains {"id": meta.id, "severity": object.get(v, "severity", meta.severity), "msg": v.msg} if {
	checked
	some [area, rule, v] in violations
	meta := data.feastflow_catalog.rules[area][rule]
}

deny := sort([sprintf("[%s] %s", [f.id, f.msg]) | some f in findings; f.severity == "deny"])

warnings := sort([sprintf("[%s] %s", [f.id, f.msg]) | some f in findings; f.severity != "deny"])

policies_word := "policy" if count(deny) == 1 else := "policies"

message := sprintf("%s %s/%s violates %d feastflow %s: %s", [
	object.get(raw_object, "kind", ""), namespace, object.get(raw_object, ["metadata", "name"], ""),
	count(deny), policies_word, concat("; ", deny),
])

response := r if {
	count(deny) > 0
	r := {"uid": request.uid, "allowed": false, "status": {"code": 403, "reason": "Forbidden", "message": message}, "warnings": warnings}
} else := {"uid": request.uid, "allowed": true, "status": {"code": 200}, "warnings": warnings}

main := {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response}

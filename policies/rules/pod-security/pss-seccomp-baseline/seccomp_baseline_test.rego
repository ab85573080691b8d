package feastflow.rules.pod_security.seccomp_baseline_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.seccomp_baseline as r

test_unconfined_denied if {
	c := h.container({"securityContext": {"seccompProfile": {"type": "Unconfined"}}})
	{[f.path, f.severity] | some f in r.violation} == {[array.concat(h.c0, ["securityContext", "seccompProfile"]), "deny"]} with input as h.deployment(h.spec({"containers": [c]}))
}

test_annotations_before_v1_19 if {
	d := h.deployment(h.spec({}))
	ann := {"seccomp.security.alpha.kubernetes.io/pod": "unconfined", "container.seccomp.security.alpha.kubernetes.io/other": "unconfined"}
	d2 := json.patch(d, [{"op": "add", "path": "/object/spec/template/metadata/annotations", "value": ann}])
	count(r.violation) == 0 with input as d2
	{f.path | some f in r.violation} == {["spec", "template", "metadata", "annotations", "seccomp.security.alpha.kubernetes.io/pod"]} with input as d2 with data.inventory as h.enforce("baseline", "v1.18")
}

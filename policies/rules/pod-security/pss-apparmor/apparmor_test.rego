package feastflow.rules.pod_security.apparmor_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.apparmor as r

test_unconfined_denied if {
	s := h.spec({
		"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}, "appArmorProfile": {"type": "Unconfined"}},
		"containers": [h.container({"securityContext": {"appArmorProfile": {"type": "Localhost", "localhostProfile": "p"}}})],
	})
	{f.path | some f in r.violation} == {["spec", "template", "spec", "securityContext", "appArmorProfile"]} with input as h.deployment(s)
}

test_annotations_are_checked_without_printing_values if {
	d := h.deployment(h.spec({}))
	ann := {"container.apparmor.security.beta.kubernetes.io/app": "s3cr3t-value", "container.apparmor.security.beta.kubernetes.io/ok": "localhost/p"}
	d2 := json.patch(d, [{"op": "add", "path": "/object/spec/template/metadata/annotations", "value": ann}])
	fs := r.violation with input as d2
	count(fs) == 1
	some f in fs
	not contains(f.msg, "s3cr3t")
}

package feastflow.rules.pod_security.run_as_user_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.run_as_user as r

test_root_user_warns if {
	s := h.spec({"securityContext": {"runAsNonRoot": true, "runAsUser": 0}})
	{[f.path, f.severity] | some f in r.violation} == {[["spec", "template", "spec", "securityContext", "runAsUser"], "warn"]} with input as h.deployment(s)
}

test_not_checked_before_v1_23 if {
	c := h.container({"securityContext": {"runAsUser": 0}})
	count(r.violation) == 0 with input as h.deployment(h.spec({"containers": [c]})) with data.inventory as h.only("restricted", "v1.22")
}

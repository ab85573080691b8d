package feastflow.rules.pod_security.privilege_escalation_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.privilege_escalation as r

test_unset_warns if {
	c := {"name": "app", "image": "app:1", "securityContext": {"capabilities": {"drop": ["ALL"]}}}
	r.violation == {{
		"msg": "container \"app\" must set securityContext.allowPrivilegeEscalation=false (PodSecurity \"restricted:latest\")",
		"path": array.concat(h.c0, ["securityContext"]),
		"severity": "warn",
	}} with input as h.deployment(h.spec({"containers": [c]}))
}

test_windows_pods_exempt_from_v1_25 if {
	c := {"name": "app", "image": "app:1"}
	d := h.deployment(h.spec({"os": {"name": "windows"}, "containers": [c]}))
	count(r.violation) == 0 with input as d
	count(r.violation) == 1 with input as d with data.inventory as h.enforce("restricted", "v1.24")
}

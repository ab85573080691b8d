package feastflow.rules.pod_security.capabilities_baseline_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.capabilities_baseline as r

test_non_default_capabilities_denied if {
	c := h.container({"securityContext": {"capabilities": {"add": ["CHOWN", "SYS_ADMIN"]}}})
	r.violation == {{
		"msg": "container \"app\" must not add capability \"SYS_ADMIN\" (PodSecurity \"baseline:latest\")",
		"path": array.concat(h.c0, ["securityContext", "capabilities", "add", 1]),
		"severity": "deny",
	}} with input as h.deployment(h.spec({"containers": [c]}))
}

test_restricted_replaces_it if {
	c := h.container({"securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}})
	count(r.violation) == 0 with input as h.deployment(h.spec({"containers": [c]})) with data.inventory as h.enforce("restricted", "latest")
}

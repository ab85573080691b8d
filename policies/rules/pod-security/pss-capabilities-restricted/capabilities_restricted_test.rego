package feastflow.rules.pod_security.capabilities_restricted_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.capabilities_restricted as r

test_missing_drop_all_and_added_capability_warn if {
	c := h.container({"securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["NET_RAW"], "add": ["NET_BIND_SERVICE", "CHOWN"]}}})
	{[f.path, f.severity] | some f in r.violation} == {
		[array.concat(h.c0, ["securityContext", "capabilities", "drop"]), "warn"],
		[array.concat(h.c0, ["securityContext", "capabilities", "add", 1]), "warn"],
	} with input as h.deployment(h.spec({"containers": [c]}))
}

test_drop_all_passes if {
	count(r.violation) == 0 with input as h.deployment(h.spec({}))
}

package feastflow.rules.pod_security.host_namespaces_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.host_namespaces as r

test_host_namespaces_denied if {
	d := h.deployment(h.spec({"hostNetwork": true, "hostPID": true, "hostIPC": false}))
	{[f.path, f.severity] | some f in r.violation} == {
		[["spec", "template", "spec", "hostNetwork"], "deny"],
		[["spec", "template", "spec", "hostPID"], "deny"],
	} with input as d
}

test_false_passes if {
	count(r.violation) == 0 with input as h.deployment(h.spec({"hostNetwork": false}))
}

package feastflow.rules.pod_security.sysctls_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.sysctls as r

test_unsafe_sysctl_denied if {
	s := h.spec({"securityContext": {"runAsNonRoot": true, "sysctls": [{"name": "kernel.shm_rmid_forced", "value": "1"}, {"name": "kernel.msgmax", "value": "1"}]}})
	r.violation == {{
		"msg": "pod must not set sysctl \"kernel.msgmax\" (PodSecurity \"baseline:latest\")",
		"path": ["spec", "template", "spec", "securityContext", "sysctls", 1],
		"severity": "deny",
	}} with input as h.deployment(s)
}

test_safe_set_grows_with_versions if {
	s := h.spec({"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_rmem", "value": "1"}]}})
	count(r.violation) == 0 with input as h.deployment(s)
	count(r.violation) == 1 with input as h.deployment(s) with data.inventory as h.enforce("baseline", "v1.31")
}

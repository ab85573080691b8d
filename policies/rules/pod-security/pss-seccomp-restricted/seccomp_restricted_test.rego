package feastflow.rules.pod_security.seccomp_restricted_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.seccomp_restricted as r

test_missing_profile_warns if {
	s := {"securityContext": {"runAsNonRoot": true}, "containers": [h.container({})]}
	{[f.path, f.severity] | some f in r.violation} == {[array.concat(h.c0, ["securityContext"]), "warn"]} with input as h.deployment(s)
}

test_container_profile_is_enough if {
	s := {"containers": [h.container({"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "p"}}})]}
	count(r.violation) == 0 with input as h.deployment(s)
}

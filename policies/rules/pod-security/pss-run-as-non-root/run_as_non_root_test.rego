package feastflow.rules.pod_security.run_as_non_root_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.run_as_non_root as r

test_unset_warns_explicit_false_too if {
	s := {"containers": [h.container({}), h.container({"name": "b", "securityContext": {"runAsNonRoot": false}})]}
	{[f.msg, f.severity] | some f in r.violation} == {
		["pod or container \"app\" must set securityContext.runAsNonRoot=true (PodSecurity \"restricted:latest\")", "warn"],
		["container \"b\" must not set securityContext.runAsNonRoot=false (PodSecurity \"restricted:latest\")", "warn"],
	} with input as h.deployment(s)
}

test_pod_level_covers_containers if {
	count(r.violation) == 0 with input as h.deployment(h.spec({}))
}

test_user_namespaces_exempt_from_v1_35 if {
	d := h.deployment({"hostUsers": false, "containers": [h.container({})]})
	count(r.violation) == 0 with input as d
	count(r.violation) == 1 with input as d with data.inventory as h.enforce("restricted", "v1.34")
}

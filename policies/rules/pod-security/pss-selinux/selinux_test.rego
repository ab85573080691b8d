package feastflow.rules.pod_security.selinux_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.selinux as r

test_user_role_and_type_denied if {
	c := h.container({"securityContext": {"seLinuxOptions": {"user": "system_u", "role": "r", "type": "spc_t"}}})
	{f.path | some f in r.violation} == {
		array.concat(h.c0, ["securityContext", "seLinuxOptions", "user"]),
		array.concat(h.c0, ["securityContext", "seLinuxOptions", "role"]),
		array.concat(h.c0, ["securityContext", "seLinuxOptions", "type"]),
	} with input as h.deployment(h.spec({"containers": [c]}))
}

test_container_engine_t_from_v1_31 if {
	c := h.container({"securityContext": {"seLinuxOptions": {"type": "container_engine_t"}}})
	d := h.deployment(h.spec({"containers": [c]}))
	count(r.violation) == 0 with input as d
	count(r.violation) == 1 with input as d with data.inventory as h.enforce("baseline", "v1.30")
}

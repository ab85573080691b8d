package feastflow.rules.pod_security.proc_mount_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.proc_mount as r

test_unmasked_denied if {
	c := h.container({"securityContext": {"procMount": "Unmasked"}})
	r.violation == {{
		"msg": "container \"app\" must not set securityContext.procMount to \"Unmasked\" (PodSecurity \"baseline:latest\")",
		"path": array.concat(h.c0, ["securityContext", "procMount"]),
		"severity": "deny",
	}} with input as h.deployment(h.spec({"containers": [c]}))
}

test_user_namespaces_relax_baseline_only if {
	c := h.container({"securityContext": {"procMount": "Unmasked"}})
	d := h.deployment(h.spec({"hostUsers": false, "containers": [c]}))
	{f.severity | some f in r.violation} == {"warn"} with input as d
}

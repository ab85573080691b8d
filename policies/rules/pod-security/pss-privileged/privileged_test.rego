package feastflow.rules.pod_security.privileged_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.privileged as r

test_privileged_container_denied if {
	d := h.deployment(h.spec({"containers": [h.container({"securityContext": {"privileged": true}})]}))
	r.violation == {{
		"msg": "container \"app\" must not set securityContext.privileged=true (PodSecurity \"baseline:latest\")",
		"path": array.concat(h.c0, ["securityContext", "privileged"]),
		"severity": "deny",
	}} with input as d
}

test_unprivileged_passes if {
	count(r.violation) == 0 with input as h.deployment(h.spec({"containers": [h.container({"securityContext": {"privileged": false}})]}))
}

test_init_sidecar_and_ephemeral_containers_are_checked if {
	bad := {"name": "x", "securityContext": {"privileged": true}}
	s := h.spec({"initContainers": [object.union(bad, {"restartPolicy": "Always"})], "ephemeralContainers": [bad]})
	{f.path | some f in r.violation} == {["spec", "initContainers", 0, "securityContext", "privileged"], ["spec", "ephemeralContainers", 0, "securityContext", "privileged"]} with input as h.pod(s)
}

test_privileged_namespace_reports_nothing if {
	d := h.deployment(h.spec({"containers": [h.container({"securityContext": {"privileged": true}})]}))
	count(r.violation) == 0 with input as d with data.inventory as h.inventory({"pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/warn": "privileged"})
}

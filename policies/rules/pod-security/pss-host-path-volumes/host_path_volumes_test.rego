package feastflow.rules.pod_security.host_path_volumes_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.host_path_volumes as r

test_host_path_denied if {
	d := h.deployment(h.spec({"volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "root", "hostPath": {"path": "/"}}]}))
	r.violation == {{
		"msg": "volume \"root\" must not use hostPath (PodSecurity \"baseline:latest\")",
		"path": ["spec", "template", "spec", "volumes", 1, "hostPath"],
		"severity": "deny",
	}} with input as d
}

test_restricted_leaves_host_path_to_volume_types if {
	d := h.deployment(h.spec({"volumes": [{"name": "root", "hostPath": {"path": "/"}}]}))
	count(r.violation) == 0 with input as d with data.inventory as h.enforce("restricted", "latest")
}

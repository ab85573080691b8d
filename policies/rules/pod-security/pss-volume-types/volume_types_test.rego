package feastflow.rules.pod_security.volume_types_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.volume_types as r

test_restricted_volume_types_warn if {
	s := h.spec({"volumes": [{"name": "ok", "configMap": {"name": "c"}}, {"name": "share", "nfs": {"server": "s", "path": "/"}}, {"name": "bare"}]})
	r.violation == {
		{"msg": "volume \"share\" must not use volume type \"nfs\" (PodSecurity \"restricted:latest\")", "path": ["spec", "template", "spec", "volumes", 1, "nfs"], "severity": "warn"},
		{"msg": "volume \"bare\" must not use volume type \"unknown\" (PodSecurity \"restricted:latest\")", "path": ["spec", "template", "spec", "volumes", 2], "severity": "warn"},
	} with input as h.deployment(s)
}

test_denied_where_restricted_is_enforced if {
	s := h.spec({"volumes": [{"name": "root", "hostPath": {"path": "/"}}]})
	{f.severity | some f in r.violation} == {"deny"} with input as h.deployment(s) with data.inventory as h.enforce("restricted", "latest")
}

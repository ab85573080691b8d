package feastflow.rules.pod_security.host_probes_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.host_probes as r

test_probe_and_hook_hosts_denied if {
	c := h.container({
		"livenessProbe": {"tcpSocket": {"host": "10.0.0.1", "port": 80}},
		"lifecycle": {"preStop": {"httpGet": {"host": "example.com", "path": "/", "port": 80}}},
	})
	{f.path | some f in r.violation} == {
		array.concat(h.c0, ["livenessProbe", "tcpSocket", "host"]),
		array.concat(h.c0, ["lifecycle", "preStop", "httpGet", "host"]),
	} with input as h.deployment(h.spec({"containers": [c]}))
}

test_not_checked_before_v1_34 if {
	c := h.container({"readinessProbe": {"httpGet": {"host": "10.0.0.1", "port": 80}}})
	count(r.violation) == 0 with input as h.deployment(h.spec({"containers": [c]}))
		with data.inventory as h.inventory({"pod-security.kubernetes.io/enforce-version": "v1.33", "pod-security.kubernetes.io/warn-version": "v1.33"})
}

test_messages_do_not_print_the_host if {
	c := h.container({"readinessProbe": {"httpGet": {"host": "internal.example.com", "port": 80}}})
	some f in r.violation with input as h.deployment(h.spec({"containers": [c]}))
	not contains(f.msg, "internal.example.com")
}

package feastflow.rules.pod_security.host_ports_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.host_ports as r

test_host_port_denied if {
	d := h.deployment(h.spec({"containers": [h.container({"ports": [{"containerPort": 80}, {"containerPort": 8080, "hostPort": 8080}]})]}))
	r.violation == {{
		"msg": "container \"app\" must not set ports[1].hostPort (8080) (PodSecurity \"baseline:latest\")",
		"path": array.concat(h.c0, ["ports", 1, "hostPort"]),
		"severity": "deny",
	}} with input as d
}

test_zero_and_null_host_ports_pass if {
	d := h.deployment(h.spec({"containers": [h.container({"ports": [{"containerPort": 80, "hostPort": 0}, {"containerPort": 81, "hostPort": null}]})]}))
	count(r.violation) == 0 with input as d
}

test_host_network_pods_get_host_ports_by_default if {
	s := h.spec({"hostNetwork": true, "containers": [h.container({"ports": [{"containerPort": 8080}]})]})
	{f.path | some f in r.violation} == {["spec", "containers", 0, "ports", 0]} with input as h.pod(s)
	count(r.violation) == 0 with input as h.deployment(s)
}

# METADATA
# title: Containers must not use host ports
# description: |
#   A hostPort binds the container to a port of its node's network
#   interfaces, bypassing NetworkPolicies and limiting scheduling to nodes
#   where the port is free. This is the baseline control PSA checks as
#   hostPorts.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#host-ports
#     description: Pod Security Standards
# custom:
#   id: pss-host-ports
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove ports[].hostPort (or set it to 0) and reach the container
#     through a Service.
package feastflow.rules.pod_security.host_ports

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

violation contains pss.finding(msg, array.concat(c.path, ["ports", j, "hostPort"]), pss.mode_of("pss-host-ports")) if {
	workload.is_workload
	some c in pss.containers
	some j, p in c.container.ports
	port := p.hostPort
	is_number(port)
	port != 0
	msg := sprintf("container %q must not set ports[%d].hostPort (%d)", [pss.name(c), j, port])
}

# The API server defaults a Pod's hostPort to its containerPort when the
# Pod uses hostNetwork (k8s.io/kubernetes pkg/apis/core/v1 SetDefaults_Pod:
# containers and init containers; pod templates are not defaulted), so
# PSA sees a host port there even when the manifest sets none.
violation contains pss.finding(msg, array.concat(c.path, ["ports", j]), pss.mode_of("pss-host-ports")) if {
	workload.is_workload
	workload.pod_spec.hostNetwork == true
	input.object.kind == "Pod"
	some c in workload.all_containers
	some j, p in c.container.ports
	not has_host_port(p)
	port := p.containerPort
	is_number(port)
	port != 0
	msg := sprintf("container %q will use hostPort %d: with hostNetwork, ports[%d].hostPort defaults to containerPort", [pss.name(c), port, j])
}

has_host_port(p) if {
	is_number(p.hostPort)
	p.hostPort != 0
}

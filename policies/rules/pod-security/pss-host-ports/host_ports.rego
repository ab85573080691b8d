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

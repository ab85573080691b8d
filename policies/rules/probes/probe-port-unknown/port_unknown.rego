# METADATA
# title: Named probe ports must be port names of the container
# description: |
#   A liveness, readiness or startup probe whose httpGet or tcpSocket port
#   is a name resolves it among the ports of its own container, as the
#   kubelet does; when no port of the container has that name the probe
#   cannot run at all and always fails, so the container is restarted or
#   never becomes ready. A numbered port needs no declaration: the kubelet
#   probes the pod IP on that port whatever `ports` lists (it is
#   informational). Native sidecars (init containers with restartPolicy
#   Always) are checked like app containers, in every kind of workload.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port
#     description: Use a named port
# custom:
#   id: probe-port-unknown
#   kinds: [workloads]
#   severity: deny
#   remediation: |
#     Name one of the container's `ports` as the probe says, or point the
#     probe at the port's name (or number) as declared.
package feastflow.rules.probes.port_unknown

import data.feastflow.lib.probes
import data.feastflow.lib.workload

# probe_ports: each probe field with each handler that takes a named
# port, one list iterated once (grpc ports are numbers only).
probe_ports := [
	["livenessProbe", "httpGet"], ["livenessProbe", "tcpSocket"],
	["readinessProbe", "httpGet"], ["readinessProbe", "tcpSocket"],
	["startupProbe", "httpGet"], ["startupProbe", "tcpSocket"],
]

violation contains {"msg": msg, "path": array.concat(c.path, [probe, handler, "port"])} if {
	workload.is_workload
	some c in workload.app_containers
	some [probe, handler] in probe_ports
	port := c.container[probe][handler].port
	is_string(port)
	not named(c.container, port)
	msg := sprintf("%s %s %s port %q matches no port name of the container", [probes.subject(c), probe, handler, port])
}

# named(container, port): some port of the container has that name.
named(container, port) if {
	some p in container.ports
	p.name == port
}

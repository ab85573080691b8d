# METADATA
# title: Probe ports must be ports of the container
# description: |
#   A liveness, readiness or startup probe whose httpGet, tcpSocket or grpc
#   port is not declared by the container probes the wrong port or, for a
#   named port, cannot run at all: the probe then always fails, and the
#   container is restarted or never becomes ready. Named ports must be the
#   name of one of the container's ports, numbered ports one of its
#   containerPorts. Jobs, CronJobs, run-to-completion Pods and init
#   containers are not checked, nor are probes of another host.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port
#     description: Use a named port
# custom:
#   id: probe-port-unknown
#   severity: deny
#   remediation: |
#     Point the probe at a port the container declares in `ports`: by its
#     name (preferred, so the probe follows the port when it changes) or by
#     its containerPort; or declare the missing port.
package feastflow.rules.probes.port_unknown

import data.feastflow.lib.workload

probe_fields := ["livenessProbe", "readinessProbe", "startupProbe"]

handlers := ["httpGet", "tcpSocket", "grpc"]

violation contains {"msg": msg, "path": array.concat(c.path, [probe, handler, "port"])} if {
	workload.long_running
	some c in workload.containers
	some probe in probe_fields
	some handler in handlers
	action := c.container[probe][handler]
	port := action.port
	not declared(c.container, port)
	not other_host(action)
	msg := message(c.container.name, probe, handler, port)
}

# declared(container, port): a named port is the name of one of the
# container's ports, a numbered port one of its containerPorts. A port of
# another type is the schema rule's business.
declared(container, port) if {
	is_string(port)
	some p in container.ports
	p.name == port
}

declared(container, port) if {
	is_number(port)
	some p in container.ports
	p.containerPort == port
}

declared(_, port) if {
	not is_string(port)
	not is_number(port)
}

# other_host(action): the probe targets another host, whose ports the
# container does not declare.
other_host(action) if action.host != ""

message(name, probe, handler, port) := sprintf("container %q %s %s port %q matches no port name of the container", [name, probe, handler, port]) if is_string(port)

message(name, probe, handler, port) := sprintf("container %q %s %s port %v matches no containerPort of the container", [name, probe, handler, port]) if is_number(port)

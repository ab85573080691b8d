# METADATA
# title: Probes and lifecycle hooks must not name a host
# description: |
#   A probe or lifecycle handler with httpGet.host or tcpSocket.host makes
#   the kubelet connect to any address the pod names, from the node's
#   network (PSS v1.34 and later). This is the baseline control PSA checks
#   as hostProbesAndHostLifecycle.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#host-probes-lifecycle-hooks
#     description: Pod Security Standards
# custom:
#   id: pss-host-probes
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove httpGet.host and tcpSocket.host from the probe or lifecycle
#     handler: the kubelet then connects to the pod's own IP.
package feastflow.rules.pod_security.host_probes

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

violation contains pss.finding(msg, array.concat(c.path, [field, action, "host"]), pss.mode_of("pss-host-probes")) if {
	workload.is_workload
	some c in pss.containers
	some field in ["livenessProbe", "readinessProbe", "startupProbe"]
	probe := c.container[field]
	some action in ["httpGet", "tcpSocket"]
	host := probe[action].host
	is_string(host)
	host != ""
	msg := sprintf("container %q must not set %s.%s.host", [pss.name(c), field, action])
}

violation contains pss.finding(msg, array.concat(c.path, ["lifecycle", phase, action, "host"]), pss.mode_of("pss-host-probes")) if {
	workload.is_workload
	some c in pss.containers
	some phase in ["postStart", "preStop"]
	handler := c.container.lifecycle[phase]
	some action in ["httpGet", "tcpSocket"]
	host := handler[action].host
	is_string(host)
	host != ""
	msg := sprintf("container %q must not set lifecycle.%s.%s.host", [pss.name(c), phase, action])
}

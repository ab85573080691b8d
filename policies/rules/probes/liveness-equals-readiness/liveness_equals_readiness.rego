# METADATA
# title: Liveness and readiness probes should differ
# description: |
#   A liveness probe identical to the readiness probe restarts a container
#   whenever it is merely unable to serve for a while (overloaded, a
#   dependency down), which turns a brief outage into a restart loop across
#   every replica. Liveness should check that the process is alive and
#   fail later than readiness. The probes are compared as the kubelet runs
#   them: after defaulting (periodSeconds 10, timeoutSeconds 1,
#   successThreshold 1, failureThreshold 3, httpGet path / and scheme HTTP)
#   and with named ports resolved, so `port: http` and `port: 8080` for
#   the same port are the same probe. Native sidecars are checked like app
#   containers; Jobs, CronJobs and run-to-completion Pods are not.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
#     description: Configure liveness, readiness and startup probes
# custom:
#   id: liveness-equals-readiness
#   kinds: [workloads]
#   severity: warn
#   remediation: |
#     Give the liveness probe its own check that only fails when the process
#     is stuck (for example a /livez endpoint that does not call the
#     database), or at least a higher failureThreshold or periodSeconds than
#     the readiness probe.
package feastflow.rules.probes.liveness_equals_readiness

import data.feastflow.lib.probes
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": array.concat(c.path, ["livenessProbe"])} if {
	workload.long_running
	some c in workload.app_containers
	not probes.different_http_paths(c.container.livenessProbe, c.container.readinessProbe)
	probes.same_handler(c.container.livenessProbe, c.container.readinessProbe)
	liveness := probes.normalized(c.container, c.container.livenessProbe)
	liveness == probes.normalized(c.container, c.container.readinessProbe)
	msg := sprintf("%s has a livenessProbe identical to its readinessProbe", [probes.subject(c)])
}

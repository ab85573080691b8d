# METADATA
# title: Containers of long-running workloads need a readiness probe
# description: |
#   Without a readiness probe a container is sent traffic as soon as it
#   starts, before it can serve, and keeps receiving it while it is
#   overloaded or has lost a dependency; rollouts also proceed without
#   waiting for new Pods to be able to serve. Jobs, CronJobs,
#   run-to-completion Pods and init containers are not checked.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-readiness-probes
#     description: Define readiness probes
# custom:
#   id: readiness-probe-required
#   kinds: [workloads]
#   severity: deny
#   remediation: |
#     Add readinessProbe to the container: usually an httpGet on an
#     endpoint that answers only when the container can serve requests,
#     or a tcpSocket on the serving port.
package feastflow.rules.probes.readiness_required

import data.feastflow.lib.probes
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": probes.missing_path(c, "readinessProbe")} if {
	workload.long_running
	some c in workload.app_containers
	object.get(c.container, "readinessProbe", null) in {null, false} # absent or null: probes.missing, inline
	msg := sprintf("%s has no readinessProbe%s", [probes.subject(c), probes.missing_reason(c.container, "readinessProbe")])
}

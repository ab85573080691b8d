# METADATA
# title: Containers of long-running workloads need a liveness probe
# description: |
#   Without a liveness probe the kubelet cannot tell a hung process from a
#   healthy one, so a deadlocked container keeps receiving traffic and is
#   never restarted. Jobs, CronJobs and init containers are not checked.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
#     description: Configure liveness, readiness and startup probes
# custom:
#   id: liveness-probe-required
#   kinds: [workloads]
#   severity: deny
#   remediation: |
#     Add livenessProbe to the container: an httpGet on a health endpoint,
#     a tcpSocket on the serving port, or an exec command that fails when
#     the process is stuck.
package feastflow.rules.probes.liveness_required

import data.feastflow.lib.probes
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": probes.missing_path(c, "livenessProbe")} if {
	workload.long_running
	some c in workload.app_containers
	object.get(c.container, "livenessProbe", null) in {null, false} # absent or null: probes.missing, inline
	msg := sprintf("%s has no livenessProbe%s", [probes.subject(c), probes.missing_reason(c.container, "livenessProbe")])
}

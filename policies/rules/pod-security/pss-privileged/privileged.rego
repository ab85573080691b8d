# METADATA
# title: Containers must not be privileged
# description: |
#   A privileged container has every capability and every device of its
#   node: it can load kernel modules, read other pods' memory and escape
#   to the host. This is the baseline control PSA checks as privileged.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#privileged-containers
#     description: Pod Security Standards
# custom:
#   id: pss-privileged
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove securityContext.privileged or set it to false; add only the
#     single capability the process needs, if any.
package feastflow.rules.pod_security.privileged

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

violation contains pss.finding(msg, pss.sc_path(c, ["privileged"]), pss.mode_of("pss-privileged")) if {
	workload.is_workload
	some c in pss.containers
	c.container.securityContext.privileged == true
	msg := sprintf("container %q must not set securityContext.privileged=true", [pss.name(c)])
}

# METADATA
# title: Containers must not allow privilege escalation
# description: |
#   Unless allowPrivilegeEscalation is false, a process can gain more
#   privileges than its parent (set-user-ID binaries, file capabilities).
#   Checked from PSS v1.8; Windows pods are exempt from v1.25. This is the
#   restricted control PSA checks as allowPrivilegeEscalation.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#privilege-escalation
#     description: Pod Security Standards
# custom:
#   id: pss-privilege-escalation
#   severity: warn
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Set securityContext.allowPrivilegeEscalation: false on every
#     container.
package feastflow.rules.pod_security.privilege_escalation

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

violation contains pss.finding(msg, pss.field_path(c, "allowPrivilegeEscalation"), mode) if {
	workload.is_workload
	some c in pss.containers
	not c.container.securityContext.allowPrivilegeEscalation == false
	some mode in pss.modes("pss-privilege-escalation")
	not exempt(mode)
	not reported(mode)
	msg := sprintf("container %q must set securityContext.allowPrivilegeEscalation=false", [pss.name(c)])
}

# exempt: PSA 1.25+ does not check Windows pods.
exempt(mode) if {
	mode.minor >= 25
	pss.windows
}

reported(mode) if {
	pss.enforce_checks("pss-privilege-escalation", mode)
	not exempt(pss.enforce)
}

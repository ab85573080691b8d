# METADATA
# title: Containers must use the default /proc mount
# description: |
#   procMount Unmasked exposes the host's /proc paths the runtime masks.
#   From PSS v1.35 the baseline level allows it in pods with their own
#   user namespace (hostUsers: false); restricted never does. This is the
#   baseline control PSA checks as procMount, procMount_restricted.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#proc-mount-type
#     description: Pod Security Standards
# custom:
#   id: pss-proc-mount
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove securityContext.procMount or set it to Default.
package feastflow.rules.pod_security.proc_mount

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

violation contains pss.finding(msg, pss.sc_path(c, ["procMount"]), mode) if {
	workload.is_workload
	some c in pss.containers
	proc := c.container.securityContext.procMount
	proc != null
	proc != "Default"
	some mode in pss.modes("pss-proc-mount")
	not relaxed(mode)
	not reported(mode)
	msg := sprintf("container %q must not set securityContext.procMount to %q", [pss.name(c), proc])
}

# relaxed: PSA 1.35+ allows other procMounts at baseline for pods with hostUsers false.
relaxed(mode) if {
	mode.level == "baseline"
	mode.minor >= 35
	pss.user_namespace
}

reported(mode) if {
	pss.enforce_checks("pss-proc-mount", mode)
	not relaxed(pss.enforce)
}

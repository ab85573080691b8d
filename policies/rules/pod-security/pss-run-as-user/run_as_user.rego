# METADATA
# title: Containers must not run as user 0
# description: |
#   runAsUser: 0 runs the container's processes as root. Checked from PSS
#   v1.23; from v1.35 pods with their own user namespace (hostUsers:
#   false) are exempt. This is the restricted control PSA checks as
#   runAsUser.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#users
#     description: Pod Security Standards
# custom:
#   id: pss-run-as-user
#   severity: warn
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Set securityContext.runAsUser to a non-zero user id, or remove it and
#     use an image that runs as a non-root user.
package feastflow.rules.pod_security.run_as_user

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

violation contains pss.finding("pod must not set securityContext.runAsUser=0", array.concat(pss.pod_sc_path, ["runAsUser"]), mode) if {
	workload.is_workload
	pss.pod_sc.runAsUser == 0
	some mode in checked_modes
}

violation contains pss.finding(msg, pss.sc_path(c, ["runAsUser"]), mode) if {
	workload.is_workload
	some c in pss.containers
	c.container.securityContext.runAsUser == 0
	some mode in checked_modes
	msg := sprintf("container %q must not set securityContext.runAsUser=0", [pss.name(c)])
}

# checked_modes: the modes the control applies and is not exempt in, the
# warn mode only when the enforce mode does not report the same.
checked_modes := [mode |
	some mode in pss.modes("pss-run-as-user")
	not exempt(mode)
	not reported(mode)
]

# exempt: PSA 1.35+ does not check pods with hostUsers false.
exempt(mode) if {
	mode.minor >= 35
	pss.user_namespace
}

reported(mode) if {
	pss.enforce_checks("pss-run-as-user", mode)
	not exempt(pss.enforce)
}

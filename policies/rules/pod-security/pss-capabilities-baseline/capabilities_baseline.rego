# METADATA
# title: Containers must not add capabilities beyond the default set
# description: |
#   Capabilities beyond the container runtime's default set (SYS_ADMIN,
#   NET_ADMIN, NET_RAW, ...) give a container root powers over its node.
#   At the restricted level (v1.22 and later) pss-capabilities-restricted
#   replaces this rule. This is the baseline control PSA checks as
#   capabilities_baseline.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#capabilities
#     description: Pod Security Standards
# custom:
#   id: pss-capabilities-baseline
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove the capability from securityContext.capabilities.add; only
#     AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD,
#     NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT may
#     be added.
package feastflow.rules.pod_security.capabilities_baseline

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

allowed := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

violation contains pss.finding(msg, pss.sc_path(c, ["capabilities", "add", i]), pss.mode_of("pss-capabilities-baseline")) if {
	workload.is_workload
	some c in pss.containers
	some i, cap in c.container.securityContext.capabilities.add
	not cap in allowed
	msg := sprintf("container %q must not add capability %q", [pss.name(c), cap])
}

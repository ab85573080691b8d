# METADATA
# title: Containers must run as non-root
# description: |
#   Unless runAsNonRoot is true (on the pod or the container), the kubelet
#   starts a container whose image runs as root. From PSS v1.35 pods with
#   their own user namespace (hostUsers: false) are exempt. This is the
#   restricted control PSA checks as runAsNonRoot.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#users
#     description: Pod Security Standards
# custom:
#   id: pss-run-as-non-root
#   severity: warn
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Set securityContext.runAsNonRoot: true on the pod (or on every
#     container), with an image that runs as a non-zero user (or set
#     runAsUser).
package feastflow.rules.pod_security.run_as_non_root

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

# violation: the findings, looked for only when the pod-security screen
# (pss.suspects, lib/pod_security_screen.rego) suspects this control, as
# it does whenever found has any.
violation contains v if {
	pss.suspects["pss-run-as-non-root"]
	workload.is_workload
	some v in found
}

found contains pss.finding(msg, pss.pod_field_path("runAsNonRoot"), mode) if {
	pss.pod_sc.runAsNonRoot == false
	some mode in checked_modes
	msg := "pod must not set securityContext.runAsNonRoot=false"
}

found contains pss.finding(msg, pss.sc_path(c, ["runAsNonRoot"]), mode) if {
	some c in pss.containers
	c.container.securityContext.runAsNonRoot == false
	some mode in checked_modes
	msg := sprintf("container %q must not set securityContext.runAsNonRoot=false", [pss.name(c)])
}

found contains pss.finding(msg, pss.field_path(c, "runAsNonRoot"), mode) if {
	not pss.pod_sc.runAsNonRoot == true
	some c in pss.containers
	not sets_run_as_non_root(c)
	some mode in checked_modes
	msg := sprintf("pod or container %q must set securityContext.runAsNonRoot=true", [pss.name(c)])
}

# sets_run_as_non_root(c): c sets runAsNonRoot (a helper: OPA evaluates a
# negated call's arguments outside the negation).
sets_run_as_non_root(c) if is_boolean(c.container.securityContext.runAsNonRoot)

# checked_modes: the modes the control applies and is not exempt in, the
# warn mode only when the enforce mode does not report the same.
checked_modes := [mode |
	some mode in pss.modes("pss-run-as-non-root")
	not exempt(mode)
	not reported(mode)
]

# exempt: PSA 1.35+ does not check pods with hostUsers false.
exempt(mode) if {
	mode.minor >= 35
	pss.user_namespace
}

reported(mode) if {
	pss.enforce_checks("pss-run-as-non-root", mode)
	not exempt(pss.enforce)
}

# METADATA
# title: Pods must set a RuntimeDefault or Localhost seccomp profile
# description: |
#   The restricted level requires a seccomp profile on the pod or on every
#   container: RuntimeDefault (the runtime's default filter) or Localhost.
#   Checked from PSS v1.19; Windows pods are exempt from v1.25. This is
#   the restricted control PSA checks as seccompProfile_restricted.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#seccomp
#     description: Pod Security Standards
# custom:
#   id: pss-seccomp-restricted
#   severity: warn
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Set securityContext.seccompProfile.type: RuntimeDefault on the pod
#     (containers inherit it).
package feastflow.rules.pod_security.seccomp_restricted

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

# violation: the findings, looked for only when the pod-security screen
# (pss.suspects, lib/pod_security_screen.rego) suspects this control, as
# it does whenever found has any.
violation contains v if {
	pss.suspects["pss-seccomp-restricted"]
	workload.is_workload
	some v in found
}

allowed_types := {"RuntimeDefault", "Localhost"}

# pod_set: the pod sets an allowed profile, which containers inherit.
pod_set if pss.string_or_empty(pss.pod_sc.seccompProfile, "type") in allowed_types

found contains pss.finding(msg, array.concat(pss.pod_sc_path, ["seccompProfile"]), mode) if {
	profile := pss.pod_sc.seccompProfile
	is_object(profile)
	not pss.string_or_empty(profile, "type") in allowed_types
	some mode in checked_modes
	msg := `pod must not set securityContext.seccompProfile.type to other than "RuntimeDefault" or "Localhost"`
}

found contains pss.finding(msg, pss.sc_path(c, ["seccompProfile"]), mode) if {
	some c in pss.containers
	profile := c.container.securityContext.seccompProfile
	is_object(profile)
	not pss.string_or_empty(profile, "type") in allowed_types
	some mode in checked_modes
	msg := sprintf(`container %q must not set securityContext.seccompProfile.type to other than "RuntimeDefault" or "Localhost"`, [pss.name(c)])
}

found contains pss.finding(msg, pss.field_path(c, "seccompProfile"), mode) if {
	not pod_set
	some c in pss.containers
	not sets_profile(c)
	some mode in checked_modes
	msg := sprintf(`pod or container %q must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`, [pss.name(c)])
}

sets_profile(c) if is_object(c.container.securityContext.seccompProfile)

# checked_modes: the modes the control applies and is not exempt in, the
# warn mode only when the enforce mode does not report the same.
checked_modes := [mode |
	some mode in pss.modes("pss-seccomp-restricted")
	not exempt(mode)
	not reported(mode)
]

# exempt: PSA 1.25+ does not check Windows pods.
exempt(mode) if {
	mode.minor >= 25
	pss.windows
}

reported(mode) if {
	pss.enforce_checks("pss-seccomp-restricted", mode)
	not exempt(pss.enforce)
}

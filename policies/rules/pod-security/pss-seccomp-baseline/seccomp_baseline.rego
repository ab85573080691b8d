# METADATA
# title: Pods must not set an unconfined seccomp profile
# description: |
#   Seccomp filters the system calls a container may make; type Unconfined
#   removes the filter. Before PSS v1.19 the profile was set with
#   seccomp.security.alpha.kubernetes.io annotations, which that version
#   range checks instead. At the restricted level pss-seccomp-restricted
#   replaces this rule. This is the baseline control PSA checks as
#   seccompProfile_baseline.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#seccomp
#     description: Pod Security Standards
# custom:
#   id: pss-seccomp-baseline
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Set securityContext.seccompProfile.type to RuntimeDefault or
#     Localhost, or remove it.
package feastflow.rules.pod_security.seccomp_baseline

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

# violation: the findings, looked for only when the pod-security screen
# (pss.suspects, lib/pod_security_screen.rego) suspects this control, as
# it does whenever found has any.
violation contains v if {
	pss.suspects["pss-seccomp-baseline"]
	workload.is_workload
	some v in found
}

allowed_types := {"RuntimeDefault", "Localhost"}

pod_annotation := "seccomp.security.alpha.kubernetes.io/pod"

container_annotation_prefix := "container.seccomp.security.alpha.kubernetes.io/"

# Before v1.19, PSA checks the annotations; from v1.19, the fields.
found contains pss.finding(msg, array.concat(pss.pod_sc_path, ["seccompProfile"]), mode) if {
	profile := pss.pod_sc.seccompProfile
	is_object(profile)
	not pss.string_or_empty(profile, "type") in allowed_types
	some mode in pss.modes("pss-seccomp-baseline")
	fields_checked(mode)
	msg := `pod must not set securityContext.seccompProfile.type to other than "RuntimeDefault" or "Localhost"`
}

found contains pss.finding(msg, pss.sc_path(c, ["seccompProfile"]), mode) if {
	some c in pss.containers
	profile := c.container.securityContext.seccompProfile
	is_object(profile)
	not pss.string_or_empty(profile, "type") in allowed_types
	some mode in pss.modes("pss-seccomp-baseline")
	fields_checked(mode)
	msg := sprintf(`container %q must not set securityContext.seccompProfile.type to other than "RuntimeDefault" or "Localhost"`, [pss.name(c)])
}

# Annotation values are not printed: only the key.
found contains pss.finding(msg, array.concat(pss.pod_annotations_path, [key]), mode) if {
	some key, value in pss.pod_annotations
	checked_annotation(key)
	not valid_annotation(value)
	some mode in pss.modes("pss-seccomp-baseline")
	annotations_checked(mode)
	msg := sprintf(`annotation %q must be "runtime/default", "docker/default" or "localhost/<profile>"`, [key])
}

fields_checked(mode) if {
	mode.minor >= 19
	not fields_reported(mode)
}

fields_reported(mode) if {
	pss.enforce_checks("pss-seccomp-baseline", mode)
	pss.enforce.minor >= 19
}

annotations_checked(mode) if {
	mode.minor < 19
	not annotations_reported(mode)
}

annotations_reported(mode) if {
	pss.enforce_checks("pss-seccomp-baseline", mode)
	pss.enforce.minor < 19
}

checked_annotation(key) if key == pod_annotation

checked_annotation(key) if {
	startswith(key, container_annotation_prefix)
	substring(key, count(container_annotation_prefix), -1) in {pss.name(c) | some c in pss.containers}
}

valid_annotation(value) if value in {"runtime/default", "docker/default"}

valid_annotation(value) if startswith(value, "localhost/")

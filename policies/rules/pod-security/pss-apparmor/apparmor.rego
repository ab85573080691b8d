# METADATA
# title: Pods must not disable or override the default AppArmor profile
# description: |
#   On AppArmor hosts the runtime's default profile confines every
#   container; type Unconfined (or an unconfined annotation) removes that
#   confinement. This is the baseline control PSA checks as
#   appArmorProfile.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#apparmor
#     description: Pod Security Standards
# custom:
#   id: pss-apparmor
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Set securityContext.appArmorProfile.type to RuntimeDefault or
#     Localhost (with localhostProfile), or remove it; remove
#     container.apparmor.security.beta.kubernetes.io annotations other than
#     runtime/default and localhost/<profile>.
package feastflow.rules.pod_security.apparmor

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

# violation: the findings, looked for only when the pod-security screen
# (pss.suspects, lib/pod_security_screen.rego) suspects this control, as
# it does whenever found has any.
violation contains v if {
	pss.suspects["pss-apparmor"]
	workload.is_workload
	some v in found
}

allowed_types := {"RuntimeDefault", "Localhost"}

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

found contains pss.finding(msg, array.concat(pss.pod_sc_path, ["appArmorProfile"]), pss.mode_of("pss-apparmor")) if {
	profile := pss.pod_sc.appArmorProfile
	is_object(profile)
	not pss.string_or_empty(profile, "type") in allowed_types
	msg := `pod must set securityContext.appArmorProfile.type to "RuntimeDefault" or "Localhost"`
}

found contains pss.finding(msg, pss.sc_path(c, ["appArmorProfile"]), pss.mode_of("pss-apparmor")) if {
	some c in pss.containers
	profile := c.container.securityContext.appArmorProfile
	is_object(profile)
	not pss.string_or_empty(profile, "type") in allowed_types
	msg := sprintf(`container %q must set securityContext.appArmorProfile.type to "RuntimeDefault" or "Localhost"`, [pss.name(c)])
}

# Annotation values are not printed: only the key, which names the container.
found contains pss.finding(msg, array.concat(pss.pod_annotations_path, [key]), pss.mode_of("pss-apparmor")) if {
	some key, value in pss.pod_annotations
	startswith(key, annotation_prefix)
	value != ""
	value != "runtime/default"
	not startswith(value, "localhost/")
	msg := sprintf(`annotation %q must be "runtime/default" or "localhost/<profile>"`, [key])
}

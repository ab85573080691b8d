# METADATA
# title: Pods must not set custom SELinux users, roles or types
# description: |
#   A custom SELinux type, user or role can lift the confinement the
#   container runtime applies. Allowed types are container_t,
#   container_init_t, container_kvm_t and (PSS v1.31 and later)
#   container_engine_t. This is the baseline control PSA checks as
#   seLinuxOptions.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#selinux
#     description: Pod Security Standards
# custom:
#   id: pss-selinux
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove seLinuxOptions.user and seLinuxOptions.role, and set
#     seLinuxOptions.type only to an allowed container type (or remove it).
package feastflow.rules.pod_security.selinux

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

# violation: the findings, looked for only when the pod-security screen
# (pss.suspects, lib/pod_security_screen.rego) suspects this control, as
# it does whenever found has any.
violation contains v if {
	pss.suspects["pss-selinux"]
	workload.is_workload
	some v in found
}

# allowed_types are allowed at every version; container_engine_t from v1.31.
allowed_types := {"", "container_t", "container_init_t", "container_kvm_t"}

allowed_type(t, _) if t in allowed_types

allowed_type("container_engine_t", minor) if minor >= 31

# setters: the pod's and each container's seLinuxOptions.
setters contains {"who": "pod", "options": options, "path": array.concat(pss.pod_sc_path, ["seLinuxOptions"])} if {
	options := pss.pod_sc.seLinuxOptions
	is_object(options)
}

setters contains {"who": sprintf("container %q", [pss.name(c)]), "options": options, "path": pss.sc_path(c, ["seLinuxOptions"])} if {
	some c in pss.containers
	options := c.container.securityContext.seLinuxOptions
	is_object(options)
}

found contains pss.finding(msg, array.concat(s.path, [field]), pss.mode_of("pss-selinux")) if {
	some s in setters
	some field in ["user", "role"]
	pss.string_or_empty(s.options, field) != ""
	msg := sprintf("%s must not set securityContext.seLinuxOptions.%s", [s.who, field])
}

found contains pss.finding(msg, array.concat(s.path, ["type"]), mode) if {
	some s in setters
	t := pss.string_or_empty(s.options, "type")
	not t in allowed_types
	some mode in pss.modes("pss-selinux")
	not allowed_type(t, mode.minor)
	not reported(t, mode)
	msg := sprintf("%s must not set securityContext.seLinuxOptions.type to %q", [s.who, t])
}

reported(t, mode) if {
	pss.enforce_checks("pss-selinux", mode)
	not allowed_type(t, pss.enforce.minor)
}

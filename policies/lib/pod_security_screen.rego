# Pod Security Standards screen (lib/pod_security.rego holds the
# package's METADATA).
#
# suspects is the set of pod-security controls (rule ids) whose rule may
# find something in the object's pod: a cheap screen evaluated once per
# object for the controls that read several fields of the pod and of each
# container (AppArmor, seccomp, SELinux, runAsNonRoot, capabilities,
# HostProcess), so that their rules stop at their first expression on a
# pod that sets those fields the usual safe way. It errs on the side of
# yes: a control is a suspect whenever its rule reports in any mode, and
# may be one when the rule, looking closer, reports nothing (any
# seLinuxOptions, a Localhost profile, any added capability). Each rule
# still decides alone. The other pod-security rules need no screen: on
# such a pod each fails at its first field test.
package feastflow.lib.pod_security

# suspects unites three screens (a set comprehension each, as one rule,
# reading each container's securityContext, {} when it has none): a
# securityContext field of the pod or of a container is a suspect of its
# controls unless its value is the field's usual safe one (the
# `== value` form also holds for a safe false); a container without what
# restricted requires of it (container_required) makes the controls of
# capabilities, runAsNonRoot and seccomp suspects; and seccomp (before
# v1.19) and AppArmor annotations make theirs.
suspects := ({id |
	some sc in array.concat(
		[pod_sc],
		[object.get(c, ["container", "securityContext"], {}) | some c in containers],
	)
	some field, value in sc
	ids := sc_controls[field]
	not safe_values[field][value] == value
	some id in ids
} | {id |
	some c in containers
	not object.subset(object.get(c, ["container", "securityContext"], {}), container_required)
	some id in {"pss-capabilities-restricted", "pss-run-as-non-root", "pss-seccomp-restricted"}
}) | {id |
	strings.any_prefix_match(object.keys(pod_annotations), [
		"seccomp.security.alpha.kubernetes.io/pod",
		"container.seccomp.security.alpha.kubernetes.io/",
		"container.apparmor.security.beta.kubernetes.io/",
	])
	some id in {"pss-seccomp-baseline", "pss-apparmor"}
}

# sc_controls: the controls each securityContext field is read by.
sc_controls := {
	"capabilities": {"pss-capabilities-restricted"},
	"seLinuxOptions": {"pss-selinux"},
	"appArmorProfile": {"pss-apparmor"},
	"windowsOptions": {"pss-windows-host-process"},
	"runAsNonRoot": {"pss-run-as-non-root"},
	"seccompProfile": {"pss-seccomp-baseline", "pss-seccomp-restricted"},
}

# safe_values: the usual safe values of the fields that have one.
safe_values := {
	"capabilities": {{"drop": ["ALL"]}},
	"appArmorProfile": {{"type": "RuntimeDefault"}},
	"windowsOptions": {{"hostProcess": false}},
	"runAsNonRoot": {true},
	"seccompProfile": {{"type": "RuntimeDefault"}},
}

# container_required: what each container must hold (object.subset) to
# be cleared: drop ALL, and runAsNonRoot true and a RuntimeDefault
# profile unless the pod sets them (a Localhost profile on the container
# only is suspect).
container_required := {"capabilities": {"drop": ["ALL"]}} if {
	pod_sc.runAsNonRoot == true
	pod_sc.seccompProfile.type in {"RuntimeDefault", "Localhost"}
} else := {"capabilities": {"drop": ["ALL"]}, "runAsNonRoot": true} if {
	pod_sc.seccompProfile.type in {"RuntimeDefault", "Localhost"}
} else := {"capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}} if {
	pod_sc.runAsNonRoot == true
} else := {"capabilities": {"drop": ["ALL"]}, "runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}

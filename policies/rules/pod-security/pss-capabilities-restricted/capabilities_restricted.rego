# METADATA
# title: Containers must drop ALL capabilities and add at most NET_BIND_SERVICE
# description: |
#   The restricted level requires every container to drop ALL capabilities
#   and to add back none but NET_BIND_SERVICE. Checked from PSS v1.22;
#   Windows pods are exempt from v1.25. This is the restricted control PSA
#   checks as capabilities_restricted.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#capabilities
#     description: Pod Security Standards
# custom:
#   id: pss-capabilities-restricted
#   severity: warn
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Set securityContext.capabilities.drop: ["ALL"] on every container, and
#     add only NET_BIND_SERVICE when the process binds a port below 1024.
package feastflow.rules.pod_security.capabilities_restricted

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

# violation: the findings, looked for only when the pod-security screen
# (pss.suspects, lib/pod_security_screen.rego) suspects this control, as
# it does whenever found has any.
violation contains v if {
	pss.suspects["pss-capabilities-restricted"]
	workload.is_workload
	some v in found
}

found contains pss.finding(msg, drop_path(c), mode) if {
	some c in pss.containers
	not drops_all(c)
	some mode in checked_modes
	msg := sprintf(`container %q must set securityContext.capabilities.drop=["ALL"]`, [pss.name(c)])
}

found contains pss.finding(msg, pss.sc_path(c, ["capabilities", "add", i]), mode) if {
	some c in pss.containers
	some i, cap in c.container.securityContext.capabilities.add
	cap != "NET_BIND_SERVICE"
	some mode in checked_modes
	msg := sprintf("container %q must not add capability %q", [pss.name(c), cap])
}

# drops_all(c): c drops ALL (a helper: OPA evaluates the operands of a
# negated `in` outside the negation).
drops_all(c) if "ALL" in c.container.securityContext.capabilities.drop

drop_path(c) := pss.sc_path(c, ["capabilities", "drop"]) if {
	c.container.securityContext.capabilities.drop
} else := pss.sc_path(c, ["capabilities"]) if {
	is_object(c.container.securityContext.capabilities)
} else := pss.field_path(c, "capabilities")

# checked_modes: the modes the control applies and is not exempt in, the
# warn mode only when the enforce mode does not report the same.
checked_modes := [mode |
	some mode in pss.modes("pss-capabilities-restricted")
	not exempt(mode)
	not reported(mode)
]

# exempt: PSA 1.25+ does not check Windows pods.
exempt(mode) if {
	mode.minor >= 25
	pss.windows
}

reported(mode) if {
	pss.enforce_checks("pss-capabilities-restricted", mode)
	not exempt(pss.enforce)
}

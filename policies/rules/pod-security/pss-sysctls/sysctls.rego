# METADATA
# title: Pods must set only safe sysctls
# description: |
#   Sysctls outside the safe, namespaced set can disable security
#   mechanisms or change every pod of the node. The safe set grows with
#   the version of the standard (v1.27, v1.29, v1.32, v1.37). This is the
#   baseline control PSA checks as sysctls.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#sysctls
#     description: Pod Security Standards
# custom:
#   id: pss-sysctls
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove the sysctl from securityContext.sysctls, or run the pod in a
#     namespace whose pod-security level allows it.
package feastflow.rules.pod_security.sysctls

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

# allowed_since: each safe sysctl and the minor version it became safe in.
allowed_since := {
	"kernel.shm_rmid_forced": 0,
	"net.ipv4.ip_local_port_range": 0,
	"net.ipv4.tcp_syncookies": 0,
	"net.ipv4.ping_group_range": 0,
	"net.ipv4.ip_unprivileged_port_start": 0,
	"net.ipv4.ip_local_reserved_ports": 27,
	"net.ipv4.tcp_keepalive_time": 29,
	"net.ipv4.tcp_fin_timeout": 29,
	"net.ipv4.tcp_keepalive_intvl": 29,
	"net.ipv4.tcp_keepalive_probes": 29,
	"net.ipv4.tcp_rmem": 32,
	"net.ipv4.tcp_wmem": 32,
	"net.ipv4.tcp_slow_start_after_idle": 37,
	"net.ipv4.tcp_notsent_lowat": 37,
}

# always_safe: the sysctls safe at every version.
always_safe := {name | some name, since in allowed_since; since == 0}

allowed(name, minor) if allowed_since[name] <= minor

violation contains pss.finding(msg, array.concat(pss.pod_sc_path, ["sysctls", i]), mode) if {
	workload.is_workload
	some i, sysctl in pss.pod_sc.sysctls
	name := pss.string_or_empty(sysctl, "name")
	not name in always_safe
	some mode in pss.modes("pss-sysctls")
	not allowed(name, mode.minor)
	not reported(name, mode)
	msg := sprintf("pod must not set sysctl %q", [name])
}

reported(name, mode) if {
	pss.enforce_checks("pss-sysctls", mode)
	not allowed(name, pss.enforce.minor)
}

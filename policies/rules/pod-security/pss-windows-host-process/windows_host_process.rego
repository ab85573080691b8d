# METADATA
# title: Windows pods must not run as HostProcess containers
# description: |
#   A Windows HostProcess container runs directly on the node with the
#   privileges of a host process. This is the baseline control PSA checks
#   as windowsHostProcess.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#hostprocess
#     description: Pod Security Standards
# custom:
#   id: pss-windows-host-process
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove securityContext.windowsOptions.hostProcess or set it to false.
package feastflow.rules.pod_security.windows_host_process

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

# violation: the findings, looked for only when the pod-security screen
# (pss.suspects, lib/pod_security_screen.rego) suspects this control, as
# it does whenever found has any.
violation contains v if {
	pss.suspects["pss-windows-host-process"]
	workload.is_workload
	some v in found
}

found contains pss.finding(msg, array.concat(pss.pod_sc_path, ["windowsOptions", "hostProcess"]), pss.mode_of("pss-windows-host-process")) if {
	pss.pod_sc.windowsOptions.hostProcess == true
	msg := "pod must not set securityContext.windowsOptions.hostProcess=true"
}

found contains pss.finding(msg, pss.sc_path(c, ["windowsOptions", "hostProcess"]), pss.mode_of("pss-windows-host-process")) if {
	some c in pss.containers
	c.container.securityContext.windowsOptions.hostProcess == true
	msg := sprintf("container %q must not set securityContext.windowsOptions.hostProcess=true", [pss.name(c)])
}

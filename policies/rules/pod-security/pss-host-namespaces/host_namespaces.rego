# METADATA
# title: Pods must not share the host's network, PID or IPC namespace
# description: |
#   hostNetwork, hostPID and hostIPC put the pod in its node's namespaces:
#   it sees every process and network interface of the node and can reach
#   services bound to localhost. This is the baseline control PSA checks
#   as hostNamespaces.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#host-namespaces
#     description: Pod Security Standards
# custom:
#   id: pss-host-namespaces
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Remove hostNetwork, hostPID and hostIPC (or set them to false); expose
#     network services through a Service instead.
package feastflow.rules.pod_security.host_namespaces

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

violation contains pss.finding(msg, array.concat(workload.pod_spec_path, [field]), pss.mode_of("pss-host-namespaces")) if {
	workload.is_workload
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	workload.pod_spec[field] == true
	msg := sprintf("pod must not set %s=true", [field])
}

# METADATA
# title: Namespaces with workloads need a default-deny NetworkPolicy
# description: |
#   Pods not selected by any NetworkPolicy accept traffic from everywhere,
#   so one compromised pod can reach every other pod of the cluster. A
#   default-deny policy (empty podSelector, no rules) isolates every pod of
#   the namespace, and allow policies then open only the paths the
#   application needs. Ingress is always required; egress too when the
#   require_default_deny_egress parameter is true. Workloads whose pods
#   use hostNetwork: true are outside NetworkPolicy's reach and demand
#   nothing.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
#     description: NetworkPolicy default policies
# custom:
#   id: netpol-default-deny-required
#   kinds: [workloads]
#   inventory: [NetworkPolicy]
#   severity: deny
#   remediation: |
#     Add a NetworkPolicy to the namespace with `podSelector: {}`, the
#     direction in `policyTypes` (Ingress, and Egress if required) and no
#     `ingress`/`egress` rules, then allow the traffic each workload needs
#     with further policies.
package feastflow.rules.network.default_deny_required

import data.feastflow.lib.k8s
import data.feastflow.lib.netpol
import data.feastflow.lib.params
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": ["metadata"]} if {
	workload.is_workload
	not workload.host_network
	some direction in missing
	msg := sprintf(
		"namespace %q has no default-deny %s NetworkPolicy (empty podSelector, %s in policyTypes, no %s rules)",
		[k8s.namespace, lower(direction), direction, lower(direction)],
	)
}

# missing: the directions lacking a default-deny policy in the namespace.
missing contains "Ingress" if not netpol.has_default_deny("Ingress")

missing contains "Egress" if {
	params.value("require_default_deny_egress") == true # off by default: asked first
	not netpol.has_default_deny("Egress")
}

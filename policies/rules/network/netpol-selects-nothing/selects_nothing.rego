# METADATA
# title: NetworkPolicies should select some workload
# description: |
#   A NetworkPolicy whose podSelector matches the pod labels of no workload
#   in its namespace protects nothing; usually a label was mistyped or the
#   policy was put in the wrong namespace, and the pods it was meant for
#   are left open. Pods with hostNetwork: true do not count: NetworkPolicies
#   do not apply to them, so a policy selecting only those protects nothing
#   either. Policies with an empty podSelector are namespace defaults and
#   are never reported. Not checked at admission: a policy
#   is rightly created before the workloads it is meant for.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
#     description: The NetworkPolicy resource
# custom:
#   id: netpol-selects-nothing
#   kinds: [NetworkPolicy]
#   inventory: [workloads]
#   severity: warn
#   scope: [files, cluster]
#   remediation: |
#     Make spec.podSelector match the labels of the pod template of the
#     workload it is meant for, and create the policy in that workload's
#     namespace (a NetworkPolicy only applies to pods of its own namespace).
package feastflow.rules.network.selects_nothing

import data.feastflow.lib.inventory_index
import data.feastflow.lib.k8s
import data.feastflow.lib.netpol
import data.feastflow.lib.selector
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": ["spec", "podSelector"]} if {
	k8s.kind == "NetworkPolicy"
	k8s.obj.apiVersion == netpol.api_version
	not netpol.is_empty_selector(pod_selector)
	not selects_some_workload
	msg := sprintf("podSelector matches the pods of no workload in namespace %q%s", [k8s.namespace, host_network_note])
}

# host_network_note explains a policy that matches only hostNetwork pods.
host_network_note := ", only hostNetwork pods, which NetworkPolicies do not apply to" if {
	some kind_name in {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}
	some obj in k8s.namespace_objects(kind_name)
	workload.inventory_host_network(obj)
	selector.matches(pod_selector, workload.inventory_pod_labels(obj))
} else := ""

pod_selector := netpol.pod_selector(k8s.obj)

# selects_some_workload: some workload of the namespace carries labels the
# selector matches. With a key, only the workloads carrying that label pair
# can match; without one, every workload is tried.
selects_some_workload if {
	key := inventory_index.selector_key(pod_selector)
	some labels in inventory_index.current.workloads.by_label[key]
	selector.matches(pod_selector, labels)
}

selects_some_workload if {
	not inventory_index.selector_key(pod_selector)
	some labels in inventory_index.current.workloads.all
	selector.matches(pod_selector, labels)
}

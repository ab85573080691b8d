# METADATA
# title: Workloads behind a Service need a NetworkPolicy allowing ingress
# description: |
#   A workload whose pods a Service selects is meant to receive traffic.
#   Some NetworkPolicy of its namespace must select those pods and carry an
#   ingress rule saying who may reach them: under a default-deny policy the
#   Service would otherwise get no traffic at all, and without any policy
#   the pods accept traffic from everywhere. Pods with hostNetwork: true
#   share their node's network and are outside NetworkPolicy's reach, so
#   no policy is demanded for them.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
#     description: The NetworkPolicy resource
# custom:
#   id: netpol-ingress-for-service
#   kinds: [workloads]
#   inventory: [Service, NetworkPolicy]
#   severity: deny
#   remediation: |
#     Add a NetworkPolicy in the workload's namespace whose podSelector
#     matches the pod labels, with Ingress in policyTypes and an ingress
#     rule allowing the Service's clients (from pods, namespaces or
#     ipBlocks) on the Service's target ports.
package feastflow.rules.network.ingress_for_service

import data.feastflow.lib.inventory_index
import data.feastflow.lib.k8s
import data.feastflow.lib.netpol
import data.feastflow.lib.selector
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": labels_path} if {
	workload.is_workload
	not workload.host_network
	not netpol.allows_ingress_to(workload.pod_labels) # asked first: compliant pods stop here
	count(services) > 0
	msg := sprintf(
		"%s these pods, but no NetworkPolicy in namespace %q selects them with an ingress rule",
		[services_select, k8s.namespace],
	)
}

# ExternalName Services get no endpoints, so they never select pods.
# services: the names of the v1 Services (not ExternalName) whose selector
# matches the pod labels. Only those keyed by one of the labels in the
# namespace's inventory index, and those without a key, can match.
services contains svc.name if {
	some k, v in workload.pod_labels
	some svc in inventory_index.current.services.by_label[inventory_index.label_key(k, v)]
	selector.service_matches(svc.selector, workload.pod_labels)
}

services contains svc.name if {
	some svc in inventory_index.current.services.unkeyed
	selector.service_matches(svc.selector, workload.pod_labels)
}

# services_select: the subject of the message, e.g. `Services "a", "b" select`.
services_select := sprintf("Service %q selects", [name]) if {
	count(services) == 1
	some name in services
}

services_select := sprintf("Services %s select", [concat(", ", [sprintf("%q", [n]) | some n in sort(services)])]) if {
	count(services) > 1
}

# labels_path: the pod labels the Services select, or the object root.
labels_path := p if {
	p := array.concat(workload.pod_metadata_path, ["labels"])
	object.get(k8s.obj, p, null) != null
} else := []

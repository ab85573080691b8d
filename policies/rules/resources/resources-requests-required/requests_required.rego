# METADATA
# title: Containers need CPU and memory requests
# description: |
#   The scheduler places Pods by their requests. A container without a CPU
#   request can be starved on a busy node; one without a memory request
#   can be placed on a node without room for it and is among the first
#   evicted under memory pressure. Init containers and Jobs are checked
#   too: their requests count when the Pod is scheduled. The rule judges
#   the Pod the kubelet runs: a container with a limit but no request gets
#   the limit as its request from the API server, a namespace's LimitRange
#   `defaultRequest` (or `default`) fills a missing one, and pod-level
#   spec.resources requests (or limits) cover every container.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits
#     description: Resource management for Pods and containers
# custom:
#   id: resources-requests-required
#   kinds: [workloads]
#   inventory: [LimitRange]
#   severity: deny
#   remediation: |
#     Set resources.requests.cpu and resources.requests.memory on the
#     container to what it uses under normal load (for example cpu: 100m,
#     memory: 128Mi), measured with `kubectl top pod`; a limit alone also
#     sets the request to the same value.
package feastflow.rules.resources.requests_required

import data.feastflow.lib.resources
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": resources.path(c, "requests", name)} if {
	some c in workload.all_containers
	some name in ["cpu", "memory"]
	object.get(c.container, ["resources", "requests", name], null) == null # cheap screen: it sets none (or null)
	not resources.effective_quantity(c, "requests", name)
	not resources.pod_requests(name)
	msg := sprintf("container %q has no %s request", [c.container.name, name])
}

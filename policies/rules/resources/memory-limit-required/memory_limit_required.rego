# METADATA
# title: Containers need a memory limit
# description: |
#   A container without a memory limit can grow until the node runs out
#   of memory, and the kernel then kills processes of other Pods too.
#   Init containers and Jobs are checked too. A LimitRange `default` (or
#   `max`) of the namespace fills a missing limit, and a pod-level
#   spec.resources limit bounds every container.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits
#     description: Resource management for Pods and containers
# custom:
#   id: memory-limit-required
#   kinds: [workloads]
#   inventory: [LimitRange]
#   severity: deny
#   remediation: |
#     Set resources.limits.memory on the container, at or above its memory
#     request, to the most it should ever use (for example 256Mi); the
#     container is restarted when it goes beyond it.
package feastflow.rules.resources.memory_limit_required

import data.feastflow.lib.resources
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": resources.path(c, "limits", "memory")} if {
	some c in workload.all_containers
	object.get(c.container, ["resources", "limits", "memory"], null) == null # cheap screen: it sets none (or null)
	not resources.effective_quantity(c, "limits", "memory")
	not resources.pod_limits("memory")
	msg := sprintf("container %q has no memory limit", [c.container.name])
}

# METADATA
# title: Limits must not be below requests
# description: |
#   A limit lower than the request of the same resource (cpu, memory,
#   ephemeral-storage, hugepages-*, extended resources alike) is refused by
#   the API server: a workload with one is never created or updated, and
#   one whose Pods get a LimitRange `default` limit below the container's
#   request is accepted while every Pod it creates is refused. Quantities
#   are compared exactly, as resource.Quantity does (1288490188800m is
#   1.2Gi). Pod-level spec.resources, init containers and Jobs are
#   checked too. Malformed quantities are left to the schema rule.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits
#     description: Resource management for Pods and containers
# custom:
#   id: limit-below-request
#   kinds: [workloads]
#   inventory: [LimitRange]
#   severity: deny
#   remediation: |
#     Raise the limit to at least the request, or lower the request. 1 cpu
#     is 1000m; 1Gi is 1024Mi, while 1G is 1000M. Where the limit comes from
#     a LimitRange default, set the container's own limit.
package feastflow.rules.resources.limit_below_request

import data.feastflow.lib.quantity
import data.feastflow.lib.resources
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": path} if {
	some c in workload.all_containers
	some name, limit in resources.effective[c.path].limits
	request := resources.effective[c.path].requests[name]
	limit.value != request.value
	quantity.less(limit.value, request.value)
	path := finding_path(c, name, limit)
	msg := sprintf("container %q has a %s limit (%v%s) below its request (%v)", [c.container.name, name, limit.value, origin(limit), request.value])
}

violation contains {"msg": msg, "path": resources.pod_level_path("limits", name)} if {
	workload.is_workload
	is_object(workload.pod_spec.resources) # cheap screen: most pods set no pod-level resources
	some name, limit in resources.pod_level.limits
	request := resources.pod_level.requests[name]
	limit != request
	quantity.less(limit, request)
	msg := sprintf("pod-level resources have a %s limit (%v) below the request (%v)", [name, limit, request])
}

# finding_path: the container's own limit, or its request when the limit
# is a LimitRange default.
finding_path(c, name, limit) := array.concat(c.path, ["resources", "limits", name]) if limit.from == "container"

finding_path(c, name, limit) := resources.path(c, "requests", name) if limit.from != "container"

origin(limit) := "" if limit.from == "container"

origin(limit) := sprintf(", the default of %s", [limit.from]) if limit.from != "container"

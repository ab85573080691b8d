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

# A limit the container writes itself, against the request it writes.
# (Without a request of its own the container is requested its limit.)
violation contains {"msg": msg, "path": array.concat(c.path, ["resources", "limits", name])} if {
	some c in workload.all_containers
	some name, limit in c.container.resources.limits
	request := c.container.resources.requests[name]
	limit != request # cheap screen: the same quantity written twice
	quantity.less(limit, request)
	is_string(name) # limits and requests are objects, not lists
	msg := sprintf("container %q has a %s limit (%v) below its request (%v)", [c.container.name, name, limit, request])
}

# A LimitRange default limit, reported at the container's request.
violation contains {"msg": msg, "path": resources.path(c, "requests", name)} if {
	some name, limit in resources.limit_range_defaults.limits # most namespaces have none
	some c in workload.all_containers
	not resources.written(c, "limits", name)
	request := resources.effective_quantity(c, "requests", name)
	limit.value != request
	quantity.less(limit.value, request)
	msg := sprintf("container %q has a %s limit (%v, the default of %s) below its request (%v)", [c.container.name, name, limit.value, limit.from, request])
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

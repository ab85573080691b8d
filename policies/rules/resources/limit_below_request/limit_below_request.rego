# METADATA
# title: Limits must not be below requests
# description: |
#   A CPU or memory limit lower than the request is refused by the API
#   server, so the workload is never created or updated. Init containers
#   and Jobs are checked too. Malformed quantities are left to the schema
#   rule.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits
#     description: Resource management for Pods and containers
# custom:
#   id: limit-below-request
#   severity: deny
#   remediation: |
#     Raise the limit to at least the request, or lower the request. 1 cpu
#     is 1000m; 1Gi is 1024Mi, while 1G is 1000M.
package feastflow.rules.resources.limit_below_request

import data.feastflow.lib.quantity
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": array.concat(c.path, ["resources", "limits", name])} if {
	some c in workload.all_containers
	limits := c.container.resources.limits
	requests := c.container.resources.requests
	some name in ["cpu", "memory"]
	limit := limits[name]
	request := requests[name]
	limit != request
	quantity.amount(limit) < quantity.amount(request)
	msg := sprintf("container %q has a %s limit (%v) below its request (%v)", [c.container.name, name, limit, request])
}

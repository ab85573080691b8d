# METADATA
# title: Requests and limits must not exceed the maximum
# description: |
#   A container asking for more CPU or memory than the cluster's nodes
#   offer stays Pending forever, and one that may take a whole node starves
#   its neighbours. The maximum of each resource is the smallest of the
#   max_cpu or max_memory parameter (Kubernetes quantities such as 4 or
#   8Gi; empty, the default, sets none) and the `max` of the namespace's
#   LimitRanges of type Container, which the API server enforces when it
#   creates Pods: a Deployment over it is accepted, but its Pods are
#   refused. Init containers and Jobs are checked too.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/policy/limit-range/
#     description: Limit Ranges
# custom:
#   id: resources-over-maximum
#   kinds: [workloads]
#   inventory: [LimitRange]
#   severity: deny
#   remediation: |
#     Lower the container's request or limit to the maximum, or split the
#     work across more replicas; if the maximum itself is wrong, raise the
#     LimitRange's max or run with --param max_cpu=... / max_memory=....
package feastflow.rules.resources.over_maximum

import data.feastflow.lib.inventory_index
import data.feastflow.lib.params
import data.feastflow.lib.quantity
import data.feastflow.lib.resources
import data.feastflow.lib.workload

param_keys := {"cpu": "max_cpu", "memory": "max_memory"}

# maxima: every maximum as [amount, source, given, resource], from the
# parameters and from the namespace's LimitRanges. Malformed quantities
# set no maximum.
maxima contains [amount, sprintf("set by parameter %s", [key]), given, name] if {
	some name, key in param_keys
	given := params.value(key)
	given != ""
	amount := quantity.amount(given)
}

maxima contains [amount, sprintf("of LimitRange %q", [limit_range.metadata.name]), given, name] if {
	some limit_range in inventory_index.current.limit_ranges
	some item in limit_range.spec.limits
	item.type == "Container"
	some name, given in item.max
	param_keys[name]
	amount := quantity.amount(given)
}

# configured: some maximum may apply, as a parameter is set or the
# namespace has LimitRanges. Neither is the default, so it is asked
# before maxima are gathered.
configured if params.value("max_cpu") != ""

configured if params.value("max_memory") != ""

configured if count(inventory_index.current.limit_ranges) > 0

# strictest[resource] is its smallest maximum; maxima are ordered by
# amount, then source, so there is exactly one.
strictest[m[3]] := m if {
	some m in maxima
	not stricter(m)
}

stricter(m) if {
	some other in maxima
	other[3] == m[3]
	other < m
}

violation contains {"msg": msg, "path": resources.path(c, section, name)} if {
	configured
	some name, maximum in strictest
	some c in workload.all_containers
	some section, label in {"requests": "request", "limits": "limit"}
	q := c.container.resources[section][name]
	quantity.amount(q) > maximum[0]
	msg := sprintf("container %q has a %s %s (%v) above the maximum (%v) %s", [c.container.name, name, label, q, maximum[2], maximum[1]])
}

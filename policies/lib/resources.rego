# METADATA
# title: Container resource requests and limits, as the Pod will run them
# description: |
#   Reads a container's resources.requests and resources.limits and gives
#   the path of a quantity for findings, or of its closest existing parent
#   when the quantity is absent. c is an entry of workload.all_containers.
#
#   `effective_quantity` is what the kubelet will run, after the API server's
#   defaulting (pkg/apis/core/v1/defaults.go SetDefaults_Pod: a request
#   missing for a resource name the container limits is set to that limit)
#   and the LimitRanger admission plugin (the namespace's LimitRanges of
#   type Container fill missing limits from `default` and missing requests
#   from `defaultRequest`, each item defaulted first as SetDefaults_LimitRangeItem
#   does: default from max, defaultRequest from default, then from min).
#   Where several LimitRanges give a value for the same resource the one
#   whose name sorts first is used (LimitRanger applies them in the order
#   its cache lists them). Pod-level spec.resources (PodLevelResources,
#   on by default since Kubernetes 1.34) is read by `pod_level`.
package feastflow.lib.resources

import data.feastflow.lib.inventory_index
import data.feastflow.lib.k8s
import data.feastflow.lib.workload

# quantity(c, section, name) is resources.<section>.<name> of container c
# ("requests" or "limits"; "cpu" or "memory"); undefined when it is absent
# or null (a null quantity decodes to zero, the same as none).
quantity(c, section, name) := q if {
	q := c.container.resources[section][name]
	q != null
}

# path(c, section, name) is the path of resources.<section>.<name> in the
# object, or of the closest parent that exists.
path(c, section, name) := array.concat(c.path, ["resources", section, name]) if {
	_ = c.container.resources[section][name]
} else := array.concat(c.path, ["resources", section]) if {
	_ = c.container.resources[section]
} else := array.concat(c.path, ["resources"]) if {
	_ = c.container.resources
} else := c.path

# effective_quantity(c, section, name) is the quantity of
# resources.<section>.<name> the container runs with: its own when it
# writes one; else, for a request, its own limit of that resource (the
# API server's defaulting); else the namespace's LimitRanger default
# (limit_range_defaults). Undefined when there is none or it is null: the
# API server decodes a null quantity as zero and defaults nothing over
# it.
#
# It is a function of one container and one resource, not a table of
# every container: a container that writes its own quantity (the common
# case) costs one lookup, and nothing is computed for the others.
effective_quantity(c, "limits", name) := q if {
	q := c.container.resources.limits[name]
	q != null
} else := q if {
	not written(c, "limits", name)
	q := limit_range_defaults.limits[name].value
}

effective_quantity(c, "requests", name) := q if {
	q := c.container.resources.requests[name]
	q != null
} else := q if {
	not written(c, "requests", name)
	q := c.container.resources.limits[name]
	q != null
} else := q if {
	not written(c, "requests", name)
	not written(c, "limits", name)
	q := limit_range_defaults.requests[name].value
}

# written(c, section, name) holds when the container itself writes
# resources.<section>.<name> (null included) in an object section.
written(c, section, name) if _ = c.container.resources[section][name]

section_of(resources, section) := s if {
	s := resources[section]
	is_object(s)
} else := {}

# pod_level[section][name] is the quantity of the pod-level spec.resources
# (null ones left out); pod_level_path its path.
pod_level[section][name] := q if {
	some section in ["requests", "limits"]
	some name, q in section_of(section_of(workload.pod_spec, "resources"), section)
	q != null
}

pod_level_path(section, name) := array.concat(workload.pod_spec_path, ["resources", section, name])

# pod_requests(name) holds when pod-level resources give the pod a request
# for name: set, or defaulted from a pod-level limit.
pod_requests(name) if pod_level.requests[name]

pod_requests(name) if pod_level.limits[name]

# pod_limits(name) holds when a pod-level limit bounds every container.
pod_limits(name) if pod_level.limits[name]

# limit_range_defaults[section][name] is {"value": q, "from": origin}: the
# LimitRanger defaults of the namespace ("limits" from default, "requests"
# from defaultRequest), the first LimitRange by name winning. Both
# sections are always present (empty without LimitRanges). They depend on
# the namespace alone, so the inventory index holds them (computed once
# per namespace when the inventory is set, see lib/inventory_index.rego).
limit_range_defaults := inventory_index.current.limit_range_defaults

# scanned_limit_range_defaults is limit_range_defaults computed from the
# namespace's LimitRanges (the index holds it).
scanned_limit_range_defaults := {section: defaults |
	some section in ["limits", "requests"]
	defaults := {name: {"value": first[3], "from": sprintf("LimitRange %q", [first[0]])} |
		some name in {n | some [s, n, _, _, _] in limit_range_candidates; s == section}
		first := sort([[lr, neg_i, name, q] |
			some [s, n, lr, neg_i, q] in limit_range_candidates
			s == section
			n == name
		])[0]
	}
}

# limit_range_candidates: [section, name, LimitRange, -item index, quantity];
# within one LimitRange a later item overrides an earlier one.
limit_range_candidates contains [section, name, lr.metadata.name, 0 - i, q] if {
	some lr in k8s.namespace_objects("LimitRange")
	some i, item in lr.spec.limits
	item.type == "Container"
	some section, values in item_defaults(item)
	some name, q in values
	q != null
}

# item_defaults(item) is a LimitRange item's {"limits", "requests"}
# defaults after SetDefaults_LimitRangeItem.
item_defaults(item) := {"limits": limits, "requests": requests} if {
	limits := object.union(section_of(item, "max"), section_of(item, "default"))
	requests := object.union_n([section_of(item, "min"), limits, section_of(item, "defaultRequest")])
}

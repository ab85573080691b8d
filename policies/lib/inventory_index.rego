# METADATA
# title: Per-namespace inventory index
# description: |
#   What cross-object rules look up in the evaluated object's namespace,
#   grouped so that one evaluation reads a few entries instead of scanning
#   every object of the namespace:
#     default_deny       the directions in which some NetworkPolicy is a
#                        default deny (netpol.scanned_default_deny), sorted
#     ingress_selectors  the pod selectors of policies allowing ingress
#     services           {"name", "selector"} of the v1 Services that may
#                        select pods (not ExternalName, named)
#     workloads          the pod labels of the namespace's workloads
#     limit_ranges       the namespace's LimitRanges
#     limit_range_defaults  what LimitRanger fills in for containers
#                        (resources.scanned_limit_range_defaults)
#   Selectors are keyed by one label pair every match requires
#   (`selector_key`, under `by_label[label_key(k, v)]`); the others are
#   `unkeyed`. Workloads are keyed by each of their label pairs, and all
#   are under `all`.
#
#   `current` is the index of the evaluated object's namespace: the copy
#   the engine stores at data.feastflow.inventory_index.namespace[ns] when
#   it sets the inventory (by evaluating `built` for ns), else `built`
#   computed on the spot from data.inventory. Both are the same value.
package feastflow.lib.inventory_index

import data.feastflow.lib.k8s
import data.feastflow.lib.netpol
import data.feastflow.lib.resources
import data.feastflow.lib.workload

current := idx if {
	idx := data.feastflow.inventory_index.namespace[k8s.namespace]
} else := built

# built is the index of k8s.namespace computed from data.inventory.
built := {
	"default_deny": sort(netpol.scanned_default_deny),
	"ingress_selectors": {"by_label": ingress_by_label, "unkeyed": ingress_unkeyed},
	"services": {"by_label": services_by_label, "unkeyed": services_unkeyed},
	"workloads": {"by_label": workloads_by_label, "all": workloads_all},
	"limit_ranges": k8s.namespace_objects("LimitRange"),
	"limit_range_defaults": resources.scanned_limit_range_defaults,
}

# label_key(k, v) names the label pair k=v in by_label.
label_key(k, v) := json.marshal([k, v])

# selector_key(sel) is the label_key of the first (smallest key) pair of
# sel.matchLabels when its value is a string: a LabelSelector matches only
# labels carrying that pair. Undefined for selectors without such a pair.
selector_key(sel) := label_key(k, v) if {
	is_object(sel.matchLabels)
	k := min(object.keys(sel.matchLabels))
	v := sel.matchLabels[k]
	is_string(v)
}

# service_key(sel) is the same for a Service's plain-map selector.
service_key(sel) := label_key(k, v) if {
	is_object(sel)
	k := min(object.keys(sel))
	v := sel[k]
	is_string(v)
}

ingress_keyed := [[selector_key(sel), sel] | some sel in netpol.ingress_selectors]

ingress_by_label := {key: sels |
	some pair in ingress_keyed
	key := pair[0]
	sels := [p[1] | some p in ingress_keyed; p[0] == key]
}

ingress_unkeyed := [sel | some sel in netpol.ingress_selectors; not selector_key(sel)]

# namespace_services are the Services a workload's pods may be selected by.
namespace_services contains {"name": svc.metadata.name, "selector": object.get(svc, ["spec", "selector"], {})} if {
	some svc in k8s.namespace_objects("Service")
	svc.apiVersion == "v1"
	object.get(svc, ["spec", "type"], "ClusterIP") != "ExternalName"
}

services_keyed := [[service_key(s.selector), s] | some s in namespace_services]

services_by_label := {key: svcs |
	some pair in services_keyed
	key := pair[0]
	svcs := [p[1] | some p in services_keyed; p[0] == key]
}

services_unkeyed := [s | some s in namespace_services; not service_key(s.selector)]

workloads_all := [w.labels | some w in workload.inventory_workloads]

workloads_keyed := [[label_key(k, v), labels] |
	some labels in workloads_all
	is_object(labels)
	some k, v in labels
	is_string(v)
]

workloads_by_label := {key: labels |
	some pair in workloads_keyed
	key := pair[0]
	labels := [p[1] | some p in workloads_keyed; p[0] == key]
}

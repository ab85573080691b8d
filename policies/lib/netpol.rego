# METADATA
# title: NetworkPolicies
# description: |
#   Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics for rules:
#   policyTypes defaulted as the API server does (absent or empty means
#   Ingress, plus Egress when the policy has egress rules), podSelector
#   matching with an empty selector selecting every pod of the policy's
#   namespace, and the policies of the evaluated object's namespace from
#   data.inventory. A policy only ever covers pods of its own namespace.
package feastflow.lib.netpol

import data.feastflow.lib.inventory_index
import data.feastflow.lib.k8s
import data.feastflow.lib.selector

api_version := "networking.k8s.io/v1"

# rule_fields maps a policy type to the spec field holding its rules.
rule_fields := {"Ingress": "ingress", "Egress": "egress"}

# policies: the NetworkPolicies of the evaluated object's namespace in the
# inventory. Other API groups' NetworkPolicy kinds (Calico, ...) differ in
# meaning and are left out.
policies := [p |
	some p in k8s.namespace_objects("NetworkPolicy")
	p.apiVersion == api_version
]

# has_rules(policy, direction): the policy has at least one "Ingress" or
# "Egress" rule; an absent, null or empty list has none.
has_rules(policy, direction) if _ = policy.spec[rule_fields[direction]][0]

# applies(policy, direction): direction is among the policy's policyTypes.
# Like the API server's defaulting, absent or empty policyTypes means
# Ingress, plus Egress when the policy has at least one egress rule.
applies(policy, direction) if direction in policy.spec.policyTypes

applies(policy, "Ingress") if not declares_types(policy)

applies(policy, "Egress") if {
	not declares_types(policy)
	has_rules(policy, "Egress")
}

declares_types(policy) if _ = policy.spec.policyTypes[0]

# policy_types(policy): the set of directions the policy applies to.
policy_types(policy) := {t | some t in {"Ingress", "Egress"}; applies(policy, t)}

# pod_selector(policy): spec.podSelector with null fields dropped; absent
# or null is the empty selector, as in the API's Go types.
pod_selector(policy) := {k: v | some k, v in policy.spec.podSelector; v != null}

# is_empty_selector(sel): the selector has no requirement, so it selects
# every pod of the namespace. Null fields are empty.
is_empty_selector(sel) if not has_requirement(sel)

has_requirement(sel) if _ = sel.matchLabels[_]

has_requirement(sel) if _ = sel.matchExpressions[_]

# selects(policy, labels): the policy applies to pods carrying labels
# (the caller makes sure the pods are in the policy's namespace).
selects(policy, labels) if selector.matches(pod_selector(policy), labels)

# is_default_deny(policy, direction): the policy isolates every pod of its
# namespace in direction ("Ingress" or "Egress") and allows nothing.
is_default_deny(policy, direction) if {
	not has_requirement(object.get(policy, ["spec", "podSelector"], {}))
	not has_rules(policy, direction)
	applies(policy, direction)
}

# default_deny: the directions in which some policy of the namespace is a
# default deny, read from the namespace's inventory index.
default_deny contains direction if {
	some direction in inventory_index.current.default_deny
}

# scanned_default_deny is default_deny computed from the policies (the
# index holds it). Policies with a podSelector, the common case, are
# passed over first.
scanned_default_deny contains direction if {
	some p in policies
	not has_requirement(object.get(p, ["spec", "podSelector"], {}))
	some direction, _ in rule_fields
	is_default_deny(p, direction)
}

# has_default_deny(direction): the namespace has a default-deny policy for direction.
has_default_deny(direction) if direction in inventory_index.current.default_deny

# allows(policy, direction): the policy applies in direction and has at
# least one rule, so it lets some traffic through.
allows(policy, direction) if {
	has_rules(policy, direction)
	applies(policy, direction)
}

# ingress_selectors: the pod selectors of the namespace's policies that
# allow some ingress (the index holds them keyed by label).
ingress_selectors contains pod_selector(p) if {
	some p in policies
	allows(p, "Ingress")
}

# allows_ingress_to(labels): some policy of the namespace selects pods
# carrying labels and allows them some ingress. Only the selectors keyed by
# one of the labels, and those without a key, can match.
allows_ingress_to(labels) if {
	some k, v in labels
	some sel in inventory_index.current.ingress_selectors.by_label[inventory_index.label_key(k, v)]
	selector.matches(sel, labels)
}

allows_ingress_to(labels) if {
	some sel in inventory_index.current.ingress_selectors.unkeyed
	selector.matches(sel, labels)
}

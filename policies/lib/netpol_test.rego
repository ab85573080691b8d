package feastflow.lib.netpol_test

import data.feastflow.lib.netpol

np(spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "shop"}, "spec": spec}

# policyTypes defaulting, as the API server does it.

test_policy_types_default_to_ingress if {
	netpol.policy_types(np({"podSelector": {}})) == {"Ingress"}
}

test_policy_types_default_adds_egress_with_egress_rules if {
	netpol.policy_types(np({"podSelector": {}, "egress": [{"to": [{"podSelector": {}}]}]})) == {"Ingress", "Egress"}
}

test_policy_types_default_ignores_empty_or_null_egress if {
	netpol.policy_types(np({"podSelector": {}, "egress": []})) == {"Ingress"}
	netpol.policy_types(np({"podSelector": {}, "egress": null})) == {"Ingress"}
}

test_policy_types_empty_list_is_defaulted if {
	netpol.policy_types(np({"podSelector": {}, "policyTypes": [], "egress": [{}]})) == {"Ingress", "Egress"}
}

test_policy_types_explicit_are_kept if {
	netpol.policy_types(np({"podSelector": {}, "policyTypes": ["Egress"], "ingress": [{}]})) == {"Egress"}
	netpol.policy_types(np({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})) == {"Ingress", "Egress"}
}

# Selectors.

test_absent_or_null_pod_selector_is_empty if {
	netpol.is_empty_selector(netpol.pod_selector(np({})))
	netpol.is_empty_selector(netpol.pod_selector(np({"podSelector": null})))
	netpol.is_empty_selector(netpol.pod_selector(np({"podSelector": {"matchLabels": null, "matchExpressions": []}})))
	not netpol.is_empty_selector(netpol.pod_selector(np({"podSelector": {"matchLabels": {"app": "api"}}})))
	not netpol.is_empty_selector(netpol.pod_selector(np({"podSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}})))
}

test_selects if {
	netpol.selects(np({"podSelector": {}}), {})
	netpol.selects(np({"podSelector": {"matchLabels": null}}), {"app": "api"})
	netpol.selects(np({"podSelector": {"matchLabels": {"app": "api"}}}), {"app": "api", "tier": "backend"})
	not netpol.selects(np({"podSelector": {"matchLabels": {"app": "api"}}}), {"app": "web"})
	netpol.selects(np({"podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend", "db"]}]}}), {"tier": "db"})
	not netpol.selects(np({"podSelector": {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}}), {"tier": "db"})
	netpol.selects(np({"podSelector": {"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]}}), {"app": "api"})
	not netpol.selects(np({"podSelector": {"matchExpressions": [{"key": "canary", "operator": "Exists"}]}}), {"app": "api"})
}

# Default deny and allowing policies.

test_is_default_deny if {
	netpol.is_default_deny(np({"podSelector": {}}), "Ingress")
	netpol.is_default_deny(np({"podSelector": {}, "ingress": []}), "Ingress")
	not netpol.is_default_deny(np({"podSelector": {}}), "Egress")
	netpol.is_default_deny(np({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}), "Egress")
	netpol.is_default_deny(np({"podSelector": {}, "policyTypes": ["Egress"]}), "Egress")
	not netpol.is_default_deny(np({"podSelector": {}, "policyTypes": ["Egress"]}), "Ingress")
}

test_rules_or_selector_are_not_default_deny if {
	not netpol.is_default_deny(np({"podSelector": {}, "ingress": [{}]}), "Ingress")
	not netpol.is_default_deny(np({"podSelector": {"matchLabels": {"app": "api"}}}), "Ingress")
}

test_egress_rules_make_egress_not_default_deny if {
	# Defaulted policyTypes include Egress here, but the policy allows egress.
	p := np({"podSelector": {}, "egress": [{"to": [{"namespaceSelector": {}}]}]})
	netpol.is_default_deny(p, "Ingress")
	not netpol.is_default_deny(p, "Egress")
}

test_allows if {
	netpol.allows(np({"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]}), "Ingress")
	not netpol.allows(np({"podSelector": {}}), "Ingress")
	not netpol.allows(np({"podSelector": {}, "policyTypes": ["Egress"], "ingress": [{}]}), "Ingress")
}

test_policies_of_the_namespace_only_in_networking_v1 if {
	k8s_policy := np({"podSelector": {}})
	calico := {"apiVersion": "projectcalico.org/v3", "kind": "NetworkPolicy", "metadata": {"name": "calico"}, "spec": {"selector": "all()"}}
	other_ns := json.patch(k8s_policy, [{"op": "replace", "path": "/metadata/name", "value": "other"}])
	inv := {"cluster": {}, "namespace": {
		"shop": {"networking.k8s.io/v1": {"NetworkPolicy": {"p": k8s_policy}}, "projectcalico.org/v3": {"NetworkPolicy": {"calico": calico}}},
		"other": {"networking.k8s.io/v1": {"NetworkPolicy": {"other": other_ns}}},
	}}
	ps := netpol.policies with input as {"object": {}, "namespace": "shop"} with data.inventory as inv
	ps == [k8s_policy]
}

test_has_default_deny if {
	inv := {"cluster": {}, "namespace": {"shop": {"networking.k8s.io/v1": {"NetworkPolicy": {"p": np({"podSelector": {}})}}}}}
	netpol.has_default_deny("Ingress") with input as {"object": {}, "namespace": "shop"} with data.inventory as inv
	not netpol.has_default_deny("Egress") with input as {"object": {}, "namespace": "shop"} with data.inventory as inv
	not netpol.has_default_deny("Ingress") with input as {"object": {}, "namespace": "other"} with data.inventory as inv
}

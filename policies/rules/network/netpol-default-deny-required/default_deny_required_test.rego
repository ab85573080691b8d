package feastflow.rules.network.default_deny_required_test

import data.feastflow.rules.network.default_deny_required

deployment := {
	"object": {
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": {"name": "api", "namespace": "shop"},
		"spec": {
			"selector": {"matchLabels": {"app": "api"}},
			"template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "api"}]}},
		},
	},
	"namespace": "shop",
}

policy(name, spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": name, "namespace": "shop"}, "spec": spec}

# inventory files the policies under the namespace "shop".
inventory(policies) := {"cluster": {}, "namespace": {"shop": {"networking.k8s.io/v1": {"NetworkPolicy": {p.metadata.name: p | some p in policies}}}}}

missing_ingress := {"msg": "namespace \"shop\" has no default-deny ingress NetworkPolicy (empty podSelector, Ingress in policyTypes, no ingress rules)", "path": ["metadata"]}

missing_egress := {"msg": "namespace \"shop\" has no default-deny egress NetworkPolicy (empty podSelector, Egress in policyTypes, no egress rules)", "path": ["metadata"]}

egress_required := {"require_default_deny_egress": true}

test_no_policy_is_reported if {
	v := default_deny_required.violation with input as deployment with data.inventory as inventory([])
	v == {missing_ingress}
}

test_default_deny_without_policy_types_passes if {
	inv := inventory([policy("default-deny", {"podSelector": {}})])
	count(default_deny_required.violation) == 0 with input as deployment with data.inventory as inv
}

test_default_deny_with_explicit_ingress_passes if {
	inv := inventory([policy("default-deny", {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": []})])
	count(default_deny_required.violation) == 0 with input as deployment with data.inventory as inv
}

test_policy_with_ingress_rules_is_not_a_default_deny if {
	inv := inventory([policy("allow-all", {"podSelector": {}, "ingress": [{}]})])
	v := default_deny_required.violation with input as deployment with data.inventory as inv
	v == {missing_ingress}
}

test_policy_with_pod_selector_is_not_a_default_deny if {
	inv := inventory([policy("deny-api", {"podSelector": {"matchLabels": {"app": "api"}}})])
	v := default_deny_required.violation with input as deployment with data.inventory as inv
	v == {missing_ingress}
}

test_egress_only_policy_is_not_an_ingress_default_deny if {
	inv := inventory([policy("deny-egress", {"podSelector": {}, "policyTypes": ["Egress"]})])
	v := default_deny_required.violation with input as deployment with data.inventory as inv
	v == {missing_ingress}
}

test_policy_in_another_namespace_does_not_count if {
	other := json.patch(policy("default-deny", {"podSelector": {}}), [{"op": "replace", "path": "/metadata/namespace", "value": "billing"}])
	inv := {"cluster": {}, "namespace": {"billing": {"networking.k8s.io/v1": {"NetworkPolicy": {"default-deny": other}}}}}
	v := default_deny_required.violation with input as deployment with data.inventory as inv
	v == {missing_ingress}
}

test_effective_namespace_is_used if {
	# The manifest names no namespace; the run's default namespace is "shop".
	no_ns := json.patch(deployment, [{"op": "remove", "path": "/object/metadata/namespace"}])
	inv := inventory([policy("default-deny", {"podSelector": {}})])
	count(default_deny_required.violation) == 0 with input as no_ns with data.inventory as inv
	v := default_deny_required.violation with input as json.patch(no_ns, [{"op": "replace", "path": "/namespace", "value": "billing"}])
		with data.inventory as inv
	v == {json.patch(missing_ingress, [{"op": "replace", "path": "/msg", "value": replace(missing_ingress.msg, "shop", "billing")}])}
}

test_other_api_groups_do_not_count if {
	calico := {"apiVersion": "projectcalico.org/v3", "kind": "NetworkPolicy", "metadata": {"name": "default-deny", "namespace": "shop"}, "spec": {"selector": "all()", "types": ["Ingress"]}}
	inv := {"cluster": {}, "namespace": {"shop": {"projectcalico.org/v3": {"NetworkPolicy": {"default-deny": calico}}}}}
	v := default_deny_required.violation with input as deployment with data.inventory as inv
	v == {missing_ingress}
}

test_egress_is_not_required_by_default if {
	inv := inventory([policy("default-deny", {"podSelector": {}})])
	count(default_deny_required.violation) == 0 with input as deployment with data.inventory as inv
}

test_egress_required_by_parameter if {
	inv := inventory([policy("default-deny", {"podSelector": {}})])
	v := default_deny_required.violation with input as deployment with data.inventory as inv with data.feastflow.params as egress_required
	v == {missing_egress}
}

test_both_directions_missing_are_reported_separately if {
	v := default_deny_required.violation with input as deployment with data.inventory as inventory([]) with data.feastflow.params as egress_required
	v == {missing_ingress, missing_egress}
}

test_one_policy_denying_both_directions_passes if {
	inv := inventory([policy("default-deny", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})])
	count(default_deny_required.violation) == 0 with input as deployment with data.inventory as inv with data.feastflow.params as egress_required
}

test_separate_ingress_and_egress_policies_pass if {
	inv := inventory([
		policy("deny-ingress", {"podSelector": {}}),
		policy("deny-egress", {"podSelector": {}, "policyTypes": ["Egress"]}),
	])
	count(default_deny_required.violation) == 0 with input as deployment with data.inventory as inv with data.feastflow.params as egress_required
}

test_defaulted_egress_with_rules_is_not_an_egress_default_deny if {
	# No policyTypes and egress rules: defaulted to [Ingress, Egress], but egress is allowed.
	inv := inventory([policy("default-deny", {"podSelector": {}, "egress": [{"to": [{"namespaceSelector": {}}]}]})])
	v := default_deny_required.violation with input as deployment with data.inventory as inv with data.feastflow.params as egress_required
	v == {missing_egress}
}

test_every_workload_kind_is_checked if {
	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug", "namespace": "shop"}, "spec": {"containers": [{"name": "debug"}]}}, "namespace": "shop"}
	cronjob := {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "shop"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "report"}]}}}}}}, "namespace": "shop"}
	v1 := default_deny_required.violation with input as pod with data.inventory as inventory([])
	v1 == {missing_ingress}
	v2 := default_deny_required.violation with input as cronjob with data.inventory as inventory([])
	v2 == {missing_ingress}
}

test_non_workloads_are_not_checked if {
	svc := {"object": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"}, "spec": {"selector": {"app": "api"}}}, "namespace": "shop"}
	count(default_deny_required.violation) == 0 with input as svc with data.inventory as inventory([])
	np := {"object": policy("allow-web", {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{}]}), "namespace": "shop"}
	count(default_deny_required.violation) == 0 with input as np with data.inventory as inventory([])
}

test_host_network_pods_demand_no_default_deny if {
	host := json.patch(deployment, [{"op": "add", "path": "/object/spec/template/spec/hostNetwork", "value": true}])
	count(default_deny_required.violation) == 0 with input as host with data.inventory as inventory([])
}

package feastflow.rules.network.selects_nothing_test

import data.feastflow.rules.network.selects_nothing

policy(name, spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": name, "namespace": "shop"}, "spec": spec}

allow_api := policy("allow-api", {
	"podSelector": {"matchLabels": {"app": "api"}},
	"ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}],
})

input_for(p) := {"object": p, "namespace": "shop"}

# Workloads as the inventory keeps them: metadata, selector and pod-template metadata.
deployment(name, labels) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "shop"}, "spec": {
	"selector": {"matchLabels": labels},
	"template": {"metadata": {"labels": labels}},
}}

inventory(workloads) := {"cluster": {}, "namespace": {"shop": {
	"apps/v1": {"Deployment": {w.metadata.name: w | some w in workloads; w.kind == "Deployment"}},
	"v1": {"Pod": {w.metadata.name: w | some w in workloads; w.kind == "Pod"}},
	"batch/v1": {"CronJob": {w.metadata.name: w | some w in workloads; w.kind == "CronJob"}},
}}}

allow_api_finding := {"msg": "podSelector matches the pods of no workload in namespace \"shop\"", "path": ["spec", "podSelector"]}

test_policy_selecting_nothing_is_reported if {
	v := selects_nothing.violation with input as input_for(allow_api)
		with data.inventory as inventory([deployment("web", {"app": "web"})])
	v == {allow_api_finding}
}

test_empty_inventory_is_reported if {
	v := selects_nothing.violation with input as input_for(allow_api) with data.inventory as {"cluster": {}, "namespace": {}}
	v == {allow_api_finding}
}

test_policy_selecting_a_deployment_passes if {
	count(selects_nothing.violation) == 0 with input as input_for(allow_api)
		with data.inventory as inventory([deployment("api", {"app": "api", "tier": "backend"})])
}

test_pod_labels_are_used_not_the_workload_labels if {
	# The Deployment itself carries app=api, its pods do not.
	d := json.patch(deployment("api", {"app": "api-v2"}), [{"op": "add", "path": "/metadata/labels", "value": {"app": "api"}}])
	v := selects_nothing.violation with input as input_for(allow_api) with data.inventory as inventory([d])
	v == {allow_api_finding}
}

test_bare_pod_and_cronjob_count if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api-0", "namespace": "shop", "labels": {"app": "api"}}}
	count(selects_nothing.violation) == 0 with input as input_for(allow_api) with data.inventory as inventory([pod])
	cronjob := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "shop"}, "spec": {"template": {"metadata": {"labels": {"app": "report"}}}}}
	report := policy("allow-report", {"podSelector": {"matchLabels": {"app": "report"}}, "policyTypes": ["Egress"], "egress": [{}]})
	count(selects_nothing.violation) == 0 with input as input_for(report) with data.inventory as inventory([cronjob])
}

test_workloads_of_other_namespaces_do_not_count if {
	other := json.patch(deployment("api", {"app": "api"}), [{"op": "replace", "path": "/metadata/namespace", "value": "billing"}])
	inv := {"cluster": {}, "namespace": {"billing": {"apps/v1": {"Deployment": {"api": other}}}}}
	v := selects_nothing.violation with input as input_for(allow_api) with data.inventory as inv
	v == {allow_api_finding}
}

test_effective_namespace_is_used if {
	no_ns := json.patch(allow_api, [{"op": "remove", "path": "/metadata/namespace"}])
	inv := inventory([deployment("api", {"app": "api"})])
	count(selects_nothing.violation) == 0 with input as {"object": no_ns, "namespace": "shop"} with data.inventory as inv
	v := selects_nothing.violation with input as {"object": no_ns, "namespace": "billing"} with data.inventory as inv
	v == {{"msg": "podSelector matches the pods of no workload in namespace \"billing\"", "path": ["spec", "podSelector"]}}
}

test_match_expressions if {
	inv := inventory([deployment("api", {"app": "api", "tier": "backend"})])
	selecting := [
		{"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend", "db"]}]},
		{"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["frontend"]}]},
		{"matchExpressions": [{"key": "app", "operator": "Exists"}]},
		{"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]},
		{"matchLabels": {"app": "api"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]},
	]
	every sel in selecting {
		count(selects_nothing.violation) == 0 with input as input_for(policy("p", {"podSelector": sel})) with data.inventory as inv
	}
	not_selecting := [
		{"matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]},
		{"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["backend"]}]},
		{"matchExpressions": [{"key": "canary", "operator": "Exists"}]},
		{"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]},
		{"matchLabels": {"app": "api"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]},
	]
	every sel in not_selecting {
		count(selects_nothing.violation) == 1 with input as input_for(policy("p", {"podSelector": sel})) with data.inventory as inv
	}
}

test_empty_pod_selector_is_never_reported if {
	empty := {"cluster": {}, "namespace": {}}
	count(selects_nothing.violation) == 0 with input as input_for(policy("default-deny", {"podSelector": {}})) with data.inventory as empty
	count(selects_nothing.violation) == 0 with input as input_for(policy("default-deny", {})) with data.inventory as empty
	count(selects_nothing.violation) == 0 with input as input_for(policy("default-deny", {"podSelector": {"matchLabels": {}, "matchExpressions": []}})) with data.inventory as empty
	count(selects_nothing.violation) == 0 with input as input_for(policy("default-deny", {"podSelector": {"matchLabels": null}})) with data.inventory as empty
}

test_other_kinds_are_not_checked if {
	calico := {"apiVersion": "projectcalico.org/v3", "kind": "NetworkPolicy", "metadata": {"name": "x", "namespace": "shop"}, "spec": {"podSelector": {"matchLabels": {"app": "nothing"}}}}
	count(selects_nothing.violation) == 0 with input as input_for(calico) with data.inventory as inventory([])
	d := json.patch(deployment("api", {"app": "api"}), [{"op": "add", "path": "/spec/podSelector", "value": {"matchLabels": {"app": "nothing"}}}])
	count(selects_nothing.violation) == 0 with input as input_for(d) with data.inventory as inventory([])
}

host_network(w) := json.patch(w, [{"op": "add", "path": "/spec/template/spec", "value": {"hostNetwork": true}}])

test_host_network_pods_are_not_counted_as_selected if {
	v := selects_nothing.violation with input as input_for(allow_api)
		with data.inventory as inventory([host_network(deployment("api", {"app": "api"}))])
	v == {{
		"msg": "podSelector matches the pods of no workload in namespace \"shop\", only hostNetwork pods, which NetworkPolicies do not apply to",
		"path": ["spec", "podSelector"],
	}}
	count(selects_nothing.violation) == 0 with input as input_for(allow_api)
		with data.inventory as inventory([host_network(deployment("api-node", {"app": "api"})), deployment("api", {"app": "api"})])
}

test_host_network_pods_are_not_counted_as_selected_pod if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api", "namespace": "shop", "labels": {"app": "api"}}, "spec": {"hostNetwork": true}}
	count(selects_nothing.violation) == 1 with input as input_for(allow_api) with data.inventory as inventory([pod])
}

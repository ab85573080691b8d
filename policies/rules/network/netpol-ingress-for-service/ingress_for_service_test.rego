package feastflow.rules.network.ingress_for_service_test

import data.feastflow.rules.network.ingress_for_service

deployment := {
	"object": {
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": {"name": "api", "namespace": "shop"},
		"spec": {
			"selector": {"matchLabels": {"app": "api"}},
			"template": {"metadata": {"labels": {"app": "api", "tier": "backend"}}, "spec": {"containers": [{"name": "api"}]}},
		},
	},
	"namespace": "shop",
}

service(name, sel) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "shop"}, "spec": {"selector": sel, "ports": [{"port": 80, "targetPort": 8080}]}}

policy(name, spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": name, "namespace": "shop"}, "spec": spec}

default_deny := policy("default-deny", {"podSelector": {}})

allow_api := policy("allow-api", {
	"podSelector": {"matchLabels": {"app": "api"}},
	"ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 8080}]}],
})

# inventory files services and policies under the namespace "shop".
inventory(services, policies) := {"cluster": {}, "namespace": {"shop": {
	"v1": {"Service": {s.metadata.name: s | some s in services}},
	"networking.k8s.io/v1": {"NetworkPolicy": {p.metadata.name: p | some p in policies}},
}}}

labels_path := ["spec", "template", "metadata", "labels"]

one_service := {"msg": "Service \"api\" selects these pods, but no NetworkPolicy in namespace \"shop\" selects them with an ingress rule", "path": labels_path}

test_service_without_policy_is_reported if {
	v := ingress_for_service.violation with input as deployment with data.inventory as inventory([service("api", {"app": "api"})], [])
	v == {one_service}
}

test_default_deny_alone_is_reported if {
	v := ingress_for_service.violation with input as deployment
		with data.inventory as inventory([service("api", {"app": "api"})], [default_deny])
	v == {one_service}
}

test_allowing_policy_passes if {
	inv := inventory([service("api", {"app": "api"})], [default_deny, allow_api])
	count(ingress_for_service.violation) == 0 with input as deployment with data.inventory as inv
}

test_allow_all_ingress_with_empty_selector_passes if {
	inv := inventory([service("api", {"app": "api"})], [policy("allow-all", {"podSelector": {}, "ingress": [{}]})])
	count(ingress_for_service.violation) == 0 with input as deployment with data.inventory as inv
}

test_match_expressions_are_honoured if {
	in_backend := policy("allow-backend", {
		"podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}, {"key": "canary", "operator": "DoesNotExist"}]},
		"ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}]}],
	})
	count(ingress_for_service.violation) == 0 with input as deployment
		with data.inventory as inventory([service("api", {"app": "api"})], [in_backend])
	not_backend := policy("allow-others", {
		"podSelector": {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["backend"]}]},
		"ingress": [{}],
	})
	v := ingress_for_service.violation with input as deployment
		with data.inventory as inventory([service("api", {"app": "api"})], [not_backend])
	v == {one_service}
	needs_canary := policy("allow-canary", {
		"podSelector": {"matchExpressions": [{"key": "canary", "operator": "Exists"}]},
		"ingress": [{}],
	})
	v2 := ingress_for_service.violation with input as deployment
		with data.inventory as inventory([service("api", {"app": "api"})], [needs_canary])
	v2 == {one_service}
}

test_policy_selecting_other_pods_is_reported if {
	allow_web := policy("allow-web", {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{}]})
	v := ingress_for_service.violation with input as deployment
		with data.inventory as inventory([service("api", {"app": "api"})], [allow_web])
	v == {one_service}
}

test_policy_without_ingress_rules_is_reported if {
	deny_api := policy("deny-api", {"podSelector": {"matchLabels": {"app": "api"}}, "ingress": []})
	v := ingress_for_service.violation with input as deployment
		with data.inventory as inventory([service("api", {"app": "api"})], [deny_api])
	v == {one_service}
}

test_ingress_rules_of_an_egress_only_policy_do_not_count if {
	# policyTypes [Egress]: the API server ignores the ingress rules.
	egress_only := policy("egress-only", {"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"], "ingress": [{}], "egress": [{}]})
	v := ingress_for_service.violation with input as deployment
		with data.inventory as inventory([service("api", {"app": "api"})], [egress_only])
	v == {one_service}
}

test_defaulted_policy_types_with_egress_still_cover_ingress if {
	both := policy("api", {"podSelector": {"matchLabels": {"app": "api"}}, "ingress": [{}], "egress": [{}]})
	count(ingress_for_service.violation) == 0 with input as deployment
		with data.inventory as inventory([service("api", {"app": "api"})], [both])
}

test_policy_in_another_namespace_does_not_count if {
	other := json.patch(allow_api, [{"op": "replace", "path": "/metadata/namespace", "value": "billing"}])
	inv := {"cluster": {}, "namespace": {
		"shop": {"v1": {"Service": {"api": service("api", {"app": "api"})}}},
		"billing": {"networking.k8s.io/v1": {"NetworkPolicy": {"allow-api": other}}},
	}}
	v := ingress_for_service.violation with input as deployment with data.inventory as inv
	v == {one_service}
}

test_service_in_another_namespace_does_not_count if {
	other := json.patch(service("api", {"app": "api"}), [{"op": "replace", "path": "/metadata/namespace", "value": "billing"}])
	inv := {"cluster": {}, "namespace": {"billing": {"v1": {"Service": {"api": other}}}}}
	count(ingress_for_service.violation) == 0 with input as deployment with data.inventory as inv
}

test_workload_without_service_is_not_checked if {
	inv := inventory([service("web", {"app": "web"}), service("api", {"app": "api", "tier": "frontend"})], [])
	count(ingress_for_service.violation) == 0 with input as deployment with data.inventory as inv
}

test_service_without_selector_does_not_count if {
	headless := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "external-db", "namespace": "shop"}, "spec": {"ports": [{"port": 5432}]}}
	empty := service("empty", {})
	count(ingress_for_service.violation) == 0 with input as deployment with data.inventory as inventory([headless, empty], [])
}

test_external_name_service_does_not_count if {
	ext := json.patch(service("api", {"app": "api"}), [{"op": "add", "path": "/spec/type", "value": "ExternalName"}, {"op": "add", "path": "/spec/externalName", "value": "api.example.com"}])
	count(ingress_for_service.violation) == 0 with input as deployment with data.inventory as inventory([ext], [])
}

test_several_services_are_named_sorted if {
	inv := inventory([service("api-metrics", {"tier": "backend"}), service("api", {"app": "api"})], [])
	v := ingress_for_service.violation with input as deployment with data.inventory as inv
	v == {{"msg": "Services \"api\", \"api-metrics\" select these pods, but no NetworkPolicy in namespace \"shop\" selects them with an ingress rule", "path": labels_path}}
}

test_pod_path_is_its_labels if {
	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api-0", "namespace": "shop", "labels": {"app": "api"}}, "spec": {"containers": [{"name": "api"}]}}, "namespace": "shop"}
	v := ingress_for_service.violation with input as pod with data.inventory as inventory([service("api", {"app": "api"})], [])
	v == {{"msg": "Service \"api\" selects these pods, but no NetworkPolicy in namespace \"shop\" selects them with an ingress rule", "path": ["metadata", "labels"]}}
}

test_cronjob_path_is_its_template_labels if {
	cronjob := {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "shop"}, "spec": {"jobTemplate": {"spec": {"template": {"metadata": {"labels": {"app": "report"}}, "spec": {"containers": [{"name": "report"}]}}}}}}, "namespace": "shop"}
	v := ingress_for_service.violation with input as cronjob with data.inventory as inventory([service("report", {"app": "report"})], [])
	v == {{"msg": "Service \"report\" selects these pods, but no NetworkPolicy in namespace \"shop\" selects them with an ingress rule", "path": ["spec", "jobTemplate", "spec", "template", "metadata", "labels"]}}
}

test_non_workloads_are_not_checked if {
	svc := {"object": service("api", {"app": "api"}), "namespace": "shop"}
	count(ingress_for_service.violation) == 0 with input as svc with data.inventory as inventory([service("api", {"app": "api"})], [])
}

test_generate_name_only_workload_is_reported if {
	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "api-", "namespace": "shop", "labels": {"app": "api"}}, "spec": {"containers": [{"name": "api"}]}}, "namespace": "shop"}
	v := ingress_for_service.violation with input as pod with data.inventory as inventory([service("api", {"app": "api"})], [])
	v == {json.patch(one_service, [{"op": "replace", "path": "/path", "value": ["metadata", "labels"]}])}
}

test_host_network_pods_are_outside_network_policy if {
	host := json.patch(deployment, [{"op": "add", "path": "/object/spec/template/spec/hostNetwork", "value": true}])
	count(ingress_for_service.violation) == 0 with input as host with data.inventory as inventory([service("api", {"app": "api"})], [])
	off := json.patch(deployment, [{"op": "add", "path": "/object/spec/template/spec/hostNetwork", "value": false}])
	ingress_for_service.violation == {one_service} with input as off with data.inventory as inventory([service("api", {"app": "api"})], [])
}

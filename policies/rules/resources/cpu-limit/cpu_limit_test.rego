package feastflow.rules.resources.cpu_limit_test

import data.feastflow.rules.resources.cpu_limit

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

c0 := ["spec", "template", "spec", "containers", 0]

no_limit := deployment([{"name": "api", "resources": {"requests": {"cpu": "100m"}, "limits": {"memory": "128Mi"}}}])

finding(severity) := {{
	"msg": "container \"api\" has no cpu limit",
	"path": array.concat(c0, ["resources", "limits"]),
	"severity": severity,
}}

test_default_is_warn if {
	cpu_limit.violation == finding("warn") with input as no_limit
}

# Each case: the cpu_limit parameter and the exact violations wanted.
param_cases := {
	"warn": finding("warn"),
	"deny": finding("deny"),
	"off": set(),
	"Deny": finding("deny"),
	" off ": set(),
	"typo falls back to warn": finding("warn"),
}

test_parameter_sets_severity if {
	every value, want in param_cases {
		got := cpu_limit.violation with input as no_limit with data.feastflow.params as {"cpu_limit": value}
		print(value, "got:", got)
		got == want
	}
}

test_limit_set_passes if {
	d := deployment([{"name": "api", "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}}}])
	every value in ["warn", "deny", "off"] {
		count(cpu_limit.violation) == 0 with input as d with data.feastflow.params as {"cpu_limit": value}
	}
}

test_paths_of_missing_fields if {
	d := deployment([
		{"name": "bare"},
		{"name": "empty", "resources": {}},
		{"name": "nulled", "resources": {"limits": {"cpu": null}}},
	])
	cpu_limit.violation == {
		{"msg": "container \"bare\" has no cpu limit", "path": ["spec", "template", "spec", "containers", 0], "severity": "warn"},
		{"msg": "container \"empty\" has no cpu limit", "path": ["spec", "template", "spec", "containers", 1, "resources"], "severity": "warn"},
		{"msg": "container \"nulled\" has no cpu limit", "path": ["spec", "template", "spec", "containers", 2, "resources", "limits", "cpu"], "severity": "warn"},
	} with input as d
}

test_init_containers_and_cronjobs_are_checked if {
	spec := {"initContainers": [{"name": "wait"}], "containers": [{"name": "job", "resources": {"limits": {"cpu": "1"}}}]}
	cron := {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}}
	cpu_limit.violation == {{
		"msg": "container \"wait\" has no cpu limit",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0],
		"severity": "deny",
	}} with input as cron with data.feastflow.params as {"cpu_limit": "deny"}
}

test_limit_range_default_or_max_fills_the_limit if {
	d := object.union(deployment([{"name": "api"}]), {"namespace": "shop"})
	every field in ["default", "max"] {
		inv := {"namespace": {"shop": {"v1": {"LimitRange": {"lr": {
			"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"},
			"spec": {"limits": [{"type": "Container", field: {"cpu": "1"}}]},
		}}}}}}
		count(cpu_limit.violation) == 0 with input as d with data.inventory as inv with data.feastflow.params as {"cpu_limit": "deny"}
	}
	count(cpu_limit.violation) == 1 with input as d with data.feastflow.params as {"cpu_limit": "deny"}
}

test_pod_level_limit_bounds_every_container if {
	pod := {"object": {
		"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
		"spec": {"resources": {"limits": {"cpu": "1"}}, "containers": [{"name": "api"}, {"name": "b"}]},
	}}
	count(cpu_limit.violation) == 0 with input as pod with data.feastflow.params as {"cpu_limit": "deny"}
	count(cpu_limit.violation) == 2 with input as json.patch(pod, [{"op": "remove", "path": "/object/spec/resources"}]) with data.feastflow.params as {"cpu_limit": "deny"}
}

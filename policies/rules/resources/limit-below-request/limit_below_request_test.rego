package feastflow.rules.resources.limit_below_request_test

import data.feastflow.rules.resources.limit_below_request

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

limits_path(name) := ["spec", "template", "spec", "containers", 0, "resources", "limits", name]

# Each case: requests, limits and the exact violations wanted.
cases := {
	"limits above requests": {
		"requests": {"cpu": "250m", "memory": "256Mi"},
		"limits": {"cpu": "1", "memory": "512Mi"},
		"want": set(),
	},
	"limits equal to requests": {
		"requests": {"cpu": "500m", "memory": "1Gi"},
		"limits": {"cpu": "0.5", "memory": "1024Mi"},
		"want": set(),
	},
	"cpu limit below request, millicores against cores": {
		"requests": {"cpu": "1"},
		"limits": {"cpu": "500m"},
		"want": {{"msg": "container \"api\" has a cpu limit (500m) below its request (1)", "path": limits_path("cpu")}},
	},
	"cpu limit below request, decimal": {
		"requests": {"cpu": "750m"},
		"limits": {"cpu": "0.5"},
		"want": {{"msg": "container \"api\" has a cpu limit (0.5) below its request (750m)", "path": limits_path("cpu")}},
	},
	"cpu as numbers": {
		"requests": {"cpu": 2},
		"limits": {"cpu": 1},
		"want": {{"msg": "container \"api\" has a cpu limit (1) below its request (2)", "path": limits_path("cpu")}},
	},
	"memory Mi against Gi": {
		"requests": {"memory": "1Gi"},
		"limits": {"memory": "512Mi"},
		"want": {{"msg": "container \"api\" has a memory limit (512Mi) below its request (1Gi)", "path": limits_path("memory")}},
	},
	"1G is less than 1Gi": {
		"requests": {"memory": "1Gi"},
		"limits": {"memory": "1G"},
		"want": {{"msg": "container \"api\" has a memory limit (1G) below its request (1Gi)", "path": limits_path("memory")}},
	},
	"plain bytes": {
		"requests": {"memory": "134217728"},
		"limits": {"memory": "128Mi"},
		"want": set(),
	},
	"both below": {
		"requests": {"cpu": "2", "memory": "2Gi"},
		"limits": {"cpu": "1", "memory": "1Gi"},
		"want": {
			{"msg": "container \"api\" has a cpu limit (1) below its request (2)", "path": limits_path("cpu")},
			{"msg": "container \"api\" has a memory limit (1Gi) below its request (2Gi)", "path": limits_path("memory")},
		},
	},
	"1288490188800m is exactly 1.2Gi": {
		"requests": {"memory": "1288490188800m"},
		"limits": {"memory": "1.2Gi"},
		"want": set(),
	},
	"one milli-byte more than 1.2Gi": {
		"requests": {"memory": "1288490188801m"},
		"limits": {"memory": "1.2Gi"},
		"want": {{"msg": "container \"api\" has a memory limit (1.2Gi) below its request (1288490188801m)", "path": limits_path("memory")}},
	},
	"large values beyond float precision": {
		"requests": {"memory": "9007199254740993"},
		"limits": {"memory": "9007199254740992"},
		"want": {{"msg": "container \"api\" has a memory limit (9007199254740992) below its request (9007199254740993)", "path": limits_path("memory")}},
	},
	"ephemeral-storage": {
		"requests": {"ephemeral-storage": "2Gi"},
		"limits": {"ephemeral-storage": "1Gi"},
		"want": {{"msg": "container \"api\" has a ephemeral-storage limit (1Gi) below its request (2Gi)", "path": limits_path("ephemeral-storage")}},
	},
	"hugepages and extended resources": {
		"requests": {"hugepages-2Mi": "4Mi", "example.com/fpga": 2},
		"limits": {"hugepages-2Mi": "2Mi", "example.com/fpga": 1},
		"want": {
			{"msg": "container \"api\" has a hugepages-2Mi limit (2Mi) below its request (4Mi)", "path": limits_path("hugepages-2Mi")},
			{"msg": "container \"api\" has a example.com/fpga limit (1) below its request (2)", "path": limits_path("example.com/fpga")},
		},
	},
	"request without limit": {
		"requests": {"cpu": "2", "memory": "2Gi"},
		"limits": {},
		"want": set(),
	},
	"limit without request": {
		"requests": {},
		"limits": {"cpu": "100m"},
		"want": set(),
	},
	"malformed limit is left to the schema rule": {
		"requests": {"cpu": "1", "memory": "1Gi"},
		"limits": {"cpu": "one", "memory": "1 Gi"},
		"want": set(),
	},
	"malformed request is left to the schema rule": {
		"requests": {"cpu": "lots", "memory": true},
		"limits": {"cpu": "1", "memory": "1Gi"},
		"want": set(),
	},
}

test_cases if {
	every name, tc in cases {
		c := {"name": "api", "resources": {"requests": tc.requests, "limits": tc.limits}}
		got := limit_below_request.violation with input as deployment([c])
		print(name, "got:", got)
		got == tc.want
	}
}

test_init_containers_and_jobs_are_checked if {
	spec := {
		"restartPolicy": "Never",
		"initContainers": [{"name": "unpack", "resources": {"requests": {"memory": "256Mi"}, "limits": {"memory": "128Mi"}}}],
		"containers": [{"name": "run"}],
	}
	job := {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "run"}, "spec": {"template": {"spec": spec}}}}
	limit_below_request.violation == {{
		"msg": "container \"unpack\" has a memory limit (128Mi) below its request (256Mi)",
		"path": ["spec", "template", "spec", "initContainers", 0, "resources", "limits", "memory"],
	}} with input as job
}

test_missing_resources_do_not_crash if {
	count(limit_below_request.violation) == 0 with input as deployment([{"name": "api"}, {"name": "b", "resources": {"limits": null, "requests": null}}, {"name": "c", "resources": "big"}])
}

limit_range(items) := {"namespace": {"shop": {"v1": {"LimitRange": {"defaults": {
	"apiVersion": "v1", "kind": "LimitRange",
	"metadata": {"name": "defaults", "namespace": "shop"},
	"spec": {"limits": items},
}}}}}}

test_limit_range_default_below_the_request if {
	d := object.union(deployment([{"name": "api", "resources": {"requests": {"memory": "1Gi", "cpu": "100m"}}}]), {"namespace": "shop"})
	inv := limit_range([{"type": "Container", "default": {"memory": "512Mi", "cpu": "1"}}])
	limit_below_request.violation == {{
		"msg": "container \"api\" has a memory limit (512Mi, the default of LimitRange \"defaults\") below its request (1Gi)",
		"path": ["spec", "template", "spec", "containers", 0, "resources", "requests", "memory"],
	}} with input as d with data.inventory as inv
}

test_own_limit_wins_over_limit_range_default if {
	d := object.union(deployment([{"name": "api", "resources": {"requests": {"memory": "1Gi"}, "limits": {"memory": "2Gi"}}}]), {"namespace": "shop"})
	inv := limit_range([{"type": "Container", "default": {"memory": "512Mi"}}])
	count(limit_below_request.violation) == 0 with input as d with data.inventory as inv
}

test_pod_level_limit_below_request if {
	pod := {"object": {
		"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
		"spec": {"resources": {"requests": {"memory": "2Gi"}, "limits": {"memory": "1Gi", "cpu": "2"}}, "containers": [{"name": "api"}]},
	}}
	limit_below_request.violation == {{
		"msg": "pod-level resources have a memory limit (1Gi) below the request (2Gi)",
		"path": ["spec", "resources", "limits", "memory"],
	}} with input as pod
}

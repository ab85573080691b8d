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

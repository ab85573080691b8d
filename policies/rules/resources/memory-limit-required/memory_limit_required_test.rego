package feastflow.rules.resources.memory_limit_required_test

import data.feastflow.rules.resources.memory_limit_required

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

c0 := ["spec", "template", "spec", "containers", 0]

msg := "container \"api\" has no memory limit"

# Each case: the container and the exact violations wanted.
cases := {
	"memory limit set": {
		"container": {"name": "api", "resources": {"limits": {"memory": "256Mi"}}},
		"want": set(),
	},
	"numeric memory limit": {
		"container": {"name": "api", "resources": {"limits": {"memory": 268435456}}},
		"want": set(),
	},
	"no resources": {
		"container": {"name": "api"},
		"want": {{"msg": msg, "path": c0}},
	},
	"requests only": {
		"container": {"name": "api", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}},
		"want": {{"msg": msg, "path": array.concat(c0, ["resources"])}},
	},
	"cpu limit only": {
		"container": {"name": "api", "resources": {"limits": {"cpu": "1"}}},
		"want": {{"msg": msg, "path": array.concat(c0, ["resources", "limits"])}},
	},
	"null memory limit": {
		"container": {"name": "api", "resources": {"limits": {"memory": null}}},
		"want": {{"msg": msg, "path": array.concat(c0, ["resources", "limits", "memory"])}},
	},
}

test_cases if {
	every name, tc in cases {
		got := memory_limit_required.violation with input as deployment([tc.container])
		print(name, "got:", got)
		got == tc.want
	}
}

test_init_containers_and_jobs_are_checked if {
	spec := {
		"restartPolicy": "OnFailure",
		"initContainers": [{"name": "fetch"}],
		"containers": [{"name": "report", "resources": {"limits": {"memory": "1Gi"}}}],
	}
	job := {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "report"}, "spec": {"template": {"spec": spec}}}}
	memory_limit_required.violation == {{
		"msg": "container \"fetch\" has no memory limit",
		"path": ["spec", "template", "spec", "initContainers", 0],
	}} with input as job
}

test_limit_range_default_or_max_fills_the_limit if {
	d := object.union(deployment([{"name": "api"}]), {"namespace": "shop"})
	every field in ["default", "max"] {
		inv := {"namespace": {"shop": {"v1": {"LimitRange": {"lr": {
			"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"},
			"spec": {"limits": [{"type": "Container", field: {"memory": "1"}}]},
		}}}}}}
		count(memory_limit_required.violation) == 0 with input as d with data.inventory as inv
	}
	count(memory_limit_required.violation) == 1 with input as d
}

test_pod_level_limit_bounds_every_container if {
	pod := {"object": {
		"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
		"spec": {"resources": {"limits": {"memory": "1"}}, "containers": [{"name": "api"}, {"name": "b"}]},
	}}
	count(memory_limit_required.violation) == 0 with input as pod
	count(memory_limit_required.violation) == 2 with input as json.patch(pod, [{"op": "remove", "path": "/object/spec/resources"}])
}

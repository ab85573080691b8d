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

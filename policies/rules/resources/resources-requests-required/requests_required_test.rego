package feastflow.rules.resources.requests_required_test

import data.feastflow.rules.resources.requests_required

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

c0 := ["spec", "template", "spec", "containers", 0]

at(rest) := array.concat(c0, rest)

# Each case: the container's resources (absent when null) and the exact violations wanted.
cases := {
	"both requests set": {
		"resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
		"want": set(),
	},
	"numbers are quantities too": {
		"resources": {"requests": {"cpu": 1, "memory": 134217728}},
		"want": set(),
	},
	"no resources at all": {
		"resources": null,
		"want": {
			{"msg": "container \"api\" has no cpu request", "path": c0},
			{"msg": "container \"api\" has no memory request", "path": c0},
		},
	},
	"empty resources": {
		"resources": {},
		"want": {
			{"msg": "container \"api\" has no cpu request", "path": at(["resources"])},
			{"msg": "container \"api\" has no memory request", "path": at(["resources"])},
		},
	},
	"limits only: the API server sets requests to the limits": {
		"resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
		"want": set(),
	},
	"a memory limit defaults the memory request only": {
		"resources": {"limits": {"memory": "256Mi"}},
		"want": {{"msg": "container \"api\" has no cpu request", "path": at(["resources"])}},
	},
	"a cpu limit fills the missing cpu request": {
		"resources": {"requests": {"memory": "64Mi"}, "limits": {"cpu": "1"}},
		"want": set(),
	},
	"a null request is not defaulted from the limit": {
		"resources": {"requests": {"cpu": null}, "limits": {"cpu": "1", "memory": "1Gi"}},
		"want": {{"msg": "container \"api\" has no cpu request", "path": at(["resources", "requests", "cpu"])}},
	},
	"memory request missing": {
		"resources": {"requests": {"cpu": "100m"}},
		"want": {{"msg": "container \"api\" has no memory request", "path": at(["resources", "requests"])}},
	},
	"cpu request missing": {
		"resources": {"requests": {"memory": "128Mi"}},
		"want": {{"msg": "container \"api\" has no cpu request", "path": at(["resources", "requests"])}},
	},
	"null request is no request": {
		"resources": {"requests": {"cpu": null, "memory": "128Mi"}},
		"want": {{"msg": "container \"api\" has no cpu request", "path": at(["resources", "requests", "cpu"])}},
	},
	"empty requests": {
		"resources": {"requests": null},
		"want": {
			{"msg": "container \"api\" has no cpu request", "path": at(["resources", "requests"])},
			{"msg": "container \"api\" has no memory request", "path": at(["resources", "requests"])},
		},
	},
	"other resources do not count": {
		"resources": {"requests": {"ephemeral-storage": "1Gi", "nvidia.com/gpu": 1}},
		"want": {
			{"msg": "container \"api\" has no cpu request", "path": at(["resources", "requests"])},
			{"msg": "container \"api\" has no memory request", "path": at(["resources", "requests"])},
		},
	},
}

container(resources) := {"name": "api", "image": "api:1"} if resources == null

container(resources) := {"name": "api", "image": "api:1", "resources": resources} if resources != null

test_cases if {
	every name, tc in cases {
		got := requests_required.violation with input as deployment([container(tc.resources)])
		print(name, "got:", got)
		got == tc.want
	}
}

ok := {"cpu": "50m", "memory": "64Mi"}

test_init_containers_and_sidecars_are_checked if {
	spec := {
		"initContainers": [
			{"name": "migrate", "resources": {"requests": {"memory": "64Mi"}}},
			{"name": "proxy", "restartPolicy": "Always", "resources": {"requests": ok}},
		],
		"containers": [{"name": "api", "resources": {"requests": ok}}],
	}
	doc := {"object": {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"}, "spec": {"template": {"spec": spec}}}}
	requests_required.violation == {{
		"msg": "container \"migrate\" has no cpu request",
		"path": ["spec", "template", "spec", "initContainers", 0, "resources", "requests"],
	}} with input as doc
}

test_jobs_and_cronjobs_are_checked if {
	spec := {"restartPolicy": "Never", "containers": [{"name": "backup", "resources": {"requests": {"cpu": "1"}}}]}
	job := {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "backup"}, "spec": {"template": {"spec": spec}}}}
	requests_required.violation == {{
		"msg": "container \"backup\" has no memory request",
		"path": ["spec", "template", "spec", "containers", 0, "resources", "requests"],
	}} with input as job
	cron := {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "backup"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}}
	requests_required.violation == {{
		"msg": "container \"backup\" has no memory request",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "resources", "requests"],
	}} with input as cron
}

test_bare_pods_are_checked if {
	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug"}, "spec": {"restartPolicy": "Never", "containers": [{"name": "sh"}]}}}
	count(requests_required.violation) == 2 with input as pod
}

test_non_workloads_are_not_checked if {
	svc := {"object": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"}, "spec": {"ports": [{"port": 80}]}}}
	count(requests_required.violation) == 0 with input as svc
}

limit_range(name, items) := {"namespace": {"shop": {"v1": {"LimitRange": {name: {
	"apiVersion": "v1", "kind": "LimitRange",
	"metadata": {"name": name, "namespace": "shop"},
	"spec": {"limits": items},
}}}}}}

in_shop(doc) := object.union(doc, {"namespace": "shop"})

bare := in_shop(deployment([{"name": "api", "image": "api:1"}]))

# Each case: the LimitRange items of namespace shop and the exact violations wanted.
limit_range_cases := {
	"defaultRequest fills both": {
		"items": [{"type": "Container", "defaultRequest": {"cpu": "100m", "memory": "64Mi"}}],
		"want": set(),
	},
	"default alone fills the requests too (defaultRequest defaults to default)": {
		"items": [{"type": "Container", "default": {"cpu": "1", "memory": "1Gi"}}],
		"want": set(),
	},
	"max alone becomes default, then defaultRequest": {
		"items": [{"type": "Container", "max": {"memory": "1Gi"}}],
		"want": {{"msg": "container \"api\" has no cpu request", "path": c0}},
	},
	"min alone becomes defaultRequest": {
		"items": [{"type": "Container", "min": {"cpu": "10m", "memory": "8Mi"}}],
		"want": set(),
	},
	"Pod items give containers no defaults": {
		"items": [{"type": "Pod", "max": {"cpu": "2", "memory": "2Gi"}}],
		"want": {
			{"msg": "container \"api\" has no cpu request", "path": c0},
			{"msg": "container \"api\" has no memory request", "path": c0},
		},
	},
}

test_limit_range_defaults_fill_missing_requests if {
	every name, tc in limit_range_cases {
		got := requests_required.violation with input as bare with data.inventory as limit_range("defaults", tc.items)
		print(name, "got:", got)
		got == tc.want
	}
}

test_limit_ranges_of_other_namespaces_do_not_apply if {
	inv := limit_range("defaults", [{"type": "Container", "defaultRequest": {"cpu": "100m", "memory": "64Mi"}}])
	count(requests_required.violation) == 2 with input as object.union(bare, {"namespace": "other"}) with data.inventory as inv
}

pod_with(resources) := {"object": {
	"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
	"spec": {"resources": resources, "containers": [{"name": "api"}, {"name": "log"}]},
}}

test_pod_level_resources_cover_every_container if {
	count(requests_required.violation) == 0 with input as pod_with({"requests": {"cpu": "1", "memory": "1Gi"}})
	count(requests_required.violation) == 0 with input as pod_with({"limits": {"cpu": "1", "memory": "1Gi"}})
	requests_required.violation == {
		{"msg": "container \"api\" has no memory request", "path": ["spec", "containers", 0]},
		{"msg": "container \"log\" has no memory request", "path": ["spec", "containers", 1]},
	} with input as pod_with({"requests": {"cpu": "1"}})
}

package feastflow.rules.resources.over_maximum_test

import data.feastflow.rules.resources.over_maximum

deployment(containers) := {"namespace": "shop", "object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api", "namespace": "shop"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

path(section, name) := ["spec", "template", "spec", "containers", 0, "resources", section, name]

big := deployment([{"name": "api", "resources": {
	"requests": {"cpu": "3", "memory": "6Gi"},
	"limits": {"cpu": "6", "memory": "12Gi"},
}}])

# limit_ranges(ns, ranges) is an inventory holding LimitRanges (name: spec.limits) in namespace ns.
limit_ranges(ns, ranges) := {"namespace": {ns: {"v1": {"LimitRange": {name: lr |
	some name, limits in ranges
	lr := {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": name, "namespace": ns}, "spec": {"limits": limits}}
}}}}}

test_off_by_default if {
	count(over_maximum.violation) == 0 with input as big
}

# Each case: the max_cpu and max_memory parameters and the exact violations wanted for `big`.
param_cases := {
	"both off": {
		"params": {"max_cpu": "", "max_memory": ""},
		"want": set(),
	},
	"maxima above everything": {
		"params": {"max_cpu": "8", "max_memory": "16Gi"},
		"want": set(),
	},
	"maxima equal to the limits": {
		"params": {"max_cpu": "6000m", "max_memory": "12Gi"},
		"want": set(),
	},
	"cpu limit above max_cpu": {
		"params": {"max_cpu": "4"},
		"want": {{"msg": "container \"api\" has a cpu limit (6) above the maximum (4) set by parameter max_cpu", "path": path("limits", "cpu")}},
	},
	"cpu request and limit above max_cpu": {
		"params": {"max_cpu": "2500m"},
		"want": {
			{"msg": "container \"api\" has a cpu request (3) above the maximum (2500m) set by parameter max_cpu", "path": path("requests", "cpu")},
			{"msg": "container \"api\" has a cpu limit (6) above the maximum (2500m) set by parameter max_cpu", "path": path("limits", "cpu")},
		},
	},
	"memory limit above max_memory, only memory checked": {
		"params": {"max_memory": "8Gi"},
		"want": {{"msg": "container \"api\" has a memory limit (12Gi) above the maximum (8Gi) set by parameter max_memory", "path": path("limits", "memory")}},
	},
	"decimal SI maximum": {
		"params": {"max_memory": "10G"},
		"want": {{"msg": "container \"api\" has a memory limit (12Gi) above the maximum (10G) set by parameter max_memory", "path": path("limits", "memory")}},
	},
	"both maxima": {
		"params": {"max_cpu": "5", "max_memory": "4Gi"},
		"want": {
			{"msg": "container \"api\" has a cpu limit (6) above the maximum (5) set by parameter max_cpu", "path": path("limits", "cpu")},
			{"msg": "container \"api\" has a memory request (6Gi) above the maximum (4Gi) set by parameter max_memory", "path": path("requests", "memory")},
			{"msg": "container \"api\" has a memory limit (12Gi) above the maximum (4Gi) set by parameter max_memory", "path": path("limits", "memory")},
		},
	},
	"malformed maximum sets none": {
		"params": {"max_cpu": "four", "max_memory": "4Gi"},
		"want": {
			{"msg": "container \"api\" has a memory request (6Gi) above the maximum (4Gi) set by parameter max_memory", "path": path("requests", "memory")},
			{"msg": "container \"api\" has a memory limit (12Gi) above the maximum (4Gi) set by parameter max_memory", "path": path("limits", "memory")},
		},
	},
}

test_parameters if {
	every name, tc in param_cases {
		got := over_maximum.violation with input as big with data.feastflow.params as tc.params
		print(name, "got:", got)
		got == tc.want
	}
}

# Each case: the namespace's LimitRanges, the parameters and the exact violations wanted for `big`.
limit_range_cases := {
	"container max exceeded": {
		"ranges": {"container-max": [{"type": "Container", "max": {"cpu": "4", "memory": "16Gi"}}]},
		"params": {},
		"want": {{"msg": "container \"api\" has a cpu limit (6) above the maximum (4) of LimitRange \"container-max\"", "path": path("limits", "cpu")}},
	},
	"pod and PVC items are not per-container maxima": {
		"ranges": {"pods": [{"type": "Pod", "max": {"cpu": "1", "memory": "1Gi"}}, {"type": "PersistentVolumeClaim", "max": {"storage": "1Gi"}}]},
		"params": {},
		"want": set(),
	},
	"defaults are not maxima": {
		"ranges": {"defaults": [{"type": "Container", "default": {"cpu": "1"}, "defaultRequest": {"cpu": "100m"}}]},
		"params": {},
		"want": set(),
	},
	"the strictest maximum is reported once": {
		"ranges": {
			"team": [{"type": "Container", "max": {"memory": "10Gi"}}],
			"platform": [{"type": "Container", "max": {"memory": "8Gi"}}],
		},
		"params": {"max_memory": "9Gi"},
		"want": {{"msg": "container \"api\" has a memory limit (12Gi) above the maximum (8Gi) of LimitRange \"platform\"", "path": path("limits", "memory")}},
	},
	"a stricter parameter wins over a LimitRange": {
		"ranges": {"team": [{"type": "Container", "max": {"cpu": "8"}}]},
		"params": {"max_cpu": "5"},
		"want": {{"msg": "container \"api\" has a cpu limit (6) above the maximum (5) set by parameter max_cpu", "path": path("limits", "cpu")}},
	},
	"malformed LimitRange max sets none": {
		"ranges": {"broken": [{"type": "Container", "max": {"cpu": "many"}}]},
		"params": {},
		"want": set(),
	},
}

test_limit_ranges if {
	every name, tc in limit_range_cases {
		got := over_maximum.violation with input as big with data.inventory as limit_ranges("shop", tc.ranges) with data.feastflow.params as tc.params
		print(name, "got:", got)
		got == tc.want
	}
}

test_limit_ranges_of_other_namespaces_do_not_apply if {
	inv := limit_ranges("kube-system", {"tight": [{"type": "Container", "max": {"cpu": "100m"}}]})
	count(over_maximum.violation) == 0 with input as big with data.inventory as inv
}

test_numeric_quantities if {
	d := deployment([{"name": "api", "resources": {"requests": {"cpu": 2}, "limits": {"memory": 2147483648}}}])
	over_maximum.violation == {
		{"msg": "container \"api\" has a cpu request (2) above the maximum (1500m) set by parameter max_cpu", "path": path("requests", "cpu")},
		{"msg": "container \"api\" has a memory limit (2147483648) above the maximum (1Gi) set by parameter max_memory", "path": path("limits", "memory")},
	} with input as d with data.feastflow.params as {"max_cpu": "1500m", "max_memory": "1Gi"}
}

test_init_containers_are_checked if {
	spec := {
		"initContainers": [{"name": "warm-cache", "resources": {"requests": {"memory": "2Gi"}}}],
		"containers": [{"name": "api", "resources": {"requests": {"memory": "512Mi"}}}],
	}
	pod := {"namespace": "shop", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}, "spec": spec}}
	over_maximum.violation == {{
		"msg": "container \"warm-cache\" has a memory request (2Gi) above the maximum (1Gi) set by parameter max_memory",
		"path": ["spec", "initContainers", 0, "resources", "requests", "memory"],
	}} with input as pod with data.feastflow.params as {"max_memory": "1Gi"}
}

test_malformed_and_missing_quantities_do_not_crash if {
	d := deployment([{"name": "api", "resources": {"requests": {"cpu": "lots"}, "limits": null}}, {"name": "b"}])
	count(over_maximum.violation) == 0 with input as d with data.feastflow.params as {"max_cpu": "1", "max_memory": "1Gi"}
}

test_non_workloads_are_not_checked if {
	lr := {"namespace": "shop", "object": {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "x"}, "spec": {"limits": [{"type": "Container", "max": {"cpu": "1"}}]}}}
	count(over_maximum.violation) == 0 with input as lr with data.feastflow.params as {"max_cpu": "1m"}
}

package feastflow.lib.resources_test

import data.feastflow.lib.resources

entry(container) := {"container": container, "path": ["spec", "containers", 0], "init": false}

# Each case: the container's resources (or the container itself) and the wanted quantity and path of requests.cpu.
cases := {
	"set": {
		"container": {"name": "a", "resources": {"requests": {"cpu": "100m"}}},
		"quantity": "100m",
		"path": ["spec", "containers", 0, "resources", "requests", "cpu"],
	},
	"number": {
		"container": {"name": "a", "resources": {"requests": {"cpu": 0}}},
		"quantity": 0,
		"path": ["spec", "containers", 0, "resources", "requests", "cpu"],
	},
	"null": {
		"container": {"name": "a", "resources": {"requests": {"cpu": null}}},
		"quantity": "undefined",
		"path": ["spec", "containers", 0, "resources", "requests", "cpu"],
	},
	"section without it": {
		"container": {"name": "a", "resources": {"requests": {"memory": "1Gi"}}},
		"quantity": "undefined",
		"path": ["spec", "containers", 0, "resources", "requests"],
	},
	"null section": {
		"container": {"name": "a", "resources": {"requests": null}},
		"quantity": "undefined",
		"path": ["spec", "containers", 0, "resources", "requests"],
	},
	"no section": {
		"container": {"name": "a", "resources": {"limits": {"cpu": "1"}}},
		"quantity": "undefined",
		"path": ["spec", "containers", 0, "resources"],
	},
	"no resources": {
		"container": {"name": "a"},
		"quantity": "undefined",
		"path": ["spec", "containers", 0],
	},
	"resources of the wrong type": {
		"container": {"name": "a", "resources": "lots"},
		"quantity": "undefined",
		"path": ["spec", "containers", 0, "resources"],
	},
}

quantity_or_undefined(c) := q if {
	q := resources.quantity(c, "requests", "cpu")
} else := "undefined"

test_cases if {
	every name, tc in cases {
		c := entry(tc.container)
		got := [quantity_or_undefined(c), resources.path(c, "requests", "cpu")]
		print(name, "got:", got)
		got == [tc.quantity, tc.path]
	}
}

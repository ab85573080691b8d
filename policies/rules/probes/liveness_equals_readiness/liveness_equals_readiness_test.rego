package feastflow.rules.probes.liveness_equals_readiness_test

import data.feastflow.rules.probes.liveness_equals_readiness

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

health := {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10}

same_msg := "container \"api\" has a livenessProbe identical to its readinessProbe"

same_path := ["spec", "template", "spec", "containers", 0, "livenessProbe"]

# Each case: one container and the exact violations wanted.
cases := {
	"identical probes": {
		"container": {"name": "api", "livenessProbe": health, "readinessProbe": health},
		"want": {{"msg": same_msg, "path": same_path}},
	},
	"identical up to key order": {
		"container": {"name": "api", "livenessProbe": {"periodSeconds": 10, "httpGet": {"port": "http", "path": "/healthz"}}, "readinessProbe": health},
		"want": {{"msg": same_msg, "path": same_path}},
	},
	"different endpoints": {
		"container": {"name": "api", "livenessProbe": health, "readinessProbe": json.patch(health, [{"op": "replace", "path": "/httpGet/path", "value": "/ready"}])},
		"want": set(),
	},
	"same endpoint, more tolerant liveness": {
		"container": {"name": "api", "livenessProbe": object.union(health, {"failureThreshold": 6}), "readinessProbe": health},
		"want": set(),
	},
	"only a liveness probe": {
		"container": {"name": "api", "livenessProbe": health},
		"want": set(),
	},
	"only a readiness probe": {
		"container": {"name": "api", "readinessProbe": health},
		"want": set(),
	},
	"no probes": {
		"container": {"name": "api"},
		"want": set(),
	},
	"null probes are not probes": {
		"container": {"name": "api", "livenessProbe": null, "readinessProbe": null},
		"want": set(),
	},
}

test_cases if {
	every name, tc in cases {
		got := liveness_equals_readiness.violation with input as deployment([tc.container])
		print(name, "got:", got)
		got == tc.want
	}
}

test_each_container_is_judged_on_its_own if {
	containers := [
		{"name": "api", "livenessProbe": health, "readinessProbe": {"tcpSocket": {"port": "http"}}},
		{"name": "proxy", "livenessProbe": {"tcpSocket": {"port": 15000}}, "readinessProbe": {"tcpSocket": {"port": 15000}}},
	]
	liveness_equals_readiness.violation == {{
		"msg": "container \"proxy\" has a livenessProbe identical to its readinessProbe",
		"path": ["spec", "template", "spec", "containers", 1, "livenessProbe"],
	}} with input as deployment(containers)
}

test_run_to_completion_and_init_containers_are_not_checked if {
	same := {"name": "c", "livenessProbe": health, "readinessProbe": health}
	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "once"}, "spec": {"restartPolicy": "OnFailure", "containers": [same]}}}
	count(liveness_equals_readiness.violation) == 0 with input as pod
	init := json.patch(deployment([{"name": "api"}]), [{"op": "add", "path": "/object/spec/template/spec/initContainers", "value": [same]}])
	count(liveness_equals_readiness.violation) == 0 with input as init
}

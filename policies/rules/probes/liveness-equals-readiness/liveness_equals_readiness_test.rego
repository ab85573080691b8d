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

ported(probe) := object.union(probe, {"httpGet": object.union(probe.httpGet, {"port": 8080})})

with_ports(c) := object.union(c, {"ports": [{"name": "http", "containerPort": 8080}]})

# Each case: one container (with port http = 8080) and the exact violations wanted,
# comparing probes after defaulting and port resolution.
kubelet_cases := {
	"a named port and its number are the same probe": {
		"container": with_ports({"name": "api", "livenessProbe": health, "readinessProbe": ported(health)}),
		"want": {{"msg": same_msg, "path": same_path}},
	},
	"explicit defaults are the defaults": {
		"container": with_ports({
			"name": "api",
			"livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
			"readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3, "successThreshold": 1, "initialDelaySeconds": 0},
		}),
		"want": {{"msg": same_msg, "path": same_path}},
	},
	"an empty httpGet path is /": {
		"container": with_ports({"name": "api", "livenessProbe": {"httpGet": {"port": "http"}}, "readinessProbe": {"httpGet": {"port": "http", "path": "/"}}}),
		"want": {{"msg": same_msg, "path": same_path}},
	},
	"a named port of another number differs": {
		"container": with_ports({"name": "api", "livenessProbe": health, "readinessProbe": json.patch(health, [{"op": "replace", "path": "/httpGet/port", "value": 8081}])}),
		"want": set(),
	},
	"a different default-overriding timeout differs": {
		"container": with_ports({"name": "api", "livenessProbe": object.union(health, {"timeoutSeconds": 5}), "readinessProbe": health}),
		"want": set(),
	},
	"HTTPS differs from HTTP": {
		"container": with_ports({"name": "api", "livenessProbe": json.patch(health, [{"op": "add", "path": "/httpGet/scheme", "value": "HTTPS"}]), "readinessProbe": health}),
		"want": set(),
	},
	"tcpSocket by name and number": {
		"container": with_ports({"name": "api", "livenessProbe": {"tcpSocket": {"port": "http"}}, "readinessProbe": {"tcpSocket": {"port": 8080}}}),
		"want": {{"msg": same_msg, "path": same_path}},
	},
	"empty probes are no probes": {
		"container": {"name": "api", "livenessProbe": {}, "readinessProbe": {}},
		"want": set(),
	},
}

test_probes_are_compared_as_the_kubelet_runs_them if {
	every name, tc in kubelet_cases {
		got := liveness_equals_readiness.violation with input as deployment([tc.container])
		print(name, "got:", got)
		got == tc.want
	}
}

test_native_sidecars_are_checked if {
	same := {"name": "proxy", "restartPolicy": "Always", "livenessProbe": {"tcpSocket": {"port": 15000}}, "readinessProbe": {"tcpSocket": {"port": 15000}}}
	d := json.patch(deployment([{"name": "api"}]), [{"op": "add", "path": "/object/spec/template/spec/initContainers", "value": [same]}])
	liveness_equals_readiness.violation == {{
		"msg": "sidecar container \"proxy\" has a livenessProbe identical to its readinessProbe",
		"path": ["spec", "template", "spec", "initContainers", 0, "livenessProbe"],
	}} with input as d
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

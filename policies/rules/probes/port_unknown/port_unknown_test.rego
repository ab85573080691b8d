package feastflow.rules.probes.port_unknown_test

import data.feastflow.rules.probes.port_unknown

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

c0 := ["spec", "template", "spec", "containers", 0]

ports := [{"name": "http", "containerPort": 8080}, {"name": "grpc", "containerPort": 9090, "protocol": "TCP"}]

# api(probes) is a container named api with the ports above and the given probes.
api(probes) := object.union({"name": "api", "ports": ports}, probes)

# Each case: one container and the exact violations wanted.
cases := {
	"named httpGet port declared": {
		"container": api({"livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}}}),
		"want": set(),
	},
	"numbered httpGet port declared": {
		"container": api({"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}}}),
		"want": set(),
	},
	"tcpSocket and grpc ports declared": {
		"container": api({
			"livenessProbe": {"tcpSocket": {"port": "grpc"}},
			"readinessProbe": {"grpc": {"port": 9090}},
			"startupProbe": {"tcpSocket": {"port": 8080}},
		}),
		"want": set(),
	},
	"exec probes have no port": {
		"container": {"name": "api", "livenessProbe": {"exec": {"command": ["true"]}}},
		"want": set(),
	},
	"unknown named port": {
		"container": api({"livenessProbe": {"httpGet": {"path": "/healthz", "port": "health"}}}),
		"want": {{
			"msg": "container \"api\" livenessProbe httpGet port \"health\" matches no port name of the container",
			"path": array.concat(c0, ["livenessProbe", "httpGet", "port"]),
		}},
	},
	"unknown numbered port": {
		"container": api({"readinessProbe": {"tcpSocket": {"port": 8081}}}),
		"want": {{
			"msg": "container \"api\" readinessProbe tcpSocket port 8081 matches no containerPort of the container",
			"path": array.concat(c0, ["readinessProbe", "tcpSocket", "port"]),
		}},
	},
	"unknown grpc port on a startup probe": {
		"container": api({"startupProbe": {"grpc": {"port": 50051}}}),
		"want": {{
			"msg": "container \"api\" startupProbe grpc port 50051 matches no containerPort of the container",
			"path": array.concat(c0, ["startupProbe", "grpc", "port"]),
		}},
	},
	"a port name is not a number": {
		"container": api({"livenessProbe": {"tcpSocket": {"port": "8080"}}}),
		"want": {{
			"msg": "container \"api\" livenessProbe tcpSocket port \"8080\" matches no port name of the container",
			"path": array.concat(c0, ["livenessProbe", "tcpSocket", "port"]),
		}},
	},
	"a port number is not a name": {
		"container": {"name": "api", "ports": [{"name": "8080", "containerPort": 80}], "livenessProbe": {"tcpSocket": {"port": 8080}}},
		"want": {{
			"msg": "container \"api\" livenessProbe tcpSocket port 8080 matches no containerPort of the container",
			"path": array.concat(c0, ["livenessProbe", "tcpSocket", "port"]),
		}},
	},
	"container without ports": {
		"container": {"name": "api", "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}}},
		"want": {{
			"msg": "container \"api\" readinessProbe httpGet port \"http\" matches no port name of the container",
			"path": array.concat(c0, ["readinessProbe", "httpGet", "port"]),
		}},
	},
	"every bad probe is reported": {
		"container": api({
			"livenessProbe": {"httpGet": {"path": "/healthz", "port": "admin"}},
			"readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}},
			"startupProbe": {"tcpSocket": {"port": 7000}},
		}),
		"want": {
			{
				"msg": "container \"api\" livenessProbe httpGet port \"admin\" matches no port name of the container",
				"path": array.concat(c0, ["livenessProbe", "httpGet", "port"]),
			},
			{
				"msg": "container \"api\" startupProbe tcpSocket port 7000 matches no containerPort of the container",
				"path": array.concat(c0, ["startupProbe", "tcpSocket", "port"]),
			},
		},
	},
	"a port of the wrong type is left to the schema rule": {
		"container": api({"livenessProbe": {"httpGet": {"path": "/healthz", "port": null}}}),
		"want": set(),
	},
	"a probe of another host is not checked": {
		"container": api({"livenessProbe": {"httpGet": {"host": "auth.example.com", "path": "/healthz", "port": 443}}}),
		"want": set(),
	},
	"an empty host is the pod's own": {
		"container": api({"livenessProbe": {"tcpSocket": {"host": "", "port": 8081}}}),
		"want": {{
			"msg": "container \"api\" livenessProbe tcpSocket port 8081 matches no containerPort of the container",
			"path": array.concat(c0, ["livenessProbe", "tcpSocket", "port"]),
		}},
	},
	"a handler without a port is left to the schema rule": {
		"container": api({"livenessProbe": {"httpGet": {"path": "/healthz"}}}),
		"want": set(),
	},
}

test_cases if {
	every name, tc in cases {
		got := port_unknown.violation with input as deployment([tc.container])
		print(name, "got:", got)
		got == tc.want
	}
}

test_ports_of_other_containers_do_not_count if {
	containers := [
		{"name": "api", "readinessProbe": {"httpGet": {"path": "/ready", "port": "metrics"}}},
		{"name": "exporter", "ports": [{"name": "metrics", "containerPort": 9100}]},
	]
	port_unknown.violation == {{
		"msg": "container \"api\" readinessProbe httpGet port \"metrics\" matches no port name of the container",
		"path": array.concat(c0, ["readinessProbe", "httpGet", "port"]),
	}} with input as deployment(containers)
}

test_second_container_path if {
	containers := [api({}), {"name": "proxy", "livenessProbe": {"tcpSocket": {"port": 15000}}}]
	port_unknown.violation == {{
		"msg": "container \"proxy\" livenessProbe tcpSocket port 15000 matches no containerPort of the container",
		"path": ["spec", "template", "spec", "containers", 1, "livenessProbe", "tcpSocket", "port"],
	}} with input as deployment(containers)
}

test_pod_path if {
	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [api({"livenessProbe": {"tcpSocket": {"port": 81}}})]}}}
	port_unknown.violation == {{
		"msg": "container \"api\" livenessProbe tcpSocket port 81 matches no containerPort of the container",
		"path": ["spec", "containers", 0, "livenessProbe", "tcpSocket", "port"],
	}} with input as pod
}

test_jobs_and_init_containers_are_not_checked if {
	bad := {"name": "c", "livenessProbe": {"tcpSocket": {"port": 1}}}
	job := {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"}, "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [bad]}}}}}
	count(port_unknown.violation) == 0 with input as job
	init := json.patch(deployment([api({})]), [{"op": "add", "path": "/object/spec/template/spec/initContainers", "value": [bad]}])
	count(port_unknown.violation) == 0 with input as init
}

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
	"a numbered port needs no declaration (the kubelet probes the pod IP)": {
		"container": {"name": "controller", "ports": [{"name": "http", "containerPort": 80}], "livenessProbe": {"httpGet": {"path": "/healthz", "port": 10254}}},
		"want": set(),
	},
	"numbered tcpSocket and grpc ports without ports at all": {
		"container": {"name": "api", "readinessProbe": {"tcpSocket": {"port": 8081}}, "startupProbe": {"grpc": {"port": 50051}}},
		"want": set(),
	},
	"a port name is not a number": {
		"container": api({"livenessProbe": {"tcpSocket": {"port": "8080"}}}),
		"want": {{
			"msg": "container \"api\" livenessProbe tcpSocket port \"8080\" matches no port name of the container",
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
			"startupProbe": {"tcpSocket": {"port": "debug"}},
		}),
		"want": {
			{
				"msg": "container \"api\" livenessProbe httpGet port \"admin\" matches no port name of the container",
				"path": array.concat(c0, ["livenessProbe", "httpGet", "port"]),
			},
			{
				"msg": "container \"api\" startupProbe tcpSocket port \"debug\" matches no port name of the container",
				"path": array.concat(c0, ["startupProbe", "tcpSocket", "port"]),
			},
		},
	},
	"a port of the wrong type is left to the schema rule": {
		"container": api({"livenessProbe": {"httpGet": {"path": "/healthz", "port": null}}}),
		"want": set(),
	},
	"a named port resolves among the container's ports whatever the host": {
		"container": api({"livenessProbe": {"httpGet": {"host": "127.0.0.1", "path": "/healthz", "port": "admin"}}}),
		"want": {{
			"msg": "container \"api\" livenessProbe httpGet port \"admin\" matches no port name of the container",
			"path": array.concat(c0, ["livenessProbe", "httpGet", "port"]),
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
	containers := [api({}), {"name": "proxy", "livenessProbe": {"tcpSocket": {"port": "admin"}}}]
	port_unknown.violation == {{
		"msg": "container \"proxy\" livenessProbe tcpSocket port \"admin\" matches no port name of the container",
		"path": ["spec", "template", "spec", "containers", 1, "livenessProbe", "tcpSocket", "port"],
	}} with input as deployment(containers)
}

test_pod_path if {
	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [api({"livenessProbe": {"tcpSocket": {"port": "web"}}})]}}}
	port_unknown.violation == {{
		"msg": "container \"api\" livenessProbe tcpSocket port \"web\" matches no port name of the container",
		"path": ["spec", "containers", 0, "livenessProbe", "tcpSocket", "port"],
	}} with input as pod
}

test_native_sidecars_and_jobs_are_checked_plain_init_containers_are_not if {
	bad := {"name": "c", "livenessProbe": {"tcpSocket": {"port": "health"}}}
	job := {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"}, "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [bad]}}}}}
	count(port_unknown.violation) == 1 with input as job
	init := json.patch(deployment([api({})]), [{"op": "add", "path": "/object/spec/template/spec/initContainers", "value": [bad]}])
	count(port_unknown.violation) == 0 with input as init
	sidecar := json.patch(deployment([api({})]), [{"op": "add", "path": "/object/spec/template/spec/initContainers", "value": [
		{"name": "c", "restartPolicy": "Always", "ports": [{"name": "http", "containerPort": 15021}], "readinessProbe": {"httpGet": {"port": "health"}}},
	]}])
	port_unknown.violation == {{
		"msg": "sidecar container \"c\" readinessProbe httpGet port \"health\" matches no port name of the container",
		"path": ["spec", "template", "spec", "initContainers", 0, "readinessProbe", "httpGet", "port"],
	}} with input as sidecar
}

package feastflow.rules.probes.readiness_required_test

import data.feastflow.rules.probes.readiness_required

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

kind_object(kind, pod_spec) := {"object": {"apiVersion": "v1", "kind": kind, "metadata": {"name": "x"}, "spec": pod_spec}} if kind == "Pod"

kind_object(kind, pod_spec) := {"object": {"apiVersion": "batch/v1", "kind": kind, "metadata": {"name": "x"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": pod_spec}}}}}} if kind == "CronJob"

kind_object(kind, pod_spec) := {"object": {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "x"}, "spec": {"template": {"spec": pod_spec}}}} if {
	not kind in {"Pod", "CronJob"}
}

ready := {"httpGet": {"path": "/ready", "port": "http"}}

containers_path := ["spec", "template", "spec", "containers"]

# Each case: the Deployment's containers and the exact violations wanted.
cases := {
	"missing probe": {
		"containers": [{"name": "api"}],
		"want": {{"msg": "container \"api\" has no readinessProbe", "path": array.concat(containers_path, [0])}},
	},
	"probe present": {
		"containers": [{"name": "api", "readinessProbe": ready}],
		"want": set(),
	},
	"only the second container lacks one": {
		"containers": [{"name": "api", "readinessProbe": ready}, {"name": "proxy"}],
		"want": {{"msg": "container \"proxy\" has no readinessProbe", "path": array.concat(containers_path, [1])}},
	},
	"a liveness probe is no readiness probe": {
		"containers": [{"name": "api", "livenessProbe": ready}],
		"want": {{"msg": "container \"api\" has no readinessProbe", "path": array.concat(containers_path, [0])}},
	},
	"every container lacking one is reported": {
		"containers": [{"name": "api"}, {"name": "proxy"}],
		"want": {
			{"msg": "container \"api\" has no readinessProbe", "path": array.concat(containers_path, [0])},
			{"msg": "container \"proxy\" has no readinessProbe", "path": array.concat(containers_path, [1])},
		},
	},
	"no containers": {
		"containers": [],
		"want": set(),
	},
}

test_deployment_cases if {
	every name, tc in cases {
		got := readiness_required.violation with input as deployment(tc.containers)
		print(name, "got:", got)
		got == tc.want
	}
}

test_long_running_kinds_are_checked if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"] {
		got := readiness_required.violation with input as kind_object(kind, {"containers": [{"name": "api"}]})
		print(kind, "got:", got)
		count(got) == 1
	}
}

test_pod_path_is_its_spec if {
	got := readiness_required.violation with input as kind_object("Pod", {"containers": [{"name": "api"}]})
	got == {{"msg": "container \"api\" has no readinessProbe", "path": ["spec", "containers", 0]}}
}

test_run_to_completion_workloads_are_not_checked if {
	every kind in ["Job", "CronJob"] {
		got := readiness_required.violation with input as kind_object(kind, {"restartPolicy": "Never", "containers": [{"name": "migrate"}]})
		print(kind, "got:", got)
		count(got) == 0
	}
	every policy in ["Never", "OnFailure"] {
		got := readiness_required.violation with input as kind_object("Pod", {"restartPolicy": policy, "containers": [{"name": "once"}]})
		print(policy, "got:", got)
		count(got) == 0
	}
}

test_init_containers_are_not_checked_but_native_sidecars_are if {
	spec := {
		"initContainers": [{"name": "migrate"}, {"name": "log-shipper", "restartPolicy": "Always"}],
		"containers": [{"name": "api", "readinessProbe": ready}],
	}
	readiness_required.violation == {{
		"msg": "sidecar container \"log-shipper\" has no readinessProbe",
		"path": ["spec", "template", "spec", "initContainers", 1],
	}} with input as kind_object("Deployment", spec)
	with_probe := json.patch(spec, [{"op": "add", "path": "/initContainers/1/readinessProbe", "value": ready}])
	count(readiness_required.violation) == 0 with input as kind_object("Deployment", with_probe)
}

c0 := ["spec", "template", "spec", "containers", 0]

# Each case: the readinessProbe written and the exact violations wanted.
probe_cases := {
	"null is no probe": {
		"probe": null,
		"want": {{"msg": "container \"api\" has no readinessProbe: it is null", "path": array.concat(c0, ["readinessProbe"])}},
	},
	"{} is refused by the API server": {
		"probe": {},
		"want": set(), # the API server refuses it (schema-strict)
	},
	"timing only is refused by the API server": {
		"probe": {"periodSeconds": 5, "failureThreshold": 2},
		"want": set(), # the API server refuses it (schema-strict)
	},
	"a null handler only is refused by the API server": {
		"probe": {"httpGet": null, "periodSeconds": 5},
		"want": set(), # the API server refuses it (schema-strict)
	},
	"two handlers are refused by the API server": {
		"probe": {"httpGet": {"port": 8080}, "exec": {"command": ["true"]}},
		"want": set(), # the API server refuses it (schema-strict)
	},
	"one handler and a null one": {
		"probe": {"grpc": {"port": 9090}, "tcpSocket": null},
		"want": set(),
	},
}

test_probes_without_exactly_one_handler if {
	every name, tc in probe_cases {
		got := readiness_required.violation with input as kind_object("Deployment", {"containers": [{"name": "api", "readinessProbe": tc.probe}]})
		print(name, "got:", got)
		got == tc.want
	}
}

test_non_workloads_are_not_checked if {
	cm := {"object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"containers": "x"}}}
	count(readiness_required.violation) == 0 with input as cm
}

package feastflow.rules.probes.liveness_required_test

import data.feastflow.rules.probes.liveness_required

deployment(container) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": [container]}}},
}}

test_missing_probe_is_reported if {
	v := liveness_required.violation with input as deployment({"name": "api"})
	v == {{"msg": "container \"api\" has no livenessProbe", "path": ["spec", "template", "spec", "containers", 0]}}
}

test_probe_present_passes if {
	count(liveness_required.violation) == 0 with input as deployment({"name": "api", "livenessProbe": {"tcpSocket": {"port": 80}}})
}

test_jobs_are_not_checked if {
	job := {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"}, "spec": {"template": {"spec": {"containers": [{"name": "migrate"}]}}}}}
	count(liveness_required.violation) == 0 with input as job
}

test_run_to_completion_pod_is_not_checked if {
	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "once"}, "spec": {"restartPolicy": "Never", "containers": [{"name": "once"}]}}}
	count(liveness_required.violation) == 0 with input as pod
}

test_init_containers_are_not_checked if {
	d := deployment({"name": "api", "livenessProbe": {"tcpSocket": {"port": 80}}})
	with_init := json.patch(d, [{"op": "add", "path": "/object/spec/template/spec/initContainers", "value": [{"name": "init"}]}])
	count(liveness_required.violation) == 0 with input as with_init
}

test_null_probe_is_missing if {
	liveness_required.violation == {{
		"msg": "container \"api\" has no livenessProbe: it is null",
		"path": ["spec", "template", "spec", "containers", 0, "livenessProbe"],
	}} with input as deployment({"name": "api", "livenessProbe": null})
}

# Probes without exactly one handler are refused by the API server's
# validation (schema-strict in lint), not reported again here.
test_probes_the_api_server_refuses_are_left_to_it if {
	every probe in [{}, {"initialDelaySeconds": 10, "periodSeconds": 20}, {"exec": {"command": ["true"]}, "httpGet": {"port": 1}, "tcpSocket": {"port": 1}}] {
		got := liveness_required.violation with input as deployment({"name": "api", "livenessProbe": probe})
		print(probe, "got:", got)
		count(got) == 0
	}
}

test_native_sidecars_are_checked if {
	d := deployment({"name": "api", "livenessProbe": {"tcpSocket": {"port": 80}}})
	with_sidecar := json.patch(d, [{"op": "add", "path": "/object/spec/template/spec/initContainers", "value": [{"name": "proxy", "restartPolicy": "Always"}]}])
	liveness_required.violation == {{
		"msg": "sidecar container \"proxy\" has no livenessProbe",
		"path": ["spec", "template", "spec", "initContainers", 0],
	}} with input as with_sidecar
}

test_replication_controllers_are_checked if {
	rc := {"object": {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "legacy"}, "spec": {"template": {"spec": {"containers": [{"name": "web"}]}}}}}
	liveness_required.violation == {{"msg": "container \"web\" has no livenessProbe", "path": ["spec", "template", "spec", "containers", 0]}} with input as rc
}

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

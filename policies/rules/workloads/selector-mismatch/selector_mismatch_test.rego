package feastflow.rules.workloads.selector_mismatch_test

import data.feastflow.rules.workloads.selector_mismatch

workload(kind, sel, labels) := {"object": {
	"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "api"},
	"spec": {"selector": sel, "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "api"}]}}},
}}

mismatch(kind) := {{"msg": sprintf("%s spec.selector does not select the labels of its own pod template", [kind]), "path": ["spec", "selector"]}}

labels := {"app": "api", "tier": "backend"}

# Each case: the selector and whether it misses the template {app: api, tier: backend}.
cases := {
	"matchLabels subset": {"selector": {"matchLabels": {"app": "api"}}, "mismatch": false},
	"matchLabels all": {"selector": {"matchLabels": labels}, "mismatch": false},
	"matchLabels other value": {"selector": {"matchLabels": {"app": "web"}}, "mismatch": true},
	"matchLabels absent key": {"selector": {"matchLabels": {"app": "api", "version": "v2"}}, "mismatch": true},
	"In matches": {"selector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend", "frontend"]}]}, "mismatch": false},
	"In misses": {"selector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend"]}]}, "mismatch": true},
	"NotIn excludes the template": {"selector": {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["backend"]}]}, "mismatch": true},
	"Exists": {"selector": {"matchLabels": {"app": "api"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}, "mismatch": false},
	"DoesNotExist excludes the template": {"selector": {"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, "mismatch": true},
	"empty selector is left to the schema": {"selector": {}, "mismatch": false},
}

test_cases if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"] {
		every name, tc in cases {
			got := selector_mismatch.violation with input as workload(kind, tc.selector, labels)
			print(kind, name, "got:", got)
			got == {true: mismatch(kind), false: set()}[tc.mismatch]
		}
	}
}

test_template_without_labels if {
	selector_mismatch.violation == mismatch("Deployment") with input as workload("Deployment", {"matchLabels": {"app": "api"}}, null)
}

rc(sel) := {"object": {
	"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "legacy"},
	"spec": {"selector": sel, "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "web"}]}}},
}}

test_replication_controllers if {
	count(selector_mismatch.violation) == 0 with input as rc({"app": "api"})
	count(selector_mismatch.violation) == 0 with input as rc({})
	count(selector_mismatch.violation) == 0 with input as rc(null)
	selector_mismatch.violation == {{
		"msg": "ReplicationController spec.selector does not select the labels of its own pod template",
		"path": ["spec", "selector"],
	}} with input as rc({"app": "api", "track": "canary"})
}

job(spec) := {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"}, "spec": object.union(spec, {
	"template": {"metadata": {"labels": {"job": "migrate"}}, "spec": {"restartPolicy": "Never", "containers": [{"name": "m"}]}},
})}}

test_jobs_only_with_manual_selector if {
	count(selector_mismatch.violation) == 0 with input as job({"selector": {"matchLabels": {"job": "other"}}})
	count(selector_mismatch.violation) == 0 with input as job({"manualSelector": true, "selector": {"matchLabels": {"job": "migrate"}}})
	selector_mismatch.violation == {{
		"msg": "Job selector (manualSelector: true) does not select the labels of its own pod template",
		"path": ["spec", "selector"],
	}} with input as job({"manualSelector": true, "selector": {"matchLabels": {"job": "other"}}})
}

test_cronjobs_with_manual_selector if {
	cron := {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"}, "spec": {"jobTemplate": {"spec": {
		"manualSelector": true, "selector": {"matchLabels": {"job": "other"}},
		"template": {"metadata": {"labels": {"job": "nightly"}}, "spec": {"containers": [{"name": "n"}]}},
	}}}}}
	selector_mismatch.violation == {{
		"msg": "CronJob selector (manualSelector: true) does not select the labels of its own pod template",
		"path": ["spec", "jobTemplate", "spec", "selector"],
	}} with input as cron
}

test_non_workloads_are_not_checked if {
	svc := {"object": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"}, "spec": {"selector": {"app": "x"}}}}
	count(selector_mismatch.violation) == 0 with input as svc
}

# METADATA
# title: A workload's selector must select its own pod template
# description: |
#   A Deployment, StatefulSet, DaemonSet or ReplicaSet whose spec.selector
#   (matchLabels and matchExpressions) does not match the labels of its own
#   pod template is refused by the API server ("selector does not match
#   template labels"): its controller could never find the pods it creates.
#   The same holds for a ReplicationController's selector and for a Job
#   (or a CronJob's Job) with manualSelector: true. An absent or empty
#   selector is left to the schema: apps/v1 requires one, and a
#   ReplicationController or an automatic Job selector is generated from
#   the template.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector
#     description: Deployment selector
# custom:
#   id: selector-mismatch
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   severity: deny
#   remediation: |
#     Make spec.template.metadata.labels carry every label spec.selector
#     asks for (and none its matchExpressions exclude); the selector of an
#     apps/v1 workload cannot be changed after creation, so fix the
#     template's labels rather than the selector of a live object.
package feastflow.rules.workloads.selector_mismatch

import data.feastflow.lib.k8s
import data.feastflow.lib.selector
import data.feastflow.lib.workload

# label_selector_kinds use a LabelSelector at spec.selector.
label_selector_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}

violation contains {"msg": msg, "path": ["spec", "selector"]} if {
	workload.is_workload
	k8s.kind in label_selector_kinds
	sel := k8s.obj.spec.selector
	non_empty_label_selector(sel)
	not selector.matches(sel, template_labels)
	msg := sprintf("%s spec.selector does not select the labels of its own pod template", [k8s.kind])
}

violation contains {"msg": msg, "path": ["spec", "selector"]} if {
	workload.is_workload
	k8s.kind == "ReplicationController"
	sel := k8s.obj.spec.selector
	is_object(sel)
	rc_mismatch(sel)
	msg := "ReplicationController spec.selector does not select the labels of its own pod template"
}

violation contains {"msg": msg, "path": array.concat(job_path, ["selector"])} if {
	workload.is_workload
	some job_path in job_spec_paths
	job := object.get(k8s.obj, job_path, null)
	job.manualSelector == true
	non_empty_label_selector(job.selector)
	not selector.matches(job.selector, template_labels)
	msg := sprintf("%s selector (manualSelector: true) does not select the labels of its own pod template", [k8s.kind])
}

# job_spec_paths: where a Job's spec is, by kind.
job_spec_paths contains ["spec"] if k8s.kind == "Job"

job_spec_paths contains ["spec", "jobTemplate", "spec"] if k8s.kind == "CronJob"

template_labels := l if {
	l := workload.pod_labels
	is_object(l)
} else := {}

non_empty_label_selector(sel) if {
	is_object(sel)
	count(object.get(sel, "matchLabels", {})) + count(object.get(sel, "matchExpressions", [])) > 0
}

rc_mismatch(sel) if {
	some k, v in sel
	not template_labels[k] == v
}

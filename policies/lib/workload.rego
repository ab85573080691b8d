# METADATA
# title: Workloads and their pod templates
# description: |
#   Every built-in kind with a pod template (Pod, Deployment, StatefulSet,
#   DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) is checked
#   through its pod spec, so each rule is written once. Paths are the field
#   paths of the object, for findings.
package feastflow.lib.workload

import data.feastflow.lib.k8s

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

# pod_spec_paths maps each workload kind to the path of its pod spec.
pod_spec_paths := {
	"Pod": ["spec"],
	"Deployment": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"ReplicationController": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}

# pod_metadata_paths maps each workload kind to the path of its pods' metadata.
pod_metadata_paths := {
	"Pod": ["metadata"],
	"Deployment": ["spec", "template", "metadata"],
	"StatefulSet": ["spec", "template", "metadata"],
	"DaemonSet": ["spec", "template", "metadata"],
	"ReplicaSet": ["spec", "template", "metadata"],
	"ReplicationController": ["spec", "template", "metadata"],
	"Job": ["spec", "template", "metadata"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "metadata"],
}

# pod_labels_paths maps each workload kind to the path of its pods' labels.
pod_labels_paths := {
	"Pod": ["metadata", "labels"],
	"Deployment": ["spec", "template", "metadata", "labels"],
	"StatefulSet": ["spec", "template", "metadata", "labels"],
	"DaemonSet": ["spec", "template", "metadata", "labels"],
	"ReplicaSet": ["spec", "template", "metadata", "labels"],
	"ReplicationController": ["spec", "template", "metadata", "labels"],
	"Job": ["spec", "template", "metadata", "labels"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "metadata", "labels"],
}

# pod_spec_path is the path of the pod spec within the object.
pod_spec_path := pod_spec_paths[k8s.kind]

is_workload if pod_spec_path

pod_spec := object.get(k8s.obj, pod_spec_path, {})

# pod_metadata_path is where the pod's metadata lives.
pod_metadata_path := pod_metadata_paths[k8s.kind]

# pod_labels are the labels the workload's pods carry.
pod_labels := object.get(k8s.obj, pod_labels_paths[k8s.kind], {})

# Long-running workloads keep their containers up; Jobs, CronJobs and
# run-to-completion Pods do not, so they need no liveness/readiness probes.
long_running if {
	k8s.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}
}

long_running if {
	k8s.kind == "Pod"
	not object.get(pod_spec, "restartPolicy", "Always") in {"Never", "OnFailure"}
}

# The container lists below are arrays, not sets: every entry has its own
# path, so there is nothing to deduplicate, and OPA would otherwise hash
# each whole container object to build the set. Rules iterate them with
# `some c in ...`; findings are sets, so the order does not show.

# containers: each app container with its path, e.g.
# {"container": {...}, "path": ["spec", "template", "spec", "containers", 0], "init": false}.
containers := [{"container": c, "path": array.concat(pod_spec_path, ["containers", i]), "init": false} |
	some i, c in object.get(pod_spec, "containers", [])
]

# init_containers: the same for initContainers. Sidecars (restartPolicy
# Always) run for the pod's whole life and are marked as such.
init_containers := [{"container": c, "path": array.concat(pod_spec_path, ["initContainers", i]), "init": true, "sidecar": sidecar} |
	some i, c in object.get(pod_spec, "initContainers", [])
	sidecar := object.get(c, "restartPolicy", "") == "Always"
]

# all_containers: app and init containers together.
all_containers := array.concat(containers, init_containers)

# app_containers: the containers that run for the pod's whole life: its
# containers and its native sidecars (init containers with restartPolicy
# Always, which the kubelet probes like app containers).
app_containers := array.concat(containers, [c | some c in init_containers; c.sidecar])

# ephemeral_containers: the debug containers `kubectl debug` adds to a
# Pod (spec.ephemeralContainers; pod templates cannot have them). They
# are not in all_containers: they have no probes, ports or resources, but
# Pod Security Admission checks their securityContext like any other.
ephemeral_containers := [{"container": c, "path": array.concat(pod_spec_path, ["ephemeralContainers", i]), "init": false, "ephemeral": true} |
	some i, c in object.get(pod_spec, "ephemeralContainers", [])
]

# host_network holds when the pods share their node's network namespace
# (spec.hostNetwork): NetworkPolicies do not apply to them.
host_network if pod_spec.hostNetwork == true

# inventory_workloads: the workloads of the object's namespace with their
# pod labels; hostNetwork ones are left out (NetworkPolicies do not reach
# them, so they are never what a policy selects).
inventory_workloads contains {"kind": kind_name, "name": name, "labels": labels} if {
	some kind_name in {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}
	some obj in k8s.namespace_objects(kind_name)
	not inventory_host_network(obj)
	name := obj.metadata.name
	labels := inventory_pod_labels(obj)
}

inventory_host_network(obj) if obj.spec.hostNetwork == true

inventory_host_network(obj) if obj.spec.template.spec.hostNetwork == true

inventory_host_network(obj) if obj.spec.jobTemplate.spec.template.spec.hostNetwork == true

inventory_pod_labels(obj) := object.get(obj, ["metadata", "labels"], {}) if obj.kind == "Pod"

inventory_pod_labels(obj) := object.get(obj, ["spec", "template", "metadata", "labels"], {}) if obj.kind != "Pod"

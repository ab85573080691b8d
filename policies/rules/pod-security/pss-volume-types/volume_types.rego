# METADATA
# title: Pods must use only the restricted set of volume types
# description: |
#   The restricted level allows only volume types that need no privilege
#   on the node: configMap, csi, downwardAPI, emptyDir, ephemeral, image,
#   persistentVolumeClaim, projected and secret. Other types (hostPath,
#   nfs, iscsi, ...) mount node or network storage directly. This is the
#   restricted control PSA checks as restrictedVolumes.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#volume-types
#     description: Pod Security Standards
# custom:
#   id: pss-volume-types
#   severity: warn
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Use a PersistentVolumeClaim (with a StorageClass or PersistentVolume
#     for network storage), an emptyDir, or a ConfigMap/Secret/projected
#     volume instead.
package feastflow.rules.pod_security.volume_types

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

allowed_types := ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"]

# known_types: the other types, in the order PSA names them.
known_types := [
	"hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi",
	"glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile",
	"vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume",
	"scaleIO", "storageos",
]

allowed(volume) if {
	some t in allowed_types
	volume[t] != null
}

volume_type(volume) := types[0] if {
	types := [t | some t in known_types; volume[t] != null]
	count(types) > 0
} else := "unknown"

violation contains pss.finding(msg, type_path(i, t), pss.mode_of("pss-volume-types")) if {
	workload.is_workload
	some i, v in pss.volumes
	not allowed(v)
	t := volume_type(v)
	msg := sprintf("volume %q must not use volume type %q", [object.get(v, "name", ""), t])
}

type_path(i, "unknown") := array.concat(workload.pod_spec_path, ["volumes", i])

type_path(i, t) := array.concat(workload.pod_spec_path, ["volumes", i, t]) if t != "unknown"

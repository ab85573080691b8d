# METADATA
# title: Pods must not mount hostPath volumes
# description: |
#   A hostPath volume exposes the node's file system to the pod: with
#   hostPath / a container can read every secret of the node and rewrite
#   its configuration. At the restricted level pss-volume-types replaces
#   this rule. This is the baseline control PSA checks as hostPathVolumes.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#hostpath-volumes
#     description: Pod Security Standards
# custom:
#   id: pss-host-path-volumes
#   severity: deny
#   kinds: [workloads]
#   inventory: [Namespace]
#   remediation: |
#     Replace the hostPath volume with an emptyDir, a ConfigMap or Secret,
#     or a PersistentVolumeClaim.
package feastflow.rules.pod_security.host_path_volumes

import data.feastflow.lib.pod_security as pss
import data.feastflow.lib.workload

violation contains pss.finding(msg, array.concat(workload.pod_spec_path, ["volumes", i, "hostPath"]), pss.mode_of("pss-host-path-volumes")) if {
	workload.is_workload
	some i, v in pss.volumes
	v.hostPath != null
	msg := sprintf("volume %q must not use hostPath", [object.get(v, "name", "")])
}

# METADATA
# title: The target Kubernetes release must serve the apiVersion and kind
# description: |
#   An object whose apiVersion and kind the target release
#   (--kubernetes-version, default the release lint is built with) does not
#   serve is refused by kubectl ("no matches for kind"): a beta version
#   removed since (`extensions/v1beta1` DaemonSet, `apps/v1beta2`
#   Deployment), a removed kind (`policy/v1beta1` PodSecurityPolicy) or a
#   typo (`app/v1`). The message names the served replacement when there
#   is one. A version the release still serves but has deprecated is a
#   warning naming the release that removes it. Served versions come from
#   k8s.io/api's prerelease-lifecycle data; groups with a dot that are not
#   Kubernetes' own are custom resources and are not judged.
# related_resources:
#   - ref: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
#     description: Deprecated API migration guide
# custom:
#   id: api-version-served
#   kinds: [all]
#   severity: deny
#   scope: [files]
#   remediation: |
#     Move the object to the apiVersion the message names (`kubectl convert`
#     rewrites old manifests), or lint with the --kubernetes-version of the
#     cluster you deploy to.
package feastflow.rules.schema.api_version_served

violation contains {"msg": e.message, "path": e.path, "severity": e.severity} if {
	some e in input.api_errors
}

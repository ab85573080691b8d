# METADATA
# title: Containers should have a CPU limit
# description: |
#   A container without a CPU limit can use every idle core of its node,
#   so its performance depends on its neighbours and a runaway process
#   slows them down. Limits also throttle bursts, which is why this rule
#   is tunable: the cpu_limit parameter makes findings "warn" (default),
#   "deny" or turns the rule "off". A LimitRange `default` (or `max`) of
#   the namespace fills a missing limit, and a pod-level spec.resources
#   limit bounds every container. Init containers and Jobs are checked
#   too.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run
#     description: How Pods with resource limits are run
# custom:
#   id: cpu-limit
#   kinds: [workloads]
#   inventory: [LimitRange]
#   severity: warn
#   remediation: |
#     Set resources.limits.cpu on the container, at or above its CPU
#     request (for example 500m); or run with --param cpu_limit=off if your
#     cluster deliberately runs without CPU limits.
package feastflow.rules.resources.cpu_limit

import data.feastflow.lib.params
import data.feastflow.lib.resources
import data.feastflow.lib.workload

# severity is the cpu_limit parameter; an unknown value falls back to the
# default "warn" rather than silently turning the rule off.
severity := s if {
	s := lower(trim_space(params.value("cpu_limit")))
	s in {"warn", "deny", "off"}
} else := "warn"

violation contains {"msg": msg, "path": resources.path(c, "limits", "cpu"), "severity": severity} if {
	severity != "off"
	some c in workload.all_containers
	object.get(c.container, ["resources", "limits", "cpu"], null) == null # cheap screen: it sets none (or null)
	not resources.effective_quantity(c, "limits", "cpu")
	not resources.pod_limits("cpu")
	msg := sprintf("container %q has no cpu limit", [c.container.name])
}

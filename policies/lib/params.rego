# METADATA
# title: Rule parameters
# description: |
#   Defaults for every rule parameter. Users override them with
#   --param key=value or a params file; the engine puts the merged values
#   in data.feastflow.params. Rules read them through `value`.
package feastflow.lib.params

defaults := {
	# CPU limits: "warn" (default), "deny", or "off".
	"cpu_limit": "warn",
	# Per-container maxima; "" disables the check. Quantities as in Kubernetes.
	"max_cpu": "",
	"max_memory": "",
	# Regular expression matched against env var and ConfigMap key names.
	"sensitive_name_pattern": `(?i)(passw(or)?d|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key|auth[_-]?key|client[_-]?secret|session[_-]?key|signing[_-]?key|dsn)`,
	# Also require a default-deny egress NetworkPolicy in each namespace.
	"require_default_deny_egress": false,
	# Pod Security Standards: the level whose violations deny ("privileged",
	# "baseline" or "restricted"), the level whose further violations warn,
	# and the version of the standard ("latest" or "v1.x"). A namespace's
	# pod-security.kubernetes.io/* labels override them, as for PSA.
	"pod_security_level": "baseline",
	"pod_security_warn_level": "restricted",
	"pod_security_version": "latest",
}

# formats: regular expressions string parameters must match; the engine
# refuses other values (an exit 2 on the command line) rather than have
# a typo silently fall back to the default.
formats := {
	"pod_security_level": `^(privileged|baseline|restricted)$`,
	"pod_security_warn_level": `^(privileged|baseline|restricted)$`,
	"pod_security_version": `^(latest|v1\.(0|[1-9][0-9]*))$`,
}

# value(key) is the effective parameter: the override in data, else the default.
value(key) := object.get(overrides, key, defaults[key])

default overrides := {}

overrides := data.feastflow.params

# METADATA
# title: Rule parameters
# description: |
#   The schema of every library parameter: its type, default and what
#   values are allowed. Users override them with --param key=value, a
#   params file or the configuration file; the engine checks each value
#   against this schema (a bad value is an error, exit 2) and puts the
#   merged values in data.feastflow.params. Rules read them through
#   `value`. Parameters of one custom rule are declared in its METADATA
#   (custom.params) with the same fields.
package feastflow.lib.params

# schema: per parameter, "type" (string, boolean, number or integer),
# "default", "description" and optionally "enum" (the allowed values),
# "format" ("quantity": a Kubernetes resource quantity such as 500m or
# 2Gi; "regex": a regular expression that compiles, RE2 syntax as Rego's
# regex builtins), "pattern" (a regular expression the value must match)
# and "optional" (true: "" is allowed and switches the check off).
schema := {
	"cpu_limit": {
		"type": "string", "enum": ["warn", "deny", "off"], "default": "warn",
		"description": "severity of a missing CPU limit, or off",
	},
	"max_cpu": {
		"type": "string", "format": "quantity", "optional": true, "default": "",
		"description": "per-container maximum CPU request and limit (\"\": no maximum)",
	},
	"max_memory": {
		"type": "string", "format": "quantity", "optional": true, "default": "",
		"description": "per-container maximum memory request and limit (\"\": no maximum)",
	},
	"sensitive_name_pattern": {
		"type": "string", "format": "regex",
		"default": `(?i)(passw(or)?d|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key|auth[_-]?key|client[_-]?secret|session[_-]?key|signing[_-]?key|dsn)`,
		"description": "regular expression matched against env var and ConfigMap key names",
	},
	"require_default_deny_egress": {
		"type": "boolean", "default": false,
		"description": "also require a default-deny egress NetworkPolicy in each namespace",
	},
	# Pod Security Standards; a namespace's pod-security.kubernetes.io/*
	# labels override them, as for PSA.
	"pod_security_level": {
		"type": "string", "enum": ["privileged", "baseline", "restricted"], "default": "baseline",
		"description": "Pod Security Standards level whose violations are denied",
	},
	"pod_security_warn_level": {
		"type": "string", "enum": ["privileged", "baseline", "restricted"], "default": "restricted",
		"description": "Pod Security Standards level whose further violations are warnings",
	},
	"pod_security_version": {
		"type": "string", "pattern": `^(latest|v1\.(0|[1-9][0-9]*))$`, "default": "latest",
		"description": "version of the Pod Security Standards: latest or v1.N",
	},
}

# defaults: every parameter's default value.
defaults := {k: s.default | some k, s in schema}

# value(key) is the effective parameter: the value in data (the engine
# stores every parameter there, custom rules' own included), else the
# library default (Rego unit tests run without that data).
value(key) := v if {
	v := overrides[key]
} else := defaults[key]

default overrides := {}

overrides := data.feastflow.params

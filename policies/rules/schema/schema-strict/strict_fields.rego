# METADATA
# title: Built-in objects must match their schema
# description: |
#   Unknown fields and wrong types in built-in kinds are found with the API
#   server's own strict decoding, so a typo such as `livenesProbe` is
#   reported where it is, instead of the field being silently dropped and a
#   probe reported missing. Custom resources are not checked.
# related_resources:
#   - ref: https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
#     description: Field validation
# custom:
#   id: schema-strict
#   kinds: [all]
#   scope: [files]
#   severity: deny
#   remediation: |
#     Fix the field name or type; `kubectl explain <kind>.<field>` shows the
#     schema of each field.
package feastflow.rules.schema.strict_fields

# Scoped to files: the API server decodes every request (dropping or
# refusing unknown fields and wrong types) before admission and storage,
# so an object the webhook or verify sees always matches its schema.

violation contains {"msg": e.message, "path": e.path} if {
	some e in input.schema_errors
}

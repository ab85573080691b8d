# METADATA
# title: Built-in objects must pass the API server's decoding and validation
# description: |
#   Lint decodes each object of a Kubernetes kind, defaults it and runs the
#   create validation of the target release's API server with Kubernetes'
#   own code (k8s.io/kubernetes): unknown fields and wrong types (strict
#   field validation, kubectl's default), enum values (`restartPolicy:
#   Sometimes`), ranges (`containerPort: 99999`), probes with no or two
#   handlers, selectors that miss the pod template's labels, malformed
#   quantities and base64, names, labels and everything else the server
#   checks. Each error is reported at its field in the server's words.
#   Lint only: the webhook and verify see objects the API server has
#   already accepted. Custom resources are not checked.
# related_resources:
#   - ref: https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
#     description: Field validation
# custom:
#   id: schema-strict
#   kinds: [all]
#   scope: [files]
#   severity: deny
#   remediation: |
#     Fix the field as the message says; `kubectl explain <kind>.<field>`
#     shows each field's type and meaning, and `kubectl apply --dry-run=server`
#     asks a cluster for the same verdict.
package feastflow.rules.schema.strict_fields

# Scoped to files: the API server decodes every request (dropping or
# refusing unknown fields and wrong types) before admission and storage,
# so an object the webhook or verify sees always matches its schema.

violation contains {"msg": e.message, "path": e.path} if {
	some e in input.schema_errors
}

# METADATA
# title: Secret manifests must not carry their values
# description: |
#   A Secret manifest with values in `data` or `stringData` puts the
#   credentials in the repository and its history, in CI logs and in every
#   clone; base64 in `data` is an encoding, not encryption. Each key that
#   carries a non-empty value is reported by name (never by value). A
#   Secret without values (a placeholder that something else fills in) is
#   fine. Only linted files are checked: in a cluster a Secret has values
#   by design.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/secrets-good-practices/
#     description: Good practices for Kubernetes Secrets
# custom:
#   id: secret-values-in-manifest
#   kinds: [Secret]
#   severity: deny
#   scope: [files]
#   remediation: |
#     Keep secret values out of git: commit an ExternalSecret (External
#     Secrets Operator) or a SealedSecret (Sealed Secrets) instead of the
#     Secret, or commit the Secret without values and create them at deploy
#     time with `kubectl feastflow apply --secrets-from-env`. Rotate any
#     credential that was already committed.
package feastflow.rules.secrets.secret_values_in_manifest

import data.feastflow.lib.k8s

secret_name := object.get(k8s.obj, ["metadata", "name"], object.get(k8s.obj, ["metadata", "generateName"], ""))

violation contains {"msg": msg, "path": [field, key]} if {
	k8s.obj.apiVersion == "v1"
	k8s.kind == "Secret"
	some field in ["data", "stringData"]
	some key, value in k8s.obj[field]
	has_value(value)
	msg := sprintf("Secret %q carries a value for key %q in %s", [secret_name, key, field])
}

has_value(v) if {
	is_string(v)
	v != ""
}

has_value(v) if {
	not is_string(v)
	v != null
}

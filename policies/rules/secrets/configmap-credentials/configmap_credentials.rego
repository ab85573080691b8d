# METADATA
# title: ConfigMaps must not hold credentials
# description: |
#   ConfigMaps are meant for non-confidential settings: they are readable by
#   far more users and controllers than Secrets, are not encrypted at rest
#   with Secret encryption providers, and are printed freely by tooling. A
#   data key is reported when its value looks like a credential (a PEM
#   private key, a JWT, an AWS, GitHub, Slack or Google key, a URL with a
#   password), or when the key's name matches the sensitive_name_pattern
#   parameter (case-insensitively) and the value is not empty, a reference,
#   a boolean, a placeholder or, for names like password_file, a file path.
#   A value that is a configuration file (a key such as
#   application.properties, .env, app.ini, config.yaml or settings.json,
#   or any value of several lines) is read line by line: a setting whose
#   own name looks sensitive (spring.datasource.password=...) or whose
#   value looks like a credential (a connection URL with user:password@,
#   a connection string's password) is reported with the key and the line
#   within the value. Names that identify or locate a credential
#   (SIGNING_KEY_ID, TOKEN_URL, JWT_SECRET_NAME, PASSWORD_FILE with a
#   path) are not credentials: only their values can give them away.
#   binaryData keys are checked by name only. Messages never include the
#   value.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/configmap/
#     description: ConfigMaps (not for confidential data)
# custom:
#   id: configmap-credentials
#   kinds: [ConfigMap]
#   severity: deny
#   remediation: |
#     Move the key into a Secret and consume it with
#     `valueFrom.secretKeyRef`, `envFrom.secretRef` or a secret volume,
#     keeping only non-confidential settings in the ConfigMap. Rotate the
#     credential: it has already been exposed wherever the ConfigMap was
#     stored or printed.
package feastflow.rules.secrets.configmap_credentials

import data.feastflow.lib.config_files
import data.feastflow.lib.k8s
import data.feastflow.lib.secrets

is_configmap if {
	k8s.obj.apiVersion == "v1"
	k8s.kind == "ConfigMap"
}

configmap_name := object.get(k8s.obj, ["metadata", "name"], object.get(k8s.obj, ["metadata", "generateName"], ""))

violation contains {"msg": msg, "path": ["data", key]} if {
	is_configmap
	some key, value in k8s.obj.data
	not config_files.is_file(key, value)
	evidence := secrets.evidence(key, value)
	msg := sprintf("ConfigMap %q key %q holds a value: %s", [configmap_name, key, evidence])
}

# A value that is a configuration file is read line by line; the finding
# names the line and its setting, never the value.
violation contains {"msg": msg, "path": ["data", key]} if {
	is_configmap
	some key, value in k8s.obj.data
	is_string(value)
	config_files.is_file(key, value)
	some f in config_files.findings(value)
	msg := sprintf("ConfigMap %q key %q line %d%s holds a value: %s", [configmap_name, key, f.line, setting(f.name), f.evidence])
}

setting("") := ""

setting(name) := sprintf(" (%s)", [name]) if name != ""

violation contains {"msg": msg, "path": ["binaryData", key]} if {
	is_configmap
	some key, value in k8s.obj.binaryData
	secrets.sensitive_literal(key, value)
	msg := sprintf("ConfigMap %q binaryData key %q holds a value: the name looks sensitive", [configmap_name, key])
}

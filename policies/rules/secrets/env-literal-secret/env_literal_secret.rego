# METADATA
# title: Env vars must not carry literal secrets
# description: |
#   A credential written as an env var's literal `value` is stored in the
#   manifest, in git, in the API server's copy of the workload, in every
#   ReplicaSet revision and in `kubectl get -o yaml` output for anyone who
#   can read the workload. An env var is reported, in app and init
#   containers alike, when its literal value looks like a credential (a PEM
#   private key, a JWT, an AWS, GitHub, Slack or Google key, a URL with a
#   password) or when its name matches the sensitive_name_pattern parameter
#   and the value is not empty, a $(VAR) reference, a boolean, a
#   placeholder or, for names like PASSWORD_FILE, a file path. Values taken
#   from Secrets (valueFrom.secretKeyRef, envFrom.secretRef, secret
#   volumes) are never reported. Messages never include the value.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/
#     description: Distribute credentials securely using Secrets
# custom:
#   id: env-literal-secret
#   kinds: [workloads]
#   severity: deny
#   remediation: |
#     Move the value into a Secret and reference it with
#     `valueFrom.secretKeyRef` (or load the whole Secret with
#     `envFrom.secretRef`, or mount it as a secret volume and point a
#     *_FILE variable at the file). Then rotate the credential: it has
#     already been exposed wherever the manifest was stored.
package feastflow.rules.secrets.env_literal_secret

import data.feastflow.lib.secrets
import data.feastflow.lib.workload

violation contains {"msg": msg, "path": array.concat(c.path, ["env", i, "value"])} if {
	some c in workload.all_containers
	some i, env in c.container.env
	value := env.value # not valueFrom
	name := object.get(env, "name", "")
	evidence := secrets.evidence(name, value)
	msg := sprintf("%s %q sets env var %q to a literal value: %s", [container_kind(c), c.container.name, name, evidence])
}

container_kind(c) := "init container" if c.init

container_kind(c) := "container" if not c.init

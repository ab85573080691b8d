package feastflow.rules.secrets.env_literal_secret_test

import data.feastflow.rules.secrets.env_literal_secret

# Token-shaped values are assembled from pieces so that this file holds no
# string a secret scanner would flag; none of them is real.
pem_key := concat("\n", [concat("", ["-----BEGIN EC ", "PRIVATE KEY-----"]), "MHcCAQEEIfakeFAKEfakeFAKE", concat("", ["-----END EC ", "PRIVATE KEY-----"])])

jwt := concat(".", ["eyJhbGciOiJSUzI1NiJ9", "eyJzdWIiOiJmYWtlIn0", "ZmFrZS1zaWduYXR1cmU"])

github_token := concat("_", ["ghp", "FAKEfake0123456789FAKEfake0123456789"])

aws_key := concat("", ["AKIA", "IOSFODNN7EXAMPLE"])

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "backend", "namespace": "feastflow"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

container(env) := {"name": "api", "image": "registry.example.com/api:1.4.2", "env": env}

env_path(i) := ["spec", "template", "spec", "containers", 0, "env", i, "value"]

test_sensitive_name_with_literal_value if {
	v := env_literal_secret.violation with input as deployment([container([
		{"name": "LOG_LEVEL", "value": "info"},
		{"name": "DB_PASSWORD", "value": "hunter2-but-longer"},
	])])
	v == {{
		"msg": "container \"api\" sets env var \"DB_PASSWORD\" to a literal value: the name looks sensitive",
		"path": env_path(1),
	}}
}

test_value_patterns_under_harmless_names if {
	v := env_literal_secret.violation with input as deployment([container([
		{"name": "APP_CERT_BUNDLE", "value": pem_key},
		{"name": "UPSTREAM_AUTH", "value": jwt},
		{"name": "CI_BOT", "value": github_token},
		{"name": "AWS_KEY_SEED", "value": aws_key},
		{"name": "DATABASE_URL", "value": "postgres://feastflow:Sup3r-s3cret@postgres:5432/feastflow"},
	])])
	v == {
		{"msg": "container \"api\" sets env var \"APP_CERT_BUNDLE\" to a literal value: it looks like a PEM private key", "path": env_path(0)},
		{"msg": "container \"api\" sets env var \"UPSTREAM_AUTH\" to a literal value: it looks like a JSON Web Token", "path": env_path(1)},
		{"msg": "container \"api\" sets env var \"CI_BOT\" to a literal value: it looks like a GitHub token", "path": env_path(2)},
		{"msg": "container \"api\" sets env var \"AWS_KEY_SEED\" to a literal value: it looks like an AWS access key ID", "path": env_path(3)},
		{"msg": "container \"api\" sets env var \"DATABASE_URL\" to a literal value: it is a URL with an embedded password", "path": env_path(4)},
	}
}

test_one_finding_per_env_var_value_evidence_first if {
	v := env_literal_secret.violation with input as deployment([container([{"name": "JWT_SIGNING_KEY", "value": pem_key}])])
	v == {{"msg": "container \"api\" sets env var \"JWT_SIGNING_KEY\" to a literal value: it looks like a PEM private key", "path": env_path(0)}}
}

test_messages_never_contain_the_value if {
	values := [pem_key, jwt, github_token, aws_key, "Sup3r-s3cret", "hunter2-but-longer"]
	v := env_literal_secret.violation with input as deployment([container([
		{"name": "A", "value": pem_key},
		{"name": "B", "value": jwt},
		{"name": "C", "value": github_token},
		{"name": "D", "value": aws_key},
		{"name": "E", "value": "postgres://feastflow:Sup3r-s3cret@postgres/feastflow"},
		{"name": "API_TOKEN", "value": "hunter2-but-longer"},
	])])
	count(v) == 6
	every f in v {
		every s in values {
			not contains(f.msg, s)
		}
		not contains(f.msg, "fake")
		not contains(f.msg, "FAKE")
		not contains(f.msg, "s3cret")
		not contains(f.msg, "hunter2")
		not contains(f.msg, "EXAMPLE")
	}
}

test_init_containers_and_indices if {
	input_doc := {"object": {
		"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "postgres"},
		"spec": {"template": {"spec": {
			"initContainers": [{"name": "init-db", "env": [{"name": "POSTGRES_PASSWORD", "value": "p0stgres!"}]}],
			"containers": [
				{"name": "postgres", "env": [{"name": "PGDATA", "value": "/var/lib/postgresql/data"}]},
				{"name": "exporter", "env": [{"name": "PGHOST", "value": "localhost"}, {"name": "DATA_SOURCE_PASS", "value": "p0stgres!"}, {"name": "EXPORTER_TOKEN", "value": "abc123"}]},
			],
		}}},
	}}
	v := env_literal_secret.violation with input as input_doc
	v == {
		{"msg": "init container \"init-db\" sets env var \"POSTGRES_PASSWORD\" to a literal value: the name looks sensitive", "path": ["spec", "template", "spec", "initContainers", 0, "env", 0, "value"]},
		{"msg": "container \"exporter\" sets env var \"EXPORTER_TOKEN\" to a literal value: the name looks sensitive", "path": ["spec", "template", "spec", "containers", 1, "env", 2, "value"]},
	}
}

test_cronjob_and_pod_paths if {
	cron := {"object": {
		"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "backup"},
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "backup", "env": [{"name": "S3_SECRET_KEY", "value": "wJalrXUtnFEMI"}]}]}}}}},
	}}
	env_literal_secret.violation == {{"msg": "container \"backup\" sets env var \"S3_SECRET_KEY\" to a literal value: the name looks sensitive", "path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "env", 0, "value"]}} with input as cron

	pod := {"object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug"}, "spec": {"containers": [{"name": "shell", "env": [{"name": "API_KEY", "value": "k-123"}]}]}}}
	env_literal_secret.violation == {{"msg": "container \"shell\" sets env var \"API_KEY\" to a literal value: the name looks sensitive", "path": ["spec", "containers", 0, "env", 0, "value"]}} with input as pod
}

test_values_from_secrets_are_the_fix if {
	d := deployment([{
		"name": "api",
		"env": [
			{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "postgres-credentials", "key": "password"}}},
			{"name": "JWT_SECRET", "valueFrom": {"secretKeyRef": {"name": "backend-secrets", "key": "jwt-secret"}}},
			{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
		],
		"envFrom": [{"secretRef": {"name": "backend-secrets"}}, {"configMapRef": {"name": "backend-config"}}],
		"volumeMounts": [{"name": "tls", "mountPath": "/etc/tls", "readOnly": true}],
	}])
	with_volume := json.patch(d, [{"op": "add", "path": "/object/spec/template/spec/volumes", "value": [{"name": "tls", "secret": {"secretName": "backend-tls"}}]}])
	count(env_literal_secret.violation) == 0 with input as with_volume
}

test_obvious_non_secrets_are_not_reported if {
	d := deployment([container([
		{"name": "DB_PASSWORD", "value": ""},
		{"name": "API_TOKEN", "value": "   "},
		{"name": "DB_PASSWORD_FILE", "value": "/run/secrets/postgres/password"},
		{"name": "PASSWORD_FILE", "value": "./secrets/password"},
		{"name": "TLS_PRIVATE_KEY_PATH", "value": "/etc/tls/tls.key"},
		{"name": "SECRETS_DIR", "value": "/var/run/secrets/app"},
		{"name": "PGPASSWORD", "value": "$(DB_PASSWORD)"},
		{"name": "DATABASE_URL", "value": "postgres://feastflow:$(DB_PASSWORD)@postgres:5432/feastflow"},
		{"name": "TOKEN_URL", "value": "https://auth.example.com/oauth/token"},
		{"name": "JWT_SECRET_NAME", "value": "backend-secrets"},
		{"name": "TOKEN_TTL", "value": "3600"},
		{"name": "PASSWORD_MIN_LENGTH", "value": "12"},
		{"name": "REQUIRE_PASSWORD", "value": "true"},
		{"name": "API_KEY_HEADER", "value": "X-Api-Key"},
		{"name": "CA_CERT", "value": "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----"},
		{"name": "NODE_ENV", "value": "production"},
		{"name": "TOKEN"},
	])])
	count(env_literal_secret.violation) == 0 with input as d
}

test_file_name_with_non_path_value_is_reported if {
	v := env_literal_secret.violation with input as deployment([container([{"name": "PASSWORD_FILE", "value": "hunter2"}])])
	v == {{"msg": "container \"api\" sets env var \"PASSWORD_FILE\" to a literal value: the name looks sensitive", "path": env_path(0)}}
}

test_name_pattern_parameter if {
	d := deployment([container([
		{"name": "DB_PASSWORD", "value": "hunter2"},
		{"name": "FEASTFLOW_PIN", "value": "0000"},
		{"name": "DATABASE_URL", "value": "postgres://feastflow:Sup3r-s3cret@postgres/feastflow"},
	])])
	v := env_literal_secret.violation with input as d with data.feastflow.params as {"sensitive_name_pattern": "_PIN$"}
	v == {
		{"msg": "container \"api\" sets env var \"FEASTFLOW_PIN\" to a literal value: the name looks sensitive", "path": env_path(1)},
		{"msg": "container \"api\" sets env var \"DATABASE_URL\" to a literal value: it is a URL with an embedded password", "path": env_path(2)},
	}
}

test_workloads_without_env_and_other_kinds if {
	count(env_literal_secret.violation) == 0 with input as deployment([{"name": "api"}])
	count(env_literal_secret.violation) == 0 with input as deployment([{"name": "api", "env": null}])
	cm := {"object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"DB_PASSWORD": "hunter2"}}}
	count(env_literal_secret.violation) == 0 with input as cm
}

test_identifiers_and_locations_are_not_credentials if {
	count(env_literal_secret.violation) == 0 with input as deployment([container([
		{"name": "SIGNING_KEY_ID", "value": "key-2026-01"},
		{"name": "OAUTH_TOKEN_URL", "value": "https://auth.example.com/oauth/token"},
		{"name": "JWT_SECRET_NAME", "value": "backend-secrets"},
		{"name": "DB_PASSWORD_FILE", "value": "/run/secrets/db/password"},
		{"name": "ETCD_INITIAL_CLUSTER_TOKEN", "value": "etcd-cluster-1"},
		{"name": "AWS_ACCESS_KEY_ID", "value": "minio"},
	])])

	# values decide: an access key ID, or a password where a file path belongs
	v := env_literal_secret.violation with input as deployment([container([
		{"name": "AWS_ACCESS_KEY_ID", "value": aws_key},
		{"name": "DB_PASSWORD_FILE", "value": "hunter2-but-longer"},
	])])
	v == {
		{"msg": "container \"api\" sets env var \"AWS_ACCESS_KEY_ID\" to a literal value: it looks like an AWS access key ID", "path": env_path(0)},
		{"msg": "container \"api\" sets env var \"DB_PASSWORD_FILE\" to a literal value: the name looks sensitive", "path": env_path(1)},
	}
}

test_replication_controllers_are_checked if {
	rc := {"object": {
		"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "legacy-db"},
		"spec": {"template": {"spec": {"containers": [container([{"name": "MYSQL_ROOT_PASSWORD", "value": "hunter2-but-longer"}])]}}},
	}}
	env_literal_secret.violation == {{
		"msg": "container \"api\" sets env var \"MYSQL_ROOT_PASSWORD\" to a literal value: the name looks sensitive",
		"path": env_path(0),
	}} with input as rc
}

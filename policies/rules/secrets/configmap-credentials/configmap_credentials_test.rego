package feastflow.rules.secrets.configmap_credentials_test

import data.feastflow.rules.secrets.configmap_credentials

# Token-shaped values are assembled from pieces so that this file holds no
# string a secret scanner would flag; none of them is real.
pem_key := concat("\n", [concat("", ["-----BEGIN ", "PRIVATE KEY-----"]), "MIIEvQIBADANfakeFAKE", concat("", ["-----END ", "PRIVATE KEY-----"])])

slack_token := concat("-", ["xoxb", "000000000000", "fakefakefake"])

google_key := concat("", ["AIza", "SyFAKE-fake_0123456789abcdefghijklm"])

configmap(entries) := {"object": {
	"apiVersion": "v1", "kind": "ConfigMap",
	"metadata": {"name": "backend-config", "namespace": "feastflow"},
	"data": entries,
}}

test_sensitive_key_names if {
	v := configmap_credentials.violation with input as configmap({
		"LOG_LEVEL": "info",
		"db_password": "hunter2-but-longer",
		"jwtSecret": "a-long-signing-secret",
		"stripe.api-key": "sk-123",
	})
	v == {
		{"msg": "ConfigMap \"backend-config\" key \"db_password\" holds a value: the name looks sensitive", "path": ["data", "db_password"]},
		{"msg": "ConfigMap \"backend-config\" key \"jwtSecret\" holds a value: the name looks sensitive", "path": ["data", "jwtSecret"]},
		{"msg": "ConfigMap \"backend-config\" key \"stripe.api-key\" holds a value: the name looks sensitive", "path": ["data", "stripe.api-key"]},
	}
}

test_sensitive_values_under_any_key if {
	v := configmap_credentials.violation with input as configmap({
		"DATABASE_URL": "postgres://feastflow:Sup3r-s3cret@postgres:5432/feastflow",
		"application.yaml": concat("\n", ["notifications:", concat("", ["  slack: ", slack_token]), "maps:", concat("", ["  key: ", google_key])]),
		"tls.pem": pem_key,
	})
	v == {
		{"msg": "ConfigMap \"backend-config\" key \"DATABASE_URL\" holds a value: it is a URL with an embedded password", "path": ["data", "DATABASE_URL"]},
		{"msg": "ConfigMap \"backend-config\" key \"application.yaml\" line 2 (slack) holds a value: it looks like a Slack token", "path": ["data", "application.yaml"]},
		{"msg": "ConfigMap \"backend-config\" key \"application.yaml\" line 4 (key) holds a value: it looks like a Google API key", "path": ["data", "application.yaml"]},
		{"msg": "ConfigMap \"backend-config\" key \"tls.pem\" line 1 holds a value: it looks like a PEM private key", "path": ["data", "tls.pem"]},
	}
}

test_messages_never_contain_the_value if {
	values := [pem_key, slack_token, google_key, "Sup3r-s3cret", "hunter2"]
	v := configmap_credentials.violation with input as configmap({
		"a": pem_key, "b": slack_token, "c": google_key,
		"d": "amqp://feastflow:Sup3r-s3cret@rabbitmq:5672/",
		"DB_PASSWORD": "hunter2",
	})
	count(v) == 5
	every f in v {
		every s in values {
			not contains(f.msg, s)
		}
		not contains(f.msg, "fake")
		not contains(f.msg, "FAKE")
	}
}

test_binary_data_is_checked_by_name_only if {
	cm := {"object": {
		"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "blobs"},
		"binaryData": {
			"signing-key.der": "MIIEvQIBADANfake",
			"logo.png": "iVBORw0KGgo=",
			"empty_token": "",
			# value patterns do not apply to binaryData
			"bundle.bin": base64.encode(pem_key),
		},
	}}
	v := configmap_credentials.violation with input as cm
	v == {{"msg": "ConfigMap \"blobs\" binaryData key \"signing-key.der\" holds a value: the name looks sensitive", "path": ["binaryData", "signing-key.der"]}}
}

test_harmless_configmaps if {
	count(configmap_credentials.violation) == 0 with input as configmap({
		"LOG_LEVEL": "info",
		"DB_PASSWORD": "",
		"API_TOKEN": "  ",
		"DATABASE_URL": "postgres://feastflow:$(DB_PASSWORD)@postgres:5432/feastflow",
		"password_file": "/run/secrets/postgres/password",
		"token.url": "https://auth.example.com/oauth/token",
		"jwt.secret.name": "backend-secrets",
		"session.token.ttl": "30m",
		"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----",
		"nginx.conf": "server {\n  listen 8080;\n  location / { proxy_pass http://backend:8080; }\n}\n",
	})
	count(configmap_credentials.violation) == 0 with input as {"object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "empty"}}}
	count(configmap_credentials.violation) == 0 with input as {"object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "null"}, "data": null}}
}

test_keys_match_case_insensitively_with_a_custom_pattern if {
	v := configmap_credentials.violation with input as configmap({"db_password": "hunter2", "API_TOKEN": "t0k3n"})
		with data.feastflow.params as {"sensitive_name_pattern": "PASSWORD"}
	v == {{"msg": "ConfigMap \"backend-config\" key \"db_password\" holds a value: the name looks sensitive", "path": ["data", "db_password"]}}
}

test_only_configmaps_are_checked if {
	secret := {"object": {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"DB_PASSWORD": "hunter2"}}}
	count(configmap_credentials.violation) == 0 with input as secret
	other := {"object": {"apiVersion": "example.com/v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"DB_PASSWORD": "hunter2"}}}
	count(configmap_credentials.violation) == 0 with input as other
}

test_generate_name_is_used_when_there_is_no_name if {
	cm := {"object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "backend-config-"}, "data": {"API_KEY": "k-123"}}}
	v := configmap_credentials.violation with input as cm
	v == {{"msg": "ConfigMap \"backend-config-\" key \"API_KEY\" holds a value: the name looks sensitive", "path": ["data", "API_KEY"]}}
}

finding(key, line, setting, evidence) := {"msg": sprintf("ConfigMap \"backend-config\" key %q line %d%s holds a value: %s", [key, line, setting, evidence]), "path": ["data", key]}

named := "the name looks sensitive"

properties := concat("\n", [
	"# datasource",
	"spring.datasource.url=jdbc:postgresql://postgres:5432/feastflow",
	"spring.datasource.username=feastflow",
	"spring.datasource.password=Sup3r-s3cret",
	"spring.datasource.hikari.maximum-pool-size=10",
	"app.jwt.secret: a-long-signing-secret",
	"app.jwt.secret-name=backend-secrets",
	"app.signing.key-id=key-2026-01",
	"management.password.enabled=true",
	"",
])

env_file := concat("\n", [
	"NODE_ENV=production",
	"export STRIPE_API_KEY=\"sk-123456\"",
	"DB_PASSWORD=${DB_PASSWORD}",
	"DB_PASSWORD_FILE=/run/secrets/db-password",
	"REDIS_URL=redis://:hunter2@redis:6379/0",
	"SIGNING_KEY_ID=key-2026-01",
	"ETCD_INITIAL_CLUSTER_TOKEN=etcd-cluster-1",
])

ini_file := concat("\n", [
	"[database]",
	"host = postgres",
	"password = 'hunter2'",
	"; password = old-one",
	"[mail]",
	"smtp_password = <set-me>",
	"dsn = Server=db;Database=app;User Id=sa;Password=hunter2;",
])

yaml_file := concat("\n", [
	"server:",
	"  port: 5000",
	"database:",
	"  password: \"hunter2\" # dev only",
	"  passwordFile: /run/secrets/db",
	"oauth:",
	"  clientSecret: |",
	"  clientId: feastflow",
	"  token:",
	"    url: https://auth.example.com/token",
	"  tokenSecretRef: oauth-secret",
])

json_file := concat("\n", [
	"{",
	"  \"database\": {\"user\": \"app\", \"password\": \"hunter2\"},",
	"  \"apiKeyId\": \"k-1\",",
	"  \"webhook\": \"https://bot:t0ps3cret@hooks.example.com/\",",
	"  \"secretName\": \"backend\"",
	"}",
])

test_configuration_files_are_read_line_by_line if {
	v := configmap_credentials.violation with input as configmap({
		"application.properties": properties,
		".env": env_file,
		"app.ini": ini_file,
		"config.yaml": yaml_file,
		"settings.json": json_file,
		"compact.json": "{\"db\":{\"password\":\"hunter2\",\"passwordRef\":\"db\"}}",
	})
	v == {
		finding("application.properties", 4, " (spring.datasource.password)", named),
		finding("application.properties", 6, " (app.jwt.secret)", named),
		finding(".env", 2, " (STRIPE_API_KEY)", named),
		finding(".env", 5, " (REDIS_URL)", "it is a URL with an embedded password"),
		finding("app.ini", 3, " (password)", named),
		finding("app.ini", 7, " (dsn)", "it is a connection string with a password"),
		finding("config.yaml", 4, " (password)", named),
		finding("settings.json", 2, " (password)", named),
		finding("settings.json", 4, " (webhook)", "it is a URL with an embedded password"),
		finding("compact.json", 1, " (password)", named),
	}
	every f in v {
		not contains(f.msg, "hunter2")
		not contains(f.msg, "Sup3r")
		not contains(f.msg, "sk-123456")
		not contains(f.msg, "t0ps3cret")
		not contains(f.msg, "signing-secret")
	}
}

test_harmless_configuration_files if {
	count(configmap_credentials.violation) == 0 with input as configmap({
		"application.properties": "spring.datasource.password=${DB_PASSWORD}\nspring.datasource.url=jdbc:postgresql://db/app?user=app&password=${DB_PASSWORD}\n",
		"nginx.conf": "server {\n  listen 8080;\n  auth_basic_user_file /etc/nginx/htpasswd;\n}\n",
		"identifiers.env": "SIGNING_KEY_ID=key-2026-01\nAWS_ACCESS_KEY_ID=minio\nOAUTH_TOKEN_URL=https://auth.example.com/token\nJWT_SECRET_NAME=backend\nPASSWORD_FILE=/run/secrets/password\n",
		"values.yaml": "auth:\n  existingSecret: backend\n  password: \"\"\n  secretKeys:\n    adminPasswordKey: admin-password\n",
	})
}

test_single_line_identifier_keys if {
	count(configmap_credentials.violation) == 0 with input as configmap({
		"SIGNING_KEY_ID": "key-2026-01",
		"OAUTH_TOKEN_URL": "https://auth.example.com/oauth/token",
		"DB_SECRET_NAME": "postgres-credentials",
		"DB_PASSWORD_FILE": "/run/secrets/db/password",
		"ETCD_INITIAL_CLUSTER_TOKEN": "etcd-cluster-1",
	})
}

test_scripts_and_templates_are_not_credentials if {
	count(configmap_credentials.violation) == 0 with input as configmap({
		"entrypoint.sh": "#!/bin/sh\nset -e\nPGPASSWORD=$POSTGRES_PASSWORD psql -h db -c 'select 1'\nexport REDIS_PASSWORD=$1\nexec app\n",
		"realm.json": "{\n  \"credentials\": [\n    {\"type\": \"password\", \"secret\": \"**********\"}\n  ],\n  \"clientSecret\": {}\n}\n",
		"values.yaml": "auth:\n  password: {{ .Values.password | quote }}\n  token: \"{{ .Values.token }}\"\n",
	})
	v := configmap_credentials.violation with input as configmap({"entrypoint.sh": "#!/bin/sh\nPGPASSWORD=s3cr3t-literal psql -h db\n"})
	v == {finding("entrypoint.sh", 2, " (PGPASSWORD)", named)}
}

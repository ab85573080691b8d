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
		{"msg": "ConfigMap \"backend-config\" key \"application.yaml\" holds a value: it looks like a Slack token", "path": ["data", "application.yaml"]},
		{"msg": "ConfigMap \"backend-config\" key \"tls.pem\" holds a value: it looks like a PEM private key", "path": ["data", "tls.pem"]},
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

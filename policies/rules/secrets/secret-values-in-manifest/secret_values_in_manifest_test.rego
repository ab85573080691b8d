package feastflow.rules.secrets.secret_values_in_manifest_test

import data.feastflow.rules.secrets.secret_values_in_manifest

secret(fields) := {"object": object.union(
	{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "postgres-credentials", "namespace": "feastflow"}, "type": "Opaque"},
	fields,
)}

test_one_violation_per_key_with_a_value if {
	v := secret_values_in_manifest.violation with input as secret({
		"data": {"password": base64.encode("hunter2-but-longer"), "username": base64.encode("feastflow")},
		"stringData": {"DATABASE_URL": "postgres://feastflow:hunter2-but-longer@postgres/feastflow"},
	})
	v == {
		{"msg": "Secret \"postgres-credentials\" carries a value for key \"password\" in data", "path": ["data", "password"]},
		{"msg": "Secret \"postgres-credentials\" carries a value for key \"username\" in data", "path": ["data", "username"]},
		{"msg": "Secret \"postgres-credentials\" carries a value for key \"DATABASE_URL\" in stringData", "path": ["stringData", "DATABASE_URL"]},
	}
}

test_messages_never_contain_the_value if {
	plain := "hunter2-but-longer"
	v := secret_values_in_manifest.violation with input as secret({
		"data": {"password": base64.encode(plain)},
		"stringData": {"token": plain},
	})
	count(v) == 2
	every f in v {
		not contains(f.msg, plain)
		not contains(f.msg, base64.encode(plain))
		not contains(f.msg, "hunter2")
	}
}

test_tls_secret if {
	v := secret_values_in_manifest.violation with input as {"object": {
		"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "backend-tls"}, "type": "kubernetes.io/tls",
		"data": {"tls.crt": "LS0tLS1CRUdJTg==", "tls.key": "LS0tLS1CRUdJTg=="},
	}}
	v == {
		{"msg": "Secret \"backend-tls\" carries a value for key \"tls.crt\" in data", "path": ["data", "tls.crt"]},
		{"msg": "Secret \"backend-tls\" carries a value for key \"tls.key\" in data", "path": ["data", "tls.key"]},
	}
}

test_non_string_values_count if {
	v := secret_values_in_manifest.violation with input as secret({"stringData": {"pin": 1234}})
	v == {{"msg": "Secret \"postgres-credentials\" carries a value for key \"pin\" in stringData", "path": ["stringData", "pin"]}}
}

test_secrets_without_values_are_fine if {
	count(secret_values_in_manifest.violation) == 0 with input as secret({})
	count(secret_values_in_manifest.violation) == 0 with input as secret({"data": {}})
	count(secret_values_in_manifest.violation) == 0 with input as secret({"data": null, "stringData": null})
	count(secret_values_in_manifest.violation) == 0 with input as secret({"data": {"password": ""}, "stringData": {"token": "", "other": null}})
	sa := {"object": {
		"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
		"metadata": {"name": "deployer-token", "annotations": {"kubernetes.io/service-account.name": "deployer"}},
	}}
	count(secret_values_in_manifest.violation) == 0 with input as sa
}

test_only_core_secrets_are_checked if {
	cm := {"object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"password": "x"}}}
	count(secret_values_in_manifest.violation) == 0 with input as cm
	other := {"object": {"apiVersion": "example.com/v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"password": "x"}}}
	count(secret_values_in_manifest.violation) == 0 with input as other
}

test_generate_name_is_used_when_there_is_no_name if {
	s := {"object": {"apiVersion": "v1", "kind": "Secret", "metadata": {"generateName": "db-"}, "stringData": {"password": "x"}}}
	v := secret_values_in_manifest.violation with input as s
	v == {{"msg": "Secret \"db-\" carries a value for key \"password\" in stringData", "path": ["stringData", "password"]}}
}

package feastflow.lib.secrets_test

import data.feastflow.lib.secrets

# Token-shaped test values are assembled from pieces so that this file
# holds no string a secret scanner would flag; none of them is real.
pem_key := concat("\n", [concat("", ["-----BEGIN RSA ", "PRIVATE KEY-----"]), "MIIEowIBAAKCAQEAfakeFAKEfakeFAKE", concat("", ["-----END RSA ", "PRIVATE KEY-----"])])

pkcs8_key := concat("", ["-----BEGIN ", "PRIVATE KEY-----\nMIIEvQIBADANfake\n-----END ", "PRIVATE KEY-----"])

openssh_key := concat("", ["-----BEGIN OPENSSH ", "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEfake"])

jwt := concat(".", ["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiJmYWtlIn0", "c2lnbmF0dXJlLWZha2U"])

aws_key := concat("", ["AKIA", "IOSFODNN7EXAMPLE"])

aws_session_key := concat("", ["ASIA", "FAKEFAKEFAKE1234"])

github_token := concat("_", ["ghp", "FAKEfake0123456789FAKEfake0123456789"])

github_pat := concat("_", ["github", "pat", "11FAKE0000000000000000", "fakefakefake"])

slack_token := concat("-", ["xoxb", "000000000000", "fakefakefake"])

google_key := concat("", ["AIza", "SyFAKE-fake_0123456789abcdefghijklm"])

db_url := "postgres://feastflow:s3cr3t-P4ss@postgres:5432/feastflow"

sensitive_values := {
	"pem": {"value": pem_key, "want": "looks like a PEM private key"},
	"pkcs8": {"value": pkcs8_key, "want": "looks like a PEM private key"},
	"openssh": {"value": openssh_key, "want": "looks like a PEM private key"},
	"jwt": {"value": jwt, "want": "looks like a JSON Web Token"},
	"bearer jwt": {"value": concat(" ", ["Bearer", jwt]), "want": "looks like a JSON Web Token"},
	"aws": {"value": aws_key, "want": "looks like an AWS access key ID"},
	"aws session": {"value": aws_session_key, "want": "looks like an AWS access key ID"},
	"aws in text": {"value": concat("", ["aws_access_key_id=", aws_key, "\n"]), "want": "looks like an AWS access key ID"},
	"github": {"value": github_token, "want": "looks like a GitHub token"},
	"github pat": {"value": github_pat, "want": "looks like a GitHub token"},
	"slack": {"value": slack_token, "want": "looks like a Slack token"},
	"google": {"value": google_key, "want": "looks like a Google API key"},
	"postgres url": {"value": db_url, "want": "is a URL with an embedded password"},
	"redis url without user": {"value": "redis://:s3cr3t@redis:6379/0", "want": "is a URL with an embedded password"},
	"jdbc url": {"value": "jdbc:mysql://app:hunter2@mysql:3306/app", "want": "is a URL with an embedded password"},
	"url in config file": {"value": "[db]\nurl = mongodb+srv://app:pw@cluster0.example.net/app\n", "want": "is a URL with an embedded password"},
	# the first pattern wins: a JWT as a URL password is reported as a JWT
	"jwt in url": {"value": concat("", ["https://bot:", jwt, "@hooks.example.com/"]), "want": "looks like a JSON Web Token"},
}

harmless_values := {
	"certificate": concat("\n", ["-----BEGIN CERTIFICATE-----", "MIIDdzCCAl+gAwIBAgIEfake", "-----END CERTIFICATE-----"]),
	"public key": "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqfake\n-----END PUBLIC KEY-----",
	"empty": "",
	"word": "feastflow-api",
	"sentence": "the token is rotated daily",
	"plain url": "https://api.example.com/v1/orders",
	"url with port": "https://api.example.com:8443/v1?next=a:b@c",
	"url with user only": "postgres://feastflow@postgres:5432/feastflow",
	"url with $(VAR) password": "postgres://feastflow:$(DB_PASSWORD)@postgres:5432/feastflow",
	"url with ${VAR} password": "postgres://$(DB_USER):${DB_PASSWORD}@postgres:5432/feastflow",
	"url with masked password": "redis://:****@redis:6379/0",
	"url with placeholder password": "postgres://app:<password>@db/app",
	"base64 json, no dots": "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6e319fQ==",
	"aws key too long": concat("", [aws_key, "X"]),
	"aws key lowercase": lower(aws_key),
	"aws-like inside a word": concat("", ["XAKIA", "IOSFODNN7EXAMPLE"]),
	"short github prefix": "ghp_short",
	"not slack": "xoxo-see-you-soon",
	"reference": "$(API_TOKEN)",
}

test_value_patterns_union_is_kept_in_sync if {
	secrets.any_value_pattern == concat("|", [p.pattern | some p in secrets.value_patterns])
}

test_sensitive_values_are_recognised if {
	got := {id: e | some id, c in sensitive_values; e := secrets.looks_sensitive_value(c.value)}
	got == {id: c.want | some id, c in sensitive_values}
}

test_harmless_values_are_not_recognised if {
	got := {id | some id, v in harmless_values; secrets.looks_sensitive_value(v)}
	got == set()
}

test_non_strings_are_not_values if {
	not secrets.looks_sensitive_value(12345)
	not secrets.looks_sensitive_value(null)
	not secrets.looks_sensitive_value({"k": aws_key})
}

test_evidence_never_contains_the_value if {
	every _, c in sensitive_values {
		e := secrets.evidence("X", c.value)
		not contains(e, c.value)
		not contains(e, "s3cr3t")
		not contains(e, "fake")
		not contains(e, "FAKE")
	}
}

sensitive_names := {
	"DB_PASSWORD", "POSTGRES_PASSWORD", "db_password", "dbPassword", "MYSQL_PWD", "PASSWD",
	"JWT_SECRET", "jwt.secret", "API_TOKEN", "GITHUB_TOKEN", "API_KEY", "apiKey", "STRIPE_API-KEY",
	"AWS_SECRET_ACCESS_KEY", "PRIVATE_KEY", "CLIENT_SECRET", "SESSION_KEY",
	"SIGNING_KEY", "SENTRY_DSN", "CREDENTIALS", "PASSWORD_FILE", "TLS_PRIVATE_KEY_PATH",
	"PASSWORD_HASH", "CLUSTER_TOKEN", "K3S_TOKEN", "JOIN_TOKEN",
}

harmless_names := {
	"LOG_LEVEL", "PORT", "DATABASE_HOST", "NODE_ENV", "KEYCLOAK_REALM", "",
	"TOKEN_URL", "tokenUrl", "OAUTH_TOKEN_ENDPOINT", "JWT_SECRET_NAME", "jwtSecretName", "SECRET_NAME",
	"TOKEN_TTL", "SESSION_TOKEN_TIMEOUT", "PASSWORD_MIN_LENGTH", "API_KEY_HEADER", "TOKEN_TYPE",
	"TOKEN_ISSUER", "TOKEN_AUDIENCE", "PASSWORD_AUTH_ENABLED", "token.expiry", "SECRETS_PROVIDER",
	"TOKEN_PREFIX", "DB_PASSWORD_USER",
	# identifiers and locations of a credential, not the credential
	"SIGNING_KEY_ID", "signingKeyId", "AWS_ACCESS_KEY_ID", "API_KEY_IDS", "JWT_KID", "TOKEN_ID",
	"DB_SECRET_ARN", "PASSWORD_SECRET_REF", "secretKeyRef", "VAULT_SECRET_NAMESPACE",
	"ETCD_INITIAL_CLUSTER_TOKEN", "initial-cluster-token", "initialClusterToken", "ETCD_DISCOVERY_TOKEN",
	"SECRET_NAMES", "existingSecret", "existingSecretPasswordKey", "adminPasswordKey", "OAUTH_TOKEN_SCOPES", "TOKEN_REALM", "PASSWORD_HINT", "KEY_ROTATION",
}

test_sensitive_names if {
	got := {n | some n in sensitive_names; secrets.sensitive_name(n)}
	got == sensitive_names
}

test_harmless_names if {
	got := {n | some n in harmless_names; secrets.sensitive_name(n)}
	got == set()
}

test_name_pattern_is_case_insensitive_even_when_overridden if {
	secrets.sensitive_name("db_password") with data.feastflow.params as {"sensitive_name_pattern": "PASSWORD"}
	secrets.sensitive_name("DB_PASSWORD") with data.feastflow.params as {"sensitive_name_pattern": "PASSWORD"}
	not secrets.sensitive_name("API_TOKEN") with data.feastflow.params as {"sensitive_name_pattern": "PASSWORD"}
}

test_empty_name_pattern_turns_name_checks_off if {
	not secrets.sensitive_name("DB_PASSWORD") with data.feastflow.params as {"sensitive_name_pattern": ""}
	not secrets.evidence("DB_PASSWORD", "hunter2") with data.feastflow.params as {"sensitive_name_pattern": ""}

	# value checks still run
	secrets.evidence("DB_URL", db_url) == "it is a URL with an embedded password" with data.feastflow.params as {"sensitive_name_pattern": ""}
}

test_sensitive_literals if {
	secrets.sensitive_literal("DB_PASSWORD", "hunter2")
	secrets.sensitive_literal("DB_PASSWORD", "  hunter2  ")
	secrets.sensitive_literal("DB_PASSWORD", 123456)
	secrets.sensitive_literal("DB_PASSWORD", "changeme")
	secrets.sensitive_literal("DB_PASSWORD", "$(OTHER)-suffix")

	# a *_FILE name whose value is not a path is the secret itself
	secrets.sensitive_literal("PASSWORD_FILE", "hunter2")

	# a path under a name that is not about files is still a literal
	secrets.sensitive_literal("DB_PASSWORD", "/not-a-file")
}

test_non_secret_literals if {
	not secrets.sensitive_literal("DB_PASSWORD", "")
	not secrets.sensitive_literal("DB_PASSWORD", "   ")
	not secrets.sensitive_literal("DB_PASSWORD", null)
	not secrets.sensitive_literal("DB_PASSWORD", "$(POSTGRES_PASSWORD)")
	not secrets.sensitive_literal("DB_PASSWORD", "${POSTGRES_PASSWORD}")
	not secrets.sensitive_literal("DB_PASSWORD", "$(PREFIX)$(SUFFIX)")
	not secrets.sensitive_literal("DB_PASSWORD", "<set-me>")
	not secrets.sensitive_literal("DB_PASSWORD", "********")
	not secrets.sensitive_literal("API_TOKEN", "INSERT_API_TOKEN")
	not secrets.sensitive_literal("API_TOKEN", "your-api-token")
	not secrets.sensitive_literal("API_TOKEN", "PUT_YOUR_TOKEN_HERE")
	not secrets.sensitive_literal("API_TOKEN", "replace_me")
	not secrets.sensitive_literal("PASSWORD_REQUIRED", "true")
	not secrets.sensitive_literal("REQUIRE_PASSWORD", "false")
	not secrets.sensitive_literal("REQUIRE_PASSWORD", true)
	not secrets.sensitive_literal("PASSWORD_FILE", "/run/secrets/db/password")
	not secrets.sensitive_literal("DB_PASSWORD_FILE", "./secrets/password.txt")
	not secrets.sensitive_literal("TLS_PRIVATE_KEY_PATH", "/etc/tls/tls.key")
	not secrets.sensitive_literal("privateKeyFile", "~/.ssh/id_ed25519")
	not secrets.sensitive_literal("secret.dir", "/var/run/secrets/app")
	not secrets.sensitive_literal("LOG_LEVEL", "debug")
}

test_value_evidence_wins_over_name if {
	secrets.evidence("DB_PASSWORD", db_url) == "it is a URL with an embedded password"
	secrets.evidence("SIGNING_KEY", pem_key) == "it looks like a PEM private key"
	secrets.evidence("DB_PASSWORD", "hunter2") == "the name looks sensitive"

	# value evidence applies whatever the name, even a *_FILE one
	secrets.evidence("TLS_KEY_FILE", pem_key) == "it looks like a PEM private key"
	secrets.evidence("TOKEN_URL", db_url) == "it is a URL with an embedded password"
}

test_no_evidence_for_harmless_pairs if {
	not secrets.evidence("TOKEN_URL", "https://auth.example.com/oauth/token")
	not secrets.evidence("DATABASE_URL", "postgres://feastflow:$(DB_PASSWORD)@postgres:5432/feastflow")
	not secrets.evidence("LOG_LEVEL", "info")
	not secrets.evidence("CA_BUNDLE", harmless_values.certificate)
}

test_identifier_names_report_only_value_evidence if {
	not secrets.evidence("SIGNING_KEY_ID", "key-2026-01")
	not secrets.evidence("AWS_ACCESS_KEY_ID", "minio")
	not secrets.evidence("ETCD_INITIAL_CLUSTER_TOKEN", "etcd-cluster-1")

	# the value decides: an access key ID is still reported
	secrets.evidence("AWS_ACCESS_KEY_ID", aws_key) == "it looks like an AWS access key ID"
	secrets.evidence("DB_SECRET_ARN", db_url) == "it is a URL with an embedded password"
}

test_connection_string_passwords if {
	every v in [
		"jdbc:postgresql://db:5432/app?user=app&password=hunter2",
		"jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=hunter2",
		"Server=db;Database=app;User Id=sa;Password=hunter2;",
		"host=db dbname=app user=app ;password=hunter2",
	] {
		secrets.looks_sensitive_value(v) == "is a connection string with a password"
	}
	every v in [
		"jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}",
		"Server=db;Database=app;User Id=sa;Password=$(DB_PASSWORD);",
		"jdbc:postgresql://db:5432/app?user=app",
		"Server=db;Password=;",
		"https://example.com/reset?password_reset=1",
	] {
		not secrets.looks_sensitive_value(v)
	}
}

# METADATA
# title: Secret detection
# description: |
#   Heuristics shared by the secrets rules. `looks_sensitive_value(v)` says
#   why a literal value looks like a credential (a PEM private key, a JWT, a
#   cloud or SaaS token, a URL with a password); `sensitive_name(n)` matches
#   names against the sensitive_name_pattern parameter (always
#   case-insensitively; an empty pattern turns name checks off);
#   `evidence(name, value)` combines both for a name/value pair. Every
#   description names the kind of evidence only, never the value, so rules
#   can put it in messages. The regexes are constants, and a single combined
#   regex screens each value before the specific ones run.
package feastflow.lib.secrets

import data.feastflow.lib.params

# value_patterns are tried in order; the first match gives the evidence.
value_patterns := [
	{"pattern": `-----BEGIN[A-Z0-9 ]* PRIVATE KEY`, "evidence": "looks like a PEM private key"},
	{"pattern": `eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`, "evidence": "looks like a JSON Web Token"},
	{"pattern": `(?:^|[^A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?:[^A-Za-z0-9]|$)`, "evidence": "looks like an AWS access key ID"},
	{"pattern": `gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}`, "evidence": "looks like a GitHub token"},
	{"pattern": `xox[abprs]-[A-Za-z0-9-]{10,}`, "evidence": "looks like a Slack token"},
	{"pattern": `AIza[0-9A-Za-z_-]{35}`, "evidence": "looks like a Google API key"},
	# scheme://[user]:password@ where the password is not a $(VAR) or
	# ${VAR} reference, a <placeholder> or a **** mask.
	{"pattern": `[A-Za-z][A-Za-z0-9+.-]*://[^/?#\s@:]*:[^/?#\s@$*<][^/?#\s@]*@`, "evidence": "is a URL with an embedded password"},
	# a connection string's password parameter: ?password=..., ;Password=...
	# (JDBC, ADO.NET, libpq keyword strings), not a reference or placeholder.
	{"pattern": `(?i)[?&;]\s*(?:password|passwd|pwd)=[^&;\s$*<]`, "evidence": "is a connection string with a password"},
]

# any_value_pattern is the alternation of every value pattern (kept equal
# to them by a unit test), so most values cost one regex match.
any_value_pattern := `-----BEGIN[A-Z0-9 ]* PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*|(?:^|[^A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?:[^A-Za-z0-9]|$)|gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|[A-Za-z][A-Za-z0-9+.-]*://[^/?#\s@:]*:[^/?#\s@$*<][^/?#\s@]*@|(?i)[?&;]\s*(?:password|passwd|pwd)=[^&;\s$*<]`

# looks_sensitive_value(v) describes why the value v looks like a
# credential, e.g. "looks like a PEM private key"; undefined otherwise.
looks_sensitive_value(v) := evidences[0] if {
	is_string(v)
	regex.match(any_value_pattern, v)
	evidences := [p.evidence | some p in value_patterns; regex.match(p.pattern, v)]
}

# name_pattern_param is the sensitive_name_pattern parameter, read once.
name_pattern_param := params.value("sensitive_name_pattern")

# name_pattern is the parameter, case-insensitive.
name_pattern := concat("", ["(?i)", name_pattern_param])

# Names ending in these words hold settings about a credential (where it
# is, how long it lives, what it is called, which one it is), not the
# credential itself: TOKEN_URL, PASSWORD_MIN_LENGTH, jwtSecretName,
# API_KEY_HEADER, SIGNING_KEY_ID, secretRef. So do cluster and join
# identifiers such as etcd's ETCD_INITIAL_CLUSTER_TOKEN and
# ETCD_DISCOVERY_TOKEN, which name the cluster to join and are no
# credential. Under such a name only value evidence
# (a PEM key, a URL with a password, ...) reports a value.
non_secret_name_pattern := `(?:(?:^|[._-])(?i:url|uri|endpoint|host|hostname|port|name|names|header|ttl|timeout|expiry|expiration|lifetime|interval|length|len|size|count|enabled|disabled|required|algorithm|alg|type|issuer|audience|user|username|version|policy|provider|backend|prefix|format|seconds|minutes|hours|days|ms|id|ids|kid|arn|ref|reference|namespace|realm|scope|scopes|mode|label|hint|rotation|initial[._-]?cluster[._-]?token|discovery[._-]?token)|[a-z0-9](?:Url|URL|Uri|URI|Endpoint|Host|Hostname|Port|Name|Names|Header|Ttl|TTL|Timeout|Expiry|Expiration|Lifetime|Interval|Length|Len|Size|Count|Enabled|Disabled|Required|Algorithm|Alg|Type|Issuer|Audience|User|Username|Version|Policy|Provider|Backend|Prefix|Format|Seconds|Minutes|Hours|Days|Ms|Id|ID|Ids|IDs|Kid|Arn|ARN|Ref|Reference|Namespace|Realm|Scope|Scopes|Mode|Label|Hint|Rotation|InitialClusterToken|DiscoveryToken))$`

# Names ending in these words point at a file that holds the credential:
# PASSWORD_FILE, TLS_KEY_PATH, secretDir.
file_name_pattern := `(?:[._-](?i:file|filename|files|path|dir|directory|location|mountpath)|[a-z0-9](?:File|FileName|Filename|Files|Path|Dir|Directory|Location|MountPath))$`

# file_path_pattern matches a value that is a file path.
file_path_pattern := `^(?:~?/|\.{1,2}/|[A-Za-z]:\\|file://)\S*$`

# Values that cannot be a literal secret: booleans, values made only of
# $(VAR) / ${VAR} references (the kubelet or the app fills them in from
# elsewhere), <placeholders>, INSERT_/REPLACE_/YOUR_... and ..._HERE
# placeholders, **** masks, YAML block indicators (| or >), the opening of
# a nested list or object, shell references ($POSTGRES_PASSWORD, $1 and
# what follows them in a script line) and {{ template }} expressions.
non_secret_value_pattern := `^(?:(?i:true|false|yes|no|on|off|enabled?|disabled?|none|null|nil)|~|[|>][-+0-9]*|[\[{]\s*[\]}]?|\$(?:[A-Z_][A-Z0-9_]*|[0-9@*#?])(?:[^A-Za-z0-9_].*)?|\{\{.*\}\}|(?i:insert|replace|your|enter)(?:[_-][A-Za-z0-9]+)+|(?i:[A-Za-z0-9_-]+[_-]here)|(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\})+|<[^<>]*>|\*+)$`

# reference_name_pattern: names that point at a Secret rather than hold a
# credential: Helm charts' existingSecret / existingSecretPasswordKey and
# the key of a password inside a Secret (adminPasswordKey, PASSWORD_KEY).
reference_name_pattern := `^(?i:existing)|(?i:password[._-]?key)$`

# sensitive_name(n) holds when the name n looks like it holds a credential.
sensitive_name(n) if {
	is_string(n)
	name_pattern_param != ""
	regex.match(name_pattern, n)
	not regex.match(non_secret_name_pattern, n)
	not regex.match(reference_name_pattern, n)
}

# sensitive_literal(name, v) holds when the value v, set under a sensitive
# name, may be the credential itself: not blank, not a boolean, reference
# or placeholder, and not a file path under a name like PASSWORD_FILE.
sensitive_literal(name, v) if {
	sensitive_name(name)
	text := trim_space(value_text(v))
	text != ""
	not regex.match(non_secret_value_pattern, text)
	not file_reference(name, text)
}

file_reference(name, text) if {
	regex.match(file_name_pattern, name)
	regex.match(file_path_pattern, text)
}

# value_text(v) is v as a string; numbers and booleans (an unquoted YAML
# value) are literals too.
value_text(v) := v if is_string(v)

value_text(v) := sprintf("%v", [v]) if is_number(v)

value_text(v) := sprintf("%v", [v]) if is_boolean(v)

# evidence(name, v) says why the name/value pair looks like a credential,
# as a clause about the value: "it looks like a PEM private key", or "the
# name looks sensitive" when only the name gives it away.
#
# Each clause asks its one regular expression first (the value against
# any_value_pattern, the name against name_pattern): most pairs fail both
# at once, without further calls.
evidence(name, v) := sprintf("it %s", [e]) if {
	is_string(v)
	regex.match(any_value_pattern, v)
	e := looks_sensitive_value(v)
} else := "the name looks sensitive" if {
	is_string(name)
	regex.match(name_pattern, name)
	sensitive_literal(name, v)
}

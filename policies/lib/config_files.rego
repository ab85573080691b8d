# METADATA
# title: Credentials inside configuration files
# description: |
#   A ConfigMap value is often a whole configuration file: Java
#   .properties, .env, .ini/.cfg/.conf/.toml, YAML or JSON. `findings(text)`
#   reads such a file line by line, as a set of {"line", "name", "evidence"}
#   (line numbers start at 1 within the value; name is the setting's key,
#   "" when the line is no key/value pair). A line is reported when its
#   value looks like a credential whatever its key, or when its key's last
#   part looks sensitive (spring.datasource.password, DB_PASSWORD,
#   "clientSecret") and the value is a literal, not a reference such as
#   ${DB_PASSWORD}, a placeholder, a boolean or a file path under a *_file
#   key. Comment lines (#, ;, !, //) are skipped. Evidence names the kind
#   of evidence only, never the value.
package feastflow.lib.config_files

import data.feastflow.lib.secrets

# file_key_pattern: ConfigMap keys that name a configuration file.
file_key_pattern := `(?i)\.(properties|env|ini|cfg|conf|config|toml|ya?ml|json|xml|txt)$|(?i)^\.?env$`

# is_file(key, value) holds when the value is read as a file: its key
# names one, or it spans several lines.
is_file(key, _) if regex.match(file_key_pattern, key)

is_file(_, value) if contains(value, "\n")

comment_pattern := `^\s*(?:#|;|!|//)`

# pair_pattern: `key = value`, `key: value`, `export KEY=value`, `- key: value`.
pair_pattern := `^\s*(?:export\s+)?(?:-\s+)?["']?([A-Za-z0-9_.\-\[\]/@]+)["']?\s*[:=]\s*(.*?)\s*,?\s*$`

# json_pair_pattern: "key": "value", several per line in compact JSON.
json_pair_pattern := `"([^"\\]+)"\s*:\s*"((?:[^"\\]|\\.)*)"`

# findings(text): one finding per line with evidence, the first that
# applies. Text that cannot hold any (see may_hold_evidence) is not split
# into lines at all: large files, such as dashboards, cost one or two
# regular-expression scans.
findings(text) := {f |
	may_hold_evidence(text)
	some i, line in split(text, "\n")
	not regex.match(comment_pattern, line)
	f := line_finding(i + 1, line)
}

# may_hold_evidence(text) holds when some line of text may have evidence.
# Every string a line's evidence is matched on (the line, or a key or
# value in it) is a substring of text, so a pattern without anchors or
# word-boundary assertions that matches none of text matches none of
# them: a credential-looking value, or the sensitive-name pattern. A
# sensitive_name_pattern with anchors always lets the text through.
may_hold_evidence(text) if regex.match(secrets.any_value_pattern, text)

may_hold_evidence(text) if {
	secrets.name_pattern_param != ""
	regex.match(secrets.name_pattern, text)
}

may_hold_evidence(_) if regex.match(`[\^$]|\\[AzbB]`, secrets.name_pattern_param)

line_finding(n, line) := {"line": n, "name": name, "evidence": e} if {
	some [name, e] in pair_evidence(line)
} else := {"line": n, "name": "", "evidence": sprintf("it %s", [e])} if {
	e := secrets.looks_sensitive_value(line)
}

# pair_evidence(line): [key, evidence] for each key/value pair of the line
# that looks like a credential, as [name, evidence].
pair_evidence(line) := [[name, e] |
	some [name, value] in pairs(line)
	e := secrets.evidence(last_part(name), unquoted(value))
]

pairs(line) := [[m[1], m[2]] | some m in regex.find_all_string_submatch_n(json_pair_pattern, line, -1)] if {
	regex.match(json_pair_pattern, line)
} else := [[m[1], m[2]] | some m in regex.find_all_string_submatch_n(pair_pattern, line, 1)]

# last_part(name) is the last segment of a dotted or slashed key
# (spring.datasource.password -> password), so the name heuristics see the
# setting's own name.
last_part(name) := p if {
	parts := regex.split(`[./]`, name)
	p := parts[count(parts) - 1]
	p != ""
} else := name

# unquoted(v) drops the quotes around a value, or a trailing ` # comment`.
unquoted(v) := m[1] if {
	[m] := regex.find_all_string_submatch_n(`^"((?:[^"\\]|\\.)*)"`, v, 1)
} else := m[1] if {
	[m] := regex.find_all_string_submatch_n(`^'([^']*)'`, v, 1)
} else := trim_space(regex.replace(v, `\s+#.*$`, ""))

package feastflow.lib.config_files_test

import data.feastflow.lib.config_files

dashboard := concat("\n", [
	`{`,
	`  "title": "Requests",`,
	`  "expr": "sum(rate(http_requests_total[5m]))",`,
	`  "datasource": "prometheus"`,
	`}`,
])

properties := concat("\n", ["# the app", "server.port=8080", "password=hunter2-prod"])

test_text_without_evidence_has_no_findings if {
	not config_files.may_hold_evidence(dashboard)
	count(config_files.findings(dashboard)) == 0
}

test_a_sensitive_name_is_found if {
	config_files.may_hold_evidence(properties)
	config_files.findings(properties) == {{"line": 3, "name": "password", "evidence": "the name looks sensitive"}}
}

test_a_credential_value_is_found_under_any_name if {
	text := "server.port=8080\ndb.url=postgres://app:s3cr3t-x@db:5432/app"
	config_files.may_hold_evidence(text) with data.feastflow.params as {"sensitive_name_pattern": "nomatch"}
	count(config_files.findings(text)) == 1 with data.feastflow.params as {"sensitive_name_pattern": "nomatch"}
}

# An anchored sensitive_name_pattern matches a key, not the whole text:
# the text is always read line by line then.
test_an_anchored_name_pattern_still_finds_the_key if {
	findings := config_files.findings(properties) with data.feastflow.params as {"sensitive_name_pattern": "^password$"}
	findings == {{"line": 3, "name": "password", "evidence": "the name looks sensitive"}}
}

test_an_unanchored_pattern_that_matches_nothing_skips_the_text if {
	not config_files.may_hold_evidence(properties) with data.feastflow.params as {"sensitive_name_pattern": "nomatch"}
}

package feastflow.rules.meta.exemption_invalid_test

import data.feastflow.lib.exemptions
import data.feastflow.rules.meta.exemption_invalid

annotated(annotations) := {"object": {"kind": "Deployment", "metadata": {"name": "api", "annotations": annotations}}}

# 2027-01-15T00:00:00Z
now := 1800000000000000000

test_exemption_without_reason_is_reported_and_not_granted if {
	doc := annotated({"policy.feastflow.io/exempt": "cpu-limit"})
	v := exemption_invalid.violation with input as doc
	count(v) == 1
	some f in v
	contains(f.msg, "no reason")
	count(exemptions.granted) == 0 with input as doc
}

test_expired_exemption_is_reported if {
	doc := annotated({
		"policy.feastflow.io/exempt": "cpu-limit",
		"policy.feastflow.io/exempt-reason": "legacy",
		"policy.feastflow.io/exempt-until": "2020-01-31",
	})
	v := exemption_invalid.violation with input as doc with time.now_ns as now
	{f.msg | some f in v} == {"the exemption from cpu-limit is ignored: it expired on 2020-01-31"}
}

test_malformed_expiry_is_reported if {
	doc := annotated({
		"policy.feastflow.io/exempt": "cpu-limit",
		"policy.feastflow.io/exempt-reason": "legacy",
		"policy.feastflow.io/exempt-until": "next year",
	})
	count(exemption_invalid.violation) == 1 with input as doc
}

test_valid_exemption_is_granted if {
	doc := annotated({
		"policy.feastflow.io/exempt": "cpu-limit, liveness-probe-required",
		"policy.feastflow.io/exempt-reason": "batch worker",
		"policy.feastflow.io/exempt-until": "2099-12-31",
	})
	count(exemption_invalid.violation) == 0 with input as doc with time.now_ns as now
	exemptions.granted == {"cpu-limit", "liveness-probe-required"} with input as doc with time.now_ns as now
}

test_expiry_day_itself_is_still_valid if {
	doc := annotated({
		"policy.feastflow.io/exempt": "cpu-limit",
		"policy.feastflow.io/exempt-reason": "legacy",
		"policy.feastflow.io/exempt-until": "2027-01-15",
	})
	exemptions.granted == {"cpu-limit"} with input as doc with time.now_ns as now
}

test_the_exemption_rule_cannot_exempt_itself if {
	doc := annotated({
		"policy.feastflow.io/exempt": "exemption-invalid",
		"policy.feastflow.io/exempt-reason": "why not",
	})
	count(exemptions.granted) == 0 with input as doc
}

# METADATA
# title: Exemptions
# description: |
#   An object opts out of rules with annotations:
#     policy.feastflow.io/exempt: "rule-id,other-rule-id"
#     policy.feastflow.io/exempt-reason: "why" (required)
#     policy.feastflow.io/exempt-until: "2027-01-31" (optional, YYYY-MM-DD)
#   An exemption is granted only with a reason and before its expiry;
#   exempted findings are still reported, marked as exempted.
package feastflow.lib.exemptions

import data.feastflow.lib.k8s

exempt_key := "policy.feastflow.io/exempt"

reason_key := "policy.feastflow.io/exempt-reason"

until_key := "policy.feastflow.io/exempt-until"

# requested: the rule ids the object asks to be exempted from.
requested contains id if {
	some raw in split(k8s.annotations[exempt_key], ",")
	id := trim_space(raw)
	id != ""
}

reason := trim_space(object.get(k8s.annotations, reason_key, ""))

until := trim_space(object.get(k8s.annotations, until_key, ""))

# problems: why the exemption cannot be granted (empty when it can).
problems contains "it has no reason: set the policy.feastflow.io/exempt-reason annotation" if {
	count(requested) > 0
	reason == ""
}

problems contains sprintf("its expiry %q is not a date (YYYY-MM-DD)", [until]) if {
	count(requested) > 0
	until != ""
	not expiry_ns
}

problems contains sprintf("it expired on %s", [until]) if {
	count(requested) > 0
	time.now_ns() >= expiry_ns + day_ns
}

day_ns := ((24 * 60) * 60) * 1000000000

expiry_ns := time.parse_ns("2006-01-02", until) if until != ""

# granted: the rule ids whose findings are exempted. The exemption rule
# itself can never be exempted.
granted := {id | some id in requested; id != "exemption-invalid"} if count(problems) == 0

granted := set() if count(problems) > 0

# METADATA
# title: A rule that takes seconds (test only)
# description: Counts to ten million, to pass any evaluation deadline.
# related_resources:
#   - ref: https://www.openpolicyagent.org/docs/policy-language
# custom:
#   id: test-slow
#   kinds: [all]
#   severity: deny
#   remediation: Only for the webhook's error-policy tests.
package feastflow.rules.test.slow

violation contains {"msg": "slow"} if {
	input.object.metadata.labels.fail == "slow"
	count([x | some x in numbers.range(1, 10000000); x < 0]) > 0
}

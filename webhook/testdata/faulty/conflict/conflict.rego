# METADATA
# title: A rule that fails at run time (test only)
# description: Produces two values for one complete rule, an OPA runtime error.
# related_resources:
#   - ref: https://www.openpolicyagent.org/docs/policy-language
# custom:
#   id: test-runtime-conflict
#   kinds: [all]
#   severity: deny
#   remediation: Only for the webhook's error-policy tests.
package feastflow.rules.test.conflict

verdict := "a" if input.object.metadata.labels.fail == "conflict"

verdict := "b" if input.object.metadata.labels.fail == "conflict"

violation contains {"msg": verdict} if verdict == "never"

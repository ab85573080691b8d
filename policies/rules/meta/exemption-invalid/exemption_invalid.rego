# METADATA
# title: Exemptions need a reason and must not be expired
# description: |
#   An object may exempt itself from rules with the
#   policy.feastflow.io/exempt annotation, but only with a reason
#   (policy.feastflow.io/exempt-reason) and, when it has one, before its
#   expiry date (policy.feastflow.io/exempt-until, YYYY-MM-DD). Otherwise the
#   exemption is ignored and this rule reports why.
# related_resources:
#   - ref: https://github.com/feastflow/kubectl-feastflow#exemptions
#     description: Exemptions
# custom:
#   id: exemption-invalid
#   kinds: [all]
#   severity: deny
#   remediation: |
#     Add policy.feastflow.io/exempt-reason with why the rule does not apply,
#     renew or remove policy.feastflow.io/exempt-until, or fix the finding
#     and drop the exemption.
package feastflow.rules.meta.exemption_invalid

import data.feastflow.lib.exemptions

violation contains {"msg": msg, "path": ["metadata", "annotations", exemptions.exempt_key]} if {
	some problem in exemptions.problems
	msg := sprintf("the exemption from %s is ignored: %s", [concat(", ", sort(exemptions.requested)), problem])
}

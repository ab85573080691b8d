package feastflow.rules.schema.api_version_served_test

import data.feastflow.rules.schema.api_version_served

test_each_api_error_is_a_violation_with_its_severity if {
	errs := [
		{"path": ["apiVersion"], "message": "extensions/v1beta1 Deployment is not served", "severity": "deny"},
		{"path": ["apiVersion"], "message": "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated", "severity": "warn"},
	]
	v := api_version_served.violation with input as {"object": {}, "api_errors": errs}
	v == {{"msg": e.message, "path": e.path, "severity": e.severity} | some e in errs}
}

test_no_api_errors_passes if {
	count(api_version_served.violation) == 0 with input as {"object": {}, "api_errors": []}
}

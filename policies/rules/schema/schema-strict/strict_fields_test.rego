package feastflow.rules.schema.strict_fields_test

import data.feastflow.rules.schema.strict_fields

test_each_schema_error_is_a_violation if {
	errs := [
		{"path": ["spec", "template", "spec", "containers", 0, "livenesProbe"], "message": "unknown field \"spec.template.spec.containers[0].livenesProbe\""},
		{"path": ["spec", "replicas"], "message": "wrong type for field \"spec.replicas\": got string, want int32"},
	]
	v := strict_fields.violation with input as {"object": {}, "schema_errors": errs}
	count(v) == 2
	{e.path | some e in v} == {e.path | some e in errs}
}

test_no_schema_errors_passes if {
	count(strict_fields.violation) == 0 with input as {"object": {}, "schema_errors": []}
}

# METADATA
# title: Label selectors
# description: |
#   Kubernetes label-selector semantics: matchLabels and matchExpressions
#   (In, NotIn, Exists, DoesNotExist) are ANDed; an empty selector matches
#   everything. A Service's selector is a plain map, and a Service with no
#   selector selects no pods.
package feastflow.lib.selector

# matches(selector, labels) holds when the LabelSelector selects labels.
matches(selector, labels) if {
	every k, v in object.get(selector, "matchLabels", {}) {
		labels[k] == v
	}
	every expr in object.get(selector, "matchExpressions", []) {
		expression_matches(expr, labels)
	}
}

expression_matches(expr, labels) if {
	expr.operator == "In"
	labels[expr.key] in object.get(expr, "values", [])
}

expression_matches(expr, labels) if {
	expr.operator == "NotIn"
	not labels[expr.key] in object.get(expr, "values", [])
}

expression_matches(expr, labels) if {
	expr.operator == "Exists"
	_ = labels[expr.key]
}

expression_matches(expr, labels) if {
	expr.operator == "DoesNotExist"
	not has_key(labels, expr.key)
}

has_key(obj, key) if _ = obj[key]

# service_matches(service_selector, labels): a non-empty map whose pairs all match.
service_matches(service_selector, labels) if {
	count(service_selector) > 0
	every k, v in service_selector {
		labels[k] == v
	}
}

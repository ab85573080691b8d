# METADATA
# title: Resource quantities
# description: |
#   Parses Kubernetes quantities ("500m", "0.5", "1Gi", 2) into numbers
#   (cores for CPU, bytes for memory) so they can be compared.
package feastflow.lib.quantity

# amount(q) is q as a number; it is undefined for malformed quantities.
amount(q) := q if is_number(q)

amount(q) := units.parse(q) if {
	is_string(q)
	regex.match(`^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$`, q)
}

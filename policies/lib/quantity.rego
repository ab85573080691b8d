# METADATA
# title: Resource quantities
# description: |
#   Kubernetes quantities ("500m", "0.5", "1.2Gi", "1e3", 2) compared
#   exactly, as apimachinery's resource.ParseQuantity and Quantity.Cmp do:
#   no floating point anywhere. A quantity becomes a signed integer count
#   of nano-units (10^-9 of a core, of a byte, ...): its digits times the
#   suffix's power of 2 or 10, rounded away from zero to a whole nano-unit
#   and, for binary suffixes, capped at 2^63-1 units, like ParseQuantity. OPA
#   multiplies integers exactly (big integers), so `1288490188800m` and
#   `1.2Gi` are the same 1288490188800000000 nano-bytes.
package feastflow.lib.quantity

# grammar of a quantity: sign, digits, fraction, suffix (apimachinery's
# parseQuantityString and suffixer). Like ParseQuantity, digits may be
# absent ("." and "Gi" are zero); only the empty string is refused.
grammar := `^([+-]?)([0-9]*)(?:\.([0-9]*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$`

# suffixes: [power of 10, power of 2] for each named suffix.
suffixes := {
	"": [0, 0], "n": [-9, 0], "u": [-6, 0], "m": [-3, 0],
	"k": [3, 0], "M": [6, 0], "G": [9, 0], "T": [12, 0], "P": [15, 0], "E": [18, 0],
	"Ki": [0, 10], "Mi": [0, 20], "Gi": [0, 30], "Ti": [0, 40], "Pi": [0, 50], "Ei": [0, 60],
}

powers_of_two := {
	0: 1, 10: 1024, 20: 1048576, 30: 1073741824, 40: 1099511627776,
	50: 1125899906842624, 60: 1152921504606846976,
}

# max_nanos is apimachinery's cap, 2^63-1 units, in nano-units.
max_nanos := 9223372036854775807000000000

# nanos(q) is the quantity q (a string, or a JSON number) as an exact
# signed integer of nano-units; undefined when q is not a quantity.
nanos(q) := n if {
	is_string(q)
	n := string_nanos(q)
}

# string_nanos(q) is the value the engine computed for q with
# apimachinery (input.quantities: the requests and limits of the object
# under evaluation), else q parsed here; both are the same number.
string_nanos(q) := n if {
	n := input.quantities[q]
} else := parsed_nanos(q)

nanos(q) := n if {
	is_number(q)
	n := parsed_nanos(json.marshal(q))
}

parsed_nanos(s) := signed(m[1], capped(magnitude(digits, scale[0] - count(m[3]), scale[1]), suffix)) if {
	s != ""
	[m] := regex.find_all_string_submatch_n(grammar, s, 1)
	suffix := m[4]
	scale := suffix_scale(suffix)
	digits := trim_left(concat("", [m[2], m[3]]), "0")
}

suffix_scale(suffix) := suffixes[suffix]

suffix_scale(suffix) := [to_number(trim_left(substring(suffix, 1, -1), "+")), 0] if {
	not suffixes[suffix]
}

signed("-", n) := 0 - n

signed(sign, n) := n if sign != "-"

# capped(n, suffix): binary-suffixed quantities are capped at 2^63-1
# units; decimal ones ("10E", "1e30") are not.
capped(n, suffix) := min([n, max_nanos]) if binary(suffix)

capped(n, suffix) := n if not binary(suffix)

binary(suffix) if suffixes[suffix][1] > 0

# magnitude(digits, e10, e2) is digits * 10^e10 * 2^e2 in nano-units,
# rounded up to a whole nano-unit; digits has no leading zeros ("" is 0).
magnitude("", _, _) := 0

magnitude(digits, e10, e2) := (to_number(digits) * powers_of_two[e2]) * ten_to(e10 + 9) if {
	digits != ""
	e10 + 9 >= 0
	e10 + 9 <= 60
}

# Beyond 10^60 nano-units (a decimal exponent such as "1e80") the
# quantity is left undefined: no node offers that much of anything.

magnitude(digits, e10, e2) := ceil_shift(sprintf("%d", [to_number(digits) * powers_of_two[e2]]), 0 - (e10 + 9)) if {
	digits != ""
	e10 + 9 < 0
}

# ten_to(k) is 10^k for 0 <= k <= 60, exactly: from a table for the
# usual scales, built from its digits beyond.
ten_to(k) := powers_of_ten[k]

ten_to(k) := to_number(concat("", ["1", concat("", ["0" | some _ in numbers.range(1, k)])])) if {
	k > 27
}

powers_of_ten := {
	0: 1,
	1: 10,
	2: 100,
	3: 1000,
	4: 10000,
	5: 100000,
	6: 1000000,
	7: 10000000,
	8: 100000000,
	9: 1000000000,
	10: 10000000000,
	11: 100000000000,
	12: 1000000000000,
	13: 10000000000000,
	14: 100000000000000,
	15: 1000000000000000,
	16: 10000000000000000,
	17: 100000000000000000,
	18: 1000000000000000000,
	19: 10000000000000000000,
	20: 100000000000000000000,
	21: 1000000000000000000000,
	22: 10000000000000000000000,
	23: 100000000000000000000000,
	24: 1000000000000000000000000,
	25: 10000000000000000000000000,
	26: 100000000000000000000000000,
	27: 1000000000000000000000000000,
}

# ceil_shift(x, d) is ceil(x / 10^d) for the decimal string x and d > 0.
ceil_shift(x, d) := whole + carry if {
	keep := count(x) - d
	whole := head(x, keep)
	carry := rest_carry(substring(x, max([keep, 0]), -1))
}

head(x, keep) := to_number(substring(x, 0, keep)) if keep > 0

head(_, keep) := 0 if keep <= 0

rest_carry(rest) := 1 if regex.match(`[1-9]`, rest)

rest_carry(rest) := 0 if not regex.match(`[1-9]`, rest)

# cmp(a, b) is -1, 0 or 1 as the quantity a is less than, equal to or
# greater than b (Quantity.Cmp); undefined when either is malformed.
cmp(a, b) := -1 if nanos(a) < nanos(b)

cmp(a, b) := 0 if nanos(a) == nanos(b)

cmp(a, b) := 1 if nanos(a) > nanos(b)

# less(a, b) holds when the quantity a is below b; use it as a condition
# (it is false when a is not below b, undefined when either is
# malformed). Two quantities the engine computed (input.quantities) are
# compared at once, without parsing.
less(a, b) := na < nb if {
	na := input.quantities[a]
	nb := input.quantities[b]
} else := nanos(a) < nanos(b)

# amount(q) is q in nano-units, kept under its former name for rules
# written against it; compare amounts only with each other.
amount(q) := nanos(q)

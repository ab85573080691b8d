package policies

import (
	"encoding/json"
	"regexp"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"
)

// quantityGrammar is lib/quantity.rego's grammar; quantityExponent marks
// the exponent forms ("1e3") lib/quantity.rego leaves undefined beyond
// 10^60 nano-units, which are left to it.
var (
	quantityGrammar  = regexp.MustCompile(`^([+-]?)([0-9]*)(?:\.([0-9]*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$`)
	quantityExponent = regexp.MustCompile(`[eE][+-]?[0-9]+$`)
)

// inputQuantities is input.quantities for obj: every string quantity of
// the requests and limits of a workload's pod spec (containers and
// pod-level), as exact nano-units from apimachinery's resource.ParseQuantity,
// so lib/quantity.rego looks them up instead of parsing them in Rego. It
// holds only strings both accept (and no exponent forms); lib/quantity.rego
// parses any other quantity itself, with the same result (TestInputQuantities).
// Nil for objects that are not workloads.
func inputQuantities(obj map[string]any) map[string]any {
	kind, _ := obj["kind"].(string)
	if !IsWorkload(kind) {
		return nil
	}
	out := map[string]any{}
	collectQuantities(obj, out)
	return out
}

// collectQuantities walks v and records the string values of every
// "requests" and "limits" object in it.
func collectQuantities(v any, out map[string]any) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if values, ok := child.(map[string]any); ok && (k == "requests" || k == "limits") {
				for _, q := range values {
					if s, ok := q.(string); ok {
						addQuantity(s, out)
					}
				}
			}
			collectQuantities(child, out)
		}
	case []any:
		for _, child := range x {
			collectQuantities(child, out)
		}
	}
}

func addQuantity(s string, out map[string]any) {
	if _, done := out[s]; done || s == "" || !quantityGrammar.MatchString(s) || quantityExponent.MatchString(s) {
		return
	}
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return
	}
	d := new(inf.Dec).Mul(q.AsDec(), inf.NewDec(1, -9))
	if nanos := new(inf.Dec).Round(d, 0, inf.RoundExact); nanos != nil {
		out[s] = json.Number(nanos.UnscaledBig().String())
	}
}

package webhook

import (
	"fmt"
	"strings"
	"unicode"

	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// The API server truncates each admission warning to 256 runes and keeps
// at most 4 KiB of them per response (k8s.io/apiserver/pkg/warning); the
// webhook stays inside both so that no warning is cut mid-word by it.
const (
	maxWarningRunes      = 256
	maxWarningTotalRunes = 4096
)

// respond maps the findings of one object to an admission response.
//
//   - Deny findings deny the request in ModeEnforce, become warnings in
//     ModeWarn, and are only logged and counted in ModeAudit.
//   - Warn findings are warnings in every mode.
//   - Exempted findings never deny; they are listed as warnings so that an
//     exemption is visible to whoever applies the object.
func respond(mode Mode, ref policies.ObjectRef, findings []policies.Finding) (admission.Response, string) {
	var deny, warnings []string
	for _, f := range findings {
		switch {
		case f.Exempted():
			warnings = append(warnings, fmt.Sprintf("[%s] exempted (%s): %s", f.RuleID, f.Exemption.Reason, f.Message))
		case f.Severity == policies.SeverityDeny:
			deny = append(deny, fmt.Sprintf("[%s] %s", f.RuleID, f.Message))
		default:
			warnings = append(warnings, fmt.Sprintf("[%s] %s", f.RuleID, f.Message))
		}
	}
	if len(deny) > 0 && mode == ModeEnforce {
		msg := fmt.Sprintf("%s violates %d feastflow %s: %s", describe(ref), len(deny), plural(len(deny), "policy", "policies"), strings.Join(deny, "; "))
		return admission.Denied(msg).WithWarnings(truncateWarnings(warnings)...), DecisionDenied
	}
	if mode == ModeWarn {
		warnings = append(prefixed("deny ", deny), warnings...)
	}
	resp := admission.Allowed("").WithWarnings(truncateWarnings(warnings)...)
	if len(warnings) > 0 || (mode != ModeEnforce && len(deny) > 0) {
		return resp, DecisionWarned
	}
	return resp, DecisionAllowed
}

// describe names an object the way kubectl users read it: "Deployment shop/api".
func describe(ref policies.ObjectRef) string {
	if ref.Namespace == "" {
		return ref.Kind + " " + ref.Name
	}
	return ref.Kind + " " + ref.Namespace + "/" + ref.Name
}

func prefixed(prefix string, items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = prefix + s
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// truncateWarnings keeps warnings within the API server's limits: control
// characters become spaces, each warning is cut to maxWarningRunes, and
// when the total would pass maxWarningTotalRunes the rest is summarised
// in one last warning.
func truncateWarnings(warnings []string) []string {
	if len(warnings) == 0 {
		return nil
	}
	const moreFormat = "... and %d more findings: run kubectl feastflow lint for all"
	reserve := len(moreFormat) + 8
	out := make([]string, 0, len(warnings))
	total := 0
	for i, w := range warnings {
		w = shorten(sanitize(w), maxWarningRunes)
		n := len([]rune(w))
		limit := maxWarningTotalRunes
		if i < len(warnings)-1 {
			limit -= reserve // room for the summary after this one
		}
		if total+n > limit {
			return append(out, fmt.Sprintf(moreFormat, len(warnings)-i))
		}
		out = append(out, w)
		total += n
	}
	return out
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func shorten(s string, limit int) string {
	r := []rune(s)
	if len(r) <= limit {
		return s
	}
	return string(r[:limit-3]) + "..."
}

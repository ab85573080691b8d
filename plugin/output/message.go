package output

import "github.com/feastflow/kubectl-feastflow/policies"

// noFile heads the findings that carry no source location (for example,
// objects read from a live cluster).
const noFile = "(no file)"

// objectMessage renders a finding as "namespace/Kind/name: message".
func objectMessage(f policies.Finding) string {
	if f.Object.Kind == "" && f.Object.Name == "" {
		return f.Message
	}
	return f.Object.String() + ": " + f.Message
}

// exemptionNote renders why a finding was exempted, e.g.
// "exempted until 2030-01-31: reason".
func exemptionNote(e *policies.Exemption) string {
	if e == nil {
		return ""
	}
	note := "exempted"
	if e.Until != "" {
		note += " until " + e.Until
	}
	if e.Reason != "" {
		note += ": " + e.Reason
	}
	return note
}

// findingText is objectMessage plus the exemption note, if any.
func findingText(f policies.Finding) string {
	if f.Exempted() {
		return objectMessage(f) + " (" + exemptionNote(f.Exemption) + ")"
	}
	return objectMessage(f)
}

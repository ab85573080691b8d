package policies

import (
	"fmt"
	"strings"
)

// Severity says whether a finding blocks (deny) or only informs (warn).
type Severity string

const (
	// SeverityDeny findings fail lint and are denied at admission.
	SeverityDeny Severity = "deny"
	// SeverityWarn findings are reported but never block on their own.
	SeverityWarn Severity = "warn"
)

// ObjectRef identifies the Kubernetes object a finding is about.
type ObjectRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// String renders the reference kubectl style: Kind/name (namespace/Kind/name when namespaced).
func (r ObjectRef) String() string {
	if r.Namespace == "" {
		return r.Kind + "/" + r.Name
	}
	return r.Namespace + "/" + r.Kind + "/" + r.Name
}

// Location is a position in a source file; lines and columns start at 1
// (0 when unknown). File is empty when no file can be named (an object of
// a remote kustomize base); Note then says why, and it says how the place
// was found when it is not the field's own line (for kustomize: "generated
// by configMapGenerator in overlay/kustomization.yaml").
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Note   string `json:"note,omitempty"`
}

// String renders file:line:column.
func (l Location) String() string {
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
}

// Exemption records why a finding was exempted instead of counted.
type Exemption struct {
	Reason string `json:"reason"`
	Until  string `json:"until,omitempty"`
	// Source is where a central exemption was written (".feastflow.yaml:12");
	// empty for the object's own annotations.
	Source string `json:"source,omitempty"`
}

// Finding is one rule violation on one object.
type Finding struct {
	RuleID      string     `json:"ruleID"`
	Severity    Severity   `json:"severity"`
	Message     string     `json:"message"`
	Object      ObjectRef  `json:"object"`
	Field       string     `json:"field,omitempty"`
	Location    *Location  `json:"location,omitempty"`
	Remediation string     `json:"remediation,omitempty"`
	DocsURL     string     `json:"docs,omitempty"`
	Exemption   *Exemption `json:"exemption,omitempty"`

	// Path is the field path as keys (string) and indices (int); front ends
	// use it to find the source position. It is not part of the output.
	Path []any `json:"-"`
}

// Exempted reports whether an exemption annotation covers the finding.
func (f Finding) Exempted() bool { return f.Exemption != nil }

// FieldPath renders a path of keys and indices as spec.containers[0].image.
func FieldPath(path []any) string {
	var b strings.Builder
	for _, elem := range path {
		switch e := elem.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", e)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, e)
		}
	}
	return b.String()
}

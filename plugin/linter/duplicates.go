package linter

import (
	"fmt"
	"strings"

	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// duplicateObjectRule is the metadata of the run-level check that no
// object is defined twice. It is not a Rego rule: it needs the whole run,
// not one object and an inventory keyed by name that keeps the last copy.
var duplicateObjectRule = policies.Rule{
	ID:       "duplicate-object",
	Title:    "An object is defined once per run",
	Severity: policies.SeverityDeny,
	Area:     "meta",
	Description: "The same object (API group, kind, namespace, name) defined twice in the manifests of one run: " +
		"kubectl applies both, the last one silently wins, and cross-object rules judge only one of them.",
	Remediation: "Keep one definition: delete or rename the other, or lint the overlays separately.",
	DocsURL:     "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
	Scope:       []string{policies.ModeFiles},
}

// RunRules returns the rules lint checks on the run as a whole, besides
// the catalog (duplicate-object), as a new slice each call: `rules` lists
// them with the catalog.
func RunRules() []policies.Rule { return []policies.Rule{duplicateObjectRule} }

// objectKey identifies an object as the API server does: group, kind,
// namespace, name (the version does not matter: one object, many versions).
type objectKey struct{ group, kind, namespace, name string }

// duplicateFindings reports every definition of an object after its
// first, at the later definition's name, naming the first one's location.
func duplicateFindings(engine *policies.Engine, docs []*source.Document) []policies.Finding {
	first := map[objectKey]*source.Document{}
	var out []policies.Finding
	for _, d := range docs {
		ref := engine.ObjectRef(d.Object)
		meta, _ := d.Object["metadata"].(map[string]any)
		if name, _ := meta["name"].(string); name == "" {
			continue // generateName: every create makes a new object
		}
		group, _, _ := strings.Cut(ref.APIVersion, "/")
		if !strings.Contains(ref.APIVersion, "/") {
			group = ""
		}
		key := objectKey{group, ref.Kind, ref.Namespace, ref.Name}
		prev, seen := first[key]
		if !seen {
			first[key] = d
			continue
		}
		path := []any{"metadata", "name"}
		loc, prevLoc := fieldLocation(d, path), fieldLocation(prev, path)
		out = append(out, policies.Finding{
			RuleID: duplicateObjectRule.ID, Severity: duplicateObjectRule.Severity, Object: ref,
			Message: fmt.Sprintf("%s %q is defined twice: first at %s, again here (kubectl applies both; the last one wins)",
				ref.Kind, ref.Name, prevLoc),
			Field: "metadata.name", Path: path,
			Location:    loc,
			Remediation: duplicateObjectRule.Remediation, DocsURL: duplicateObjectRule.DocsURL,
		})
	}
	return out
}

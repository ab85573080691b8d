package output

import (
	"sort"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// sortedFindings returns a sorted copy of the report's findings; the report
// itself is never reordered.
func sortedFindings(r *Report) []policies.Finding {
	fs := append([]policies.Finding(nil), r.Findings...)
	SortFindings(fs)
	return fs
}

// sortedErrors returns a copy of the report's input errors ordered by file,
// line and message.
func sortedErrors(r *Report) []InputError {
	es := append([]InputError(nil), r.Errors...)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].File != es[j].File {
			return es[i].File < es[j].File
		}
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Message < es[j].Message
	})
	return es
}

// sortedRules returns a copy of the report's rule catalog ordered by id.
func sortedRules(r *Report) []policies.Rule {
	rs := append([]policies.Rule(nil), r.Rules...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	return rs
}

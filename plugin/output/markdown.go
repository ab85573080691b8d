package output

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// Markdown prints the report as GitHub-flavoured Markdown for a CI job
// summary ($GITHUB_STEP_SUMMARY, a GitLab or Gitea comment): the summary
// line, a table of counts per rule, then every finding and input error.
type Markdown struct{}

// markdownEscaper escapes what GitHub would render as HTML and the pipe
// that would end a table cell.
var markdownEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "|", `\|`)

// markdownCell escapes text for a table cell; control characters, which
// would end the row, are escaped first.
func markdownCell(s string) string {
	return markdownEscaper.Replace(Printable(s))
}

// ruleCount is one row of the per-rule table.
type ruleCount struct {
	id                   string
	deny, warn, exempted int
}

// Print writes the Markdown report.
func (Markdown) Print(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### kubectl feastflow lint\n\n%s\n", markdownCell(summaryLine(r.Summary())))
	findings := sortedFindings(r)
	if counts := countByRule(findings); len(counts) > 0 {
		docs := map[string]string{}
		for _, rule := range r.Rules {
			docs[rule.ID] = rule.DocsURL
		}
		fmt.Fprint(bw, "\n| Rule | Denied | Warnings | Exempted |\n|---|--:|--:|--:|\n")
		for _, c := range counts {
			name := "`" + markdownCell(c.id) + "`"
			if url := docs[c.id]; url != "" {
				name = "[" + name + "](" + url + ")"
			}
			fmt.Fprintf(bw, "| %s | %d | %d | %d |\n", name, c.deny, c.warn, c.exempted)
		}
		fmt.Fprint(bw, "\n<details><summary>Findings</summary>\n\n| Location | Severity | Rule | Finding |\n|---|---|---|---|\n")
		for _, f := range findings {
			severity := string(f.Severity)
			if f.Exempted() {
				severity = "exempted"
			}
			where := "-"
			if loc := locationOf(f); loc.File != "" {
				where = "`" + markdownCell(filePosition(loc.File, loc.Line, loc.Column)) + "`"
			}
			fmt.Fprintf(bw, "| %s | %s | `%s` | %s |\n", where, severity, markdownCell(f.RuleID), markdownCell(findingText(f)))
		}
		fmt.Fprint(bw, "\n</details>\n")
	}
	if errs := sortedErrors(r); len(errs) > 0 {
		fmt.Fprint(bw, "\n**Input errors** (these inputs were not checked):\n\n")
		for _, e := range errs {
			fmt.Fprintf(bw, "- `%s`\n", markdownCell(e.Error()))
		}
	}
	return bw.Flush()
}

// filePosition renders FILE:LINE:COL, leaving out what is unknown.
func filePosition(file string, line, column int) string {
	if line <= 0 {
		return file
	}
	return file + ":" + position(line, column)
}

// countByRule counts findings per rule id, most denied first, then by id.
func countByRule(findings []policies.Finding) []ruleCount {
	index := map[string]*ruleCount{}
	var counts []*ruleCount
	for _, f := range findings {
		c := index[f.RuleID]
		if c == nil {
			c = &ruleCount{id: f.RuleID}
			index[f.RuleID] = c
			counts = append(counts, c)
		}
		switch {
		case f.Exempted():
			c.exempted++
		case f.Severity == policies.SeverityDeny:
			c.deny++
		default:
			c.warn++
		}
	}
	sort.SliceStable(counts, func(i, j int) bool {
		if counts[i].deny != counts[j].deny {
			return counts[i].deny > counts[j].deny
		}
		return counts[i].id < counts[j].id
	})
	out := make([]ruleCount, len(counts))
	for i, c := range counts {
		out[i] = *c
	}
	return out
}

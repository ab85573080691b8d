package output

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// Text prints findings grouped by file, eslint style, with a summary line.
type Text struct {
	// Color enables ANSI colours; the caller decides (TTY, NO_COLOR).
	Color bool
}

// ANSI styles used when Text.Color is set.
const (
	ansiReset     = "\x1b[0m"
	ansiBold      = "\x1b[1m"
	ansiDim       = "\x1b[2m"
	ansiUnderline = "\x1b[4m"
	ansiRed       = "\x1b[31m"
	ansiGreen     = "\x1b[32m"
	ansiYellow    = "\x1b[33m"
)

// rulesHint is printed under the summary when something needs fixing.
const rulesHint = "Run 'kubectl feastflow rules RULE-ID' for how to fix a rule's findings."

// textRow is one finding or input error under its file header. The last
// cell is printed unpadded.
type textRow struct {
	line, column int
	cells        []string
	styles       []string
}

// Print writes the report as text.
func (p *Text) Print(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	groups := map[string][]textRow{}
	for _, e := range sortedErrors(r) {
		groups[e.File] = append(groups[e.File], textRow{
			line:   e.Line,
			cells:  []string{position(e.Line, 0), "error", Printable(e.Message)},
			styles: []string{ansiDim, ansiRed, ""},
		})
	}
	for _, f := range sortedFindings(r) {
		file := locationOf(f).File
		groups[file] = append(groups[file], findingRow(f))
	}
	for _, s := range r.Skipped {
		groups[s.File] = append(groups[s.File], textRow{
			cells:  []string{position(0, 0), "note", Printable("skipped: " + s.Message)},
			styles: []string{ansiDim, ansiDim, ""},
		})
	}
	files := make([]string, 0, len(groups))
	for file := range groups {
		files = append(files, file)
		// Input errors were added first, so they lead on equal positions.
		rows := groups[file]
		sort.SliceStable(rows, func(i, j int) bool {
			if rows[i].line != rows[j].line {
				return rows[i].line < rows[j].line
			}
			return rows[i].column < rows[j].column
		})
	}
	sort.Strings(files)
	widths := columnWidths(groups)
	for _, file := range files {
		header := Printable(file)
		if header == "" {
			header = noFile
		}
		fmt.Fprintln(bw, p.style(ansiUnderline, header))
		for _, row := range groups[file] {
			p.writeRow(bw, row, widths)
		}
		fmt.Fprintln(bw)
	}
	s := r.Summary()
	line := summaryLine(s)
	if len(r.Skipped) > 0 {
		line += fmt.Sprintf(" (%s skipped: not Kubernetes manifests)", Plural(len(r.Skipped), "input"))
	}
	switch {
	case s.Deny > 0 || s.Errors > 0:
		line = p.style(ansiBold+ansiRed, line)
	case s.Warn > 0:
		line = p.style(ansiBold+ansiYellow, line)
	default:
		line = p.style(ansiBold+ansiGreen, line)
	}
	fmt.Fprintln(bw, line)
	if s.Deny+s.Warn > 0 {
		fmt.Fprintln(bw, p.style(ansiDim, rulesHint))
	}
	return bw.Flush()
}

// findingRow lays out one finding: position, severity, rule id, text.
func findingRow(f policies.Finding) textRow {
	loc := locationOf(f)
	row := textRow{line: loc.Line, column: loc.Column}
	severity, style := string(f.Severity), ansiRed
	switch {
	case f.Exempted():
		severity, style = "exempt", ansiDim
	case f.Severity == policies.SeverityWarn:
		style = ansiYellow
	}
	row.cells = []string{position(loc.Line, loc.Column), severity, f.RuleID, Printable(findingText(f))}
	row.styles = []string{ansiDim, style, ansiDim, ""}
	return row
}

// position renders LINE:COL, LINE when the column is unknown, "-" when
// the line is.
func position(line, column int) string {
	switch {
	case line <= 0:
		return "-"
	case column <= 0:
		return strconv.Itoa(line)
	}
	return strconv.Itoa(line) + ":" + strconv.Itoa(column)
}

// columnWidths returns the widest cell of each padded column across all
// rows, so columns line up through the whole output.
func columnWidths(groups map[string][]textRow) []int {
	var widths []int
	for _, rows := range groups {
		for _, row := range rows {
			for i, cell := range row.cells[:len(row.cells)-1] {
				if i >= len(widths) {
					widths = append(widths, 0)
				}
				widths[i] = max(widths[i], utf8.RuneCountInString(cell))
			}
		}
	}
	return widths
}

func (p *Text) writeRow(w io.Writer, row textRow, widths []int) {
	var b strings.Builder
	b.WriteString("  ")
	last := len(row.cells) - 1
	for i, cell := range row.cells {
		b.WriteString(p.style(row.styles[i], cell))
		if i < last {
			b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)+2))
		}
	}
	fmt.Fprintln(w, b.String())
}

// style wraps s in an ANSI style when colour is on.
func (p *Text) style(code, s string) string {
	if !p.Color || code == "" || s == "" {
		return s
	}
	return code + s + ansiReset
}

// summaryLine renders the closing line, e.g. "✖ 3 problems (2 denied,
// 1 warning), 1 exempted, 1 input error in 5 files, 12 objects" or
// "✔ 12 objects in 5 files passed".
func summaryLine(s Summary) string {
	where := Plural(s.Files, "file") + ", " + Plural(s.Objects, "object")
	if s.Deny+s.Warn == 0 && s.Errors == 0 {
		line := "✔ " + Plural(s.Objects, "object") + " in " + Plural(s.Files, "file") + " passed"
		if s.Exempted > 0 {
			line += fmt.Sprintf(", %d exempted", s.Exempted)
		}
		return line
	}
	var parts []string
	if n := s.Deny + s.Warn; n > 0 {
		parts = append(parts, fmt.Sprintf("%s (%d denied, %s)", Plural(n, "problem"), s.Deny, Plural(s.Warn, "warning")))
	}
	if s.Exempted > 0 {
		parts = append(parts, fmt.Sprintf("%d exempted", s.Exempted))
	}
	if s.Errors > 0 {
		parts = append(parts, Plural(s.Errors, "input error"))
	}
	return "✖ " + strings.Join(parts, ", ") + " in " + where
}

// Printable escapes control characters (\n, \x1b, ...) so text from a
// manifest or a cluster can neither break the layout nor drive the terminal.
func Printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Plural renders "1 file" or "2 files".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

package output

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// GitHub prints GitHub Actions workflow commands, which the runner turns
// into annotations on the files: ::error for denied findings and input
// errors, ::warning for warnings and ::notice for exempted findings.
type GitHub struct{}

// Workflow-command escaping: messages escape %, CR and LF; property values
// escape , and : as well.
var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// Print writes one workflow command per finding, then per input error.
func (GitHub) Print(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range sortedFindings(r) {
		command := "error"
		switch {
		case f.Exempted():
			command = "notice"
		case f.Severity == policies.SeverityWarn:
			command = "warning"
		}
		loc := locationOf(f)
		writeCommand(bw, command, loc.File, loc.Line, loc.Column, f.RuleID, findingText(f))
	}
	for _, e := range sortedErrors(r) {
		writeCommand(bw, "error", e.File, e.Line, 0, "input error", e.Message)
	}
	for _, s := range r.Skipped {
		writeCommand(bw, "notice", s.File, 0, 0, "skipped", s.Message)
	}
	return bw.Flush()
}

// writeCommand writes ::command file=F,line=L,col=C,title=T::message,
// leaving out the properties that are unknown. Only a file of the
// repository is a file= property: a manifest read from standard input or
// a URL is named at the start of the message instead.
func writeCommand(w io.Writer, command, file string, line, column int, title, message string) {
	var props []string
	if file != "" && (!isFile(file) || isURL(file)) {
		where := file
		if line > 0 {
			where += ":" + position(line, column)
		}
		message = where + ": " + message
		file = ""
	}
	if file != "" {
		props = append(props, "file="+githubProperty.Replace(filepath.ToSlash(file)))
		if line > 0 {
			props = append(props, "line="+strconv.Itoa(line))
			if column > 0 {
				props = append(props, "col="+strconv.Itoa(column))
			}
		}
	}
	props = append(props, "title="+githubProperty.Replace(title))
	fmt.Fprintf(w, "::%s %s::%s\n", command, strings.Join(props, ","), githubData.Replace(message))
}

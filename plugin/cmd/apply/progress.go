package apply

import (
	"fmt"
	"io"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// waitProgress shows --wait's progress. On a terminal it keeps one line,
// rewritten in place ("waiting: 20/23 Current; deployment.apps/api:
// InProgress: ..."); otherwise it prints a plain line per status change,
// which logs and CI read well.
type waitProgress struct {
	w     io.Writer
	tty   bool
	last  map[string]string
	shown bool
}

func newWaitProgress(w io.Writer) *waitProgress {
	return &waitProgress{w: w, tty: cmdutil.IsTerminal(w), last: map[string]string{}}
}

// status records an object's status line; off a terminal it prints it
// when it changed.
func (p *waitProgress) status(ref, line string) {
	if p.last[ref] == line {
		return
	}
	p.last[ref] = line
	if !p.tty {
		fmt.Fprintln(p.w, line)
	}
}

// tick redraws the terminal line after a round of reads.
func (p *waitProgress) tick(current, total int, firstPending string) {
	if !p.tty {
		return
	}
	line := fmt.Sprintf("waiting: %d/%d Current", current, total)
	if firstPending != "" {
		line += "; " + p.last[firstPending]
	}
	fmt.Fprint(p.w, "\r\033[K"+cmdutil.Shorten(line, 160))
	p.shown = true
}

// done ends the terminal line so what follows starts on its own.
func (p *waitProgress) done() {
	if p.tty && p.shown {
		fmt.Fprintln(p.w)
	}
}

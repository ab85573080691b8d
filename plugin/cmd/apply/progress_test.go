package apply

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWaitProgressOffATerminalPrintsEachChangeOnce(t *testing.T) {
	var out bytes.Buffer
	p := newWaitProgress(&out)
	p.status("deployment.apps/api", "deployment.apps/api: InProgress")
	p.tick(0, 1, "deployment.apps/api")
	p.status("deployment.apps/api", "deployment.apps/api: InProgress")
	p.status("deployment.apps/api", "deployment.apps/api: Current")
	p.tick(1, 1, "")
	p.done()
	assert.Equal(t, "deployment.apps/api: InProgress\ndeployment.apps/api: Current\n", out.String())
}

func TestWaitProgressOnATerminalRewritesOneLine(t *testing.T) {
	var out bytes.Buffer
	p := &waitProgress{w: &out, tty: true, last: map[string]string{}}
	p.status("deployment.apps/api", "deployment.apps/api: InProgress")
	p.tick(2, 3, "deployment.apps/api")
	p.status("deployment.apps/api", "deployment.apps/api: Current")
	p.tick(3, 3, "")
	p.done()
	assert.Equal(t, "\r\033[Kwaiting: 2/3 Current; deployment.apps/api: InProgress\r\033[Kwaiting: 3/3 Current\n", out.String())
}

package loadtest

import (
	"runtime"
	"time"
)

// spinWindow is how long before a due time the pacer stops sleeping and
// spins: OS sleeps overshoot by up to a millisecond or more on virtual
// machines, and that lateness would count as server latency.
const spinWindow = 150 * time.Microsecond

// pacer waits for due times precisely, on an OS thread of its own, so
// the runtime's coarser timers and the response goroutines do not delay
// dispatch.
type pacer struct{}

func newPacer() *pacer {
	runtime.LockOSThread()
	return &pacer{}
}

// waitUntil returns at due or just after it.
func (p *pacer) waitUntil(due time.Time) {
	if d := time.Until(due) - spinWindow; d > 0 {
		sleep(d)
	}
	for time.Now().Before(due) {
	}
}

func (p *pacer) stop() { runtime.UnlockOSThread() }

package loadtest

import (
	"syscall"
	"time"
)

// sleep blocks the calling OS thread in nanosleep(2), which wakes closer
// to its deadline than the Go runtime's timers.
func sleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}

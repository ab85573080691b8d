//go:build !linux

package loadtest

import "time"

func sleep(d time.Duration) { time.Sleep(d) }

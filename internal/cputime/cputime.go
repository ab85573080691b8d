//go:build unix

// Package cputime reads the CPU time of the running process, for
// benchmarks and tests that report or compare CPU rather than wall time
// (steadier on a shared machine: time other processes take is not
// counted).
package cputime

import (
	"syscall"
	"testing"
	"time"
)

// Process is the user+system CPU time of the process so far, all threads
// and the garbage collector included (getrusage(2), RUSAGE_SELF). It fails
// tb if the time cannot be read.
func Process(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

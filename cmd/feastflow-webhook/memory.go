package main

import (
	"fmt"
	"runtime/debug"
	"strconv"
)

// Garbage-collector settings for the server. Evaluation allocates about
// 200 KB per review, so with Go's default GOGC=100 and a small live heap
// the collector runs many times a second under load. Unless the operator
// sets GOGC or GOMEMLIMIT themselves, the server collects less often
// (GOGC=400) and bounds its heap instead by a soft memory limit of 90% of
// the container's memory limit, which the shipped Deployment passes in
// memoryLimitEnv through the downward API (resourceFieldRef limits.memory,
// in bytes). Without a known limit GOGC stays at Go's default.
const (
	memoryLimitEnv   = "FEASTFLOW_MEMORY_LIMIT"
	gcPercent        = 400
	memoryLimitShare = 0.9
)

// gcSettings describes what tuneGC set, for the start-up log.
type gcSettings struct {
	GCPercent   int
	MemoryLimit int64
	Source      string
}

// tuneGC applies the settings above and says what it did; getenv reads
// the environment (os.Getenv outside tests).
func tuneGC(getenv func(string) string) (gcSettings, error) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return gcSettings{Source: "GOGC/GOMEMLIMIT from the environment"}, nil
	}
	raw := getenv(memoryLimitEnv)
	if raw == "" {
		return gcSettings{Source: "Go defaults (no " + memoryLimitEnv + ")"}, nil
	}
	limit, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || limit <= 0 {
		return gcSettings{}, fmt.Errorf("%s=%q: want the container's memory limit in bytes", memoryLimitEnv, raw)
	}
	s := gcSettings{GCPercent: gcPercent, MemoryLimit: int64(float64(limit) * memoryLimitShare), Source: memoryLimitEnv}
	debug.SetMemoryLimit(s.MemoryLimit)
	debug.SetGCPercent(s.GCPercent)
	return s, nil
}

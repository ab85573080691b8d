package loadtest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of /proc CPU times on Linux.
const clockTicks = 100

// CPUTimes are CPU seconds read from /proc: the machine's busy and total
// time across all CPUs, or one process's user+system time.
type CPUTimes struct {
	Busy, Total float64
}

// ParseProcStat reads the aggregate "cpu" line of /proc/stat: busy is
// everything but idle and iowait.
func ParseProcStat(stat string) (CPUTimes, error) {
	line, _, _ := strings.Cut(stat, "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return CPUTimes{}, fmt.Errorf("parse /proc/stat: no aggregate cpu line")
	}
	var t CPUTimes
	for i, f := range fields[1:] {
		if i >= 8 { // guest times are already in user and nice
			break
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return CPUTimes{}, fmt.Errorf("parse /proc/stat: %w", err)
		}
		t.Total += v / clockTicks
		if i != 3 && i != 4 { // idle, iowait
			t.Busy += v / clockTicks
		}
	}
	return t, nil
}

// ParsePidStat reads utime+stime from a /proc/<pid>/stat line.
func ParsePidStat(stat string) (float64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("parse process stat: no command name")
	}
	fields := strings.Fields(stat[i+1:])
	// fields[0] is state (field 3); utime and stime are fields 14 and 15.
	if len(fields) < 13 {
		return 0, fmt.Errorf("parse process stat: %d fields", len(fields))
	}
	var total float64
	for _, f := range fields[11:13] {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return 0, fmt.Errorf("parse process stat: %w", err)
		}
		total += v / clockTicks
	}
	return total, nil
}

// MachineCPU reads the machine's CPU times.
func MachineCPU() (CPUTimes, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return CPUTimes{}, fmt.Errorf("read cpu times: %w", err)
	}
	return ParseProcStat(string(data))
}

// ProcessCPU reads the CPU seconds process pid has used.
func ProcessCPU(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read process cpu: %w", err)
	}
	return ParsePidStat(string(data))
}

package loadtest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Memory is a process's resident memory as /proc/<pid>/status reports it.
type Memory struct {
	// PeakRSS is VmHWM, the high-water mark of resident memory, in bytes.
	PeakRSS uint64 `json:"peak_rss_bytes"`
	// RSS is VmRSS, resident memory when read, in bytes.
	RSS uint64 `json:"rss_bytes"`
}

// ReadProcStatus reads the memory of process pid from /proc.
func ReadProcStatus(pid int) (Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, fmt.Errorf("read process memory: %w", err)
	}
	defer f.Close()
	return ParseProcStatus(f)
}

// ParseProcStatus reads VmHWM and VmRSS (in kB, as the kernel writes
// them) from a /proc/<pid>/status document.
func ParseProcStatus(r io.Reader) (Memory, error) {
	var m Memory
	var seenHWM, seenRSS bool
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmHWM" && key != "VmRSS") {
			continue
		}
		bytes, err := parseKB(value)
		if err != nil {
			return Memory{}, fmt.Errorf("parse %s: %w", key, err)
		}
		if key == "VmHWM" {
			m.PeakRSS, seenHWM = bytes, true
		} else {
			m.RSS, seenRSS = bytes, true
		}
	}
	if err := sc.Err(); err != nil {
		return Memory{}, fmt.Errorf("read process status: %w", err)
	}
	if !seenHWM || !seenRSS {
		return Memory{}, fmt.Errorf("parse process status: no VmHWM or VmRSS line (kernel thread or exited process?)")
	}
	return m, nil
}

func parseKB(value string) (uint64, error) {
	fields := strings.Fields(value)
	if len(fields) != 2 || fields[1] != "kB" {
		return 0, fmt.Errorf("want \"<n> kB\", got %q", strings.TrimSpace(value))
	}
	n, err := strconv.ParseUint(fields[0], 10, 64)
	if err != nil {
		return 0, err
	}
	return n * 1024, nil
}

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// server is a process the suite started and stops.
type server struct {
	name string
	cmd  *exec.Cmd
	log  string
	// started is when the process was started, for readiness timing.
	started time.Time
	exited  chan struct{}
	waitErr error
	once    sync.Once
}

// startServer starts argv with GOMAXPROCS=1 (and pinned to cpu with
// taskset when cpu >= 0), its output going to logPath.
func startServer(name string, argv []string, cpu int, logPath string, env ...string) (*server, error) {
	if cpu >= 0 {
		argv = append([]string{"taskset", "-c", strconv.Itoa(cpu)}, argv...)
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(append(os.Environ(), "GOMAXPROCS=1"), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	s := &server{name: name, cmd: cmd, log: logPath, exited: make(chan struct{})}
	s.started = time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		s.waitErr = cmd.Wait()
		logFile.Close()
		close(s.exited)
	}()
	return s, nil
}

// pid is the server's process id: taskset execs the server in place, so
// it is the same process.
func (s *server) pid() int { return s.cmd.Process.Pid }

// waitReady polls url every 2 ms until it answers 200 and returns the
// time from process start to that answer.
func (s *server) waitReady(ctx context.Context, url string, timeout time.Duration) (time.Duration, error) {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // #nosec G402 -- readiness probe of a loopback process we started
	}}
	deadline := s.started.Add(timeout)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(s.started), nil
			}
		}
		select {
		case <-s.exited:
			return 0, fmt.Errorf("%s exited before ready (%v); log: %s", s.name, s.waitErr, s.log)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%s not ready at %s after %s; log: %s", s.name, url, timeout, s.log)
		}
	}
}

// stop sends SIGTERM and waits, killing the process after 15 s. Calls
// after the first do nothing.
func (s *server) stop() {
	s.once.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(15 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
}

// goBuild builds pkg into dir/name with the go command running this suite.
func goBuild(ctx context.Context, dir, name, pkg string) (string, error) {
	out := filepath.Join(dir, name)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", pkg, err, msg)
	}
	return out, nil
}

// freePort returns a loopback TCP port nothing listens on right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// pinSelf restricts every thread of this process to cpu (below 64);
// threads created later inherit it.
func pinSelf(cpu int) error {
	mask := uint64(1) << uint(cpu)
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return fmt.Errorf("pin load generator: %w", err)
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
		if errno != 0 && !errors.Is(errno, syscall.ESRCH) {
			return fmt.Errorf("pin load generator thread %d: %w", tid, errno)
		}
	}
	return nil
}

// haveTaskset reports whether servers can be pinned with taskset.
func haveTaskset() bool {
	_, err := exec.LookPath("taskset")
	return err == nil
}

// logField returns the value of a "key":"value" field in the first line
// of the log at path containing marker, or "".
func logField(path, marker, key string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.Contains(line, marker) {
			continue
		}
		_, rest, ok := strings.Cut(line, `"`+key+`":"`)
		if !ok {
			return ""
		}
		value, _, _ := strings.Cut(rest, `"`)
		return value
	}
	return ""
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

// up starts `devcluster run` in a new session in the background and returns
// once it has written the ready file (or has failed).
func up(o *options, args []string) error {
	if pid, ok := o.running(); ok {
		fmt.Printf("cluster already running (supervisor pid %d)\n", pid)
		printUsage(o)
		return nil
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", o.dir, err)
	}
	_ = os.Remove(o.readyFile())
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own binary: %w", err)
	}
	logFile, err := os.Create(o.logFile())
	if err != nil {
		return fmt.Errorf("create log: %w", err)
	}
	defer logFile.Close()
	cmd := exec.Command(self, append([]string{"run"}, args...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start supervisor: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), o.readyTimeout)
	defer cancel()
	err = wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(context.Context) (bool, error) {
		select {
		case err := <-exited:
			return false, fmt.Errorf("supervisor exited (%v)", err)
		default:
		}
		_, err := os.Stat(o.readyFile())
		return err == nil, nil
	})
	if err != nil {
		log, _ := os.ReadFile(o.logFile())
		return fmt.Errorf("cluster not ready: %w; %s:\n%s", err, o.logFile(), log)
	}
	fmt.Printf("cluster ready in %.1fs (supervisor pid %d, logs in %s)\n",
		time.Since(start).Seconds(), cmd.Process.Pid, o.dir)
	printUsage(o)
	return nil
}

func printUsage(o *options) {
	fmt.Printf(`
  export KUBECONFIG=%s
  kubectl get nodes
  kubectl feastflow apply -k manifests/feastflow/overlays/dev --wait

Stop it with: make cluster-down
`, o.kubeconfig())
	if webhook, err := os.ReadFile(o.readyFile()); err == nil && len(webhook) > 0 {
		fmt.Printf("%s", webhook)
	}
}

// down stops the supervisor and waits for it to exit; a supervisor that
// does not exit in time is killed with everything in its session.
func down(o *options) error {
	pid, ok := o.running()
	if !ok {
		_ = os.Remove(o.pidFile())
		_ = os.Remove(o.readyFile())
		fmt.Println("no cluster running")
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stop supervisor %d: %w", pid, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.stopTimeout)
	defer cancel()
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(context.Context) (bool, error) {
		return !alive(pid), nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "supervisor %d did not stop in %s; killing its session\n", pid, o.stopTimeout)
		killSession(pid)
	}
	_ = os.Remove(o.pidFile())
	_ = os.Remove(o.readyFile())
	fmt.Println("cluster stopped")
	return nil
}

// running returns the supervisor's pid when its pid file names a live
// devcluster process.
func (o *options) running() (int, bool) {
	data, err := os.ReadFile(o.pidFile())
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || !alive(pid) {
		return 0, false
	}
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err == nil && !strings.Contains(string(cmdline), "devcluster") {
		return 0, false // the pid was reused by another program
	}
	return pid, true
}

// alive reports whether pid is a running (not zombie) process.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill(0)
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}

// killSession SIGKILLs every process of the session sid (the supervisor
// leads its session; components run in their own process groups inside it).
func killSession(sid int) {
	entries, _ := os.ReadDir("/proc")
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + entry.Name() + "/stat")
		if err != nil {
			continue
		}
		// After "(comm)": state ppid pgrp session ...
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 3 && fields[3] == strconv.Itoa(sid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

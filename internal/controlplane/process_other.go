//go:build !unix

package controlplane

import (
	"os"
	"syscall"
)

// newProcessGroup is a no-op where process groups do not exist.
func newProcessGroup() *syscall.SysProcAttr { return nil }

// signalGroup kills the process pid (there is no gentler signal or group here).
func signalGroup(pid int, _ bool) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}

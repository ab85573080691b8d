// Package kustomizetest writes kustomizations for tests. It imports no
// command, so both a command's in-package tests and its external tests
// can use it.
package kustomizetest

import (
	"os"
	"path/filepath"
	"testing"
)

// OverlayOf writes a kustomization in a new temporary directory whose one
// resource is the kustomization directory base, keeping base's order
// (sortOptions fifo), with the YAML fields of extra appended (for example
// "replicas:\n  - name: web\n    count: 3\n"), and returns that directory.
func OverlayOf(t testing.TB, base, extra string) string {
	t.Helper()
	dir := t.TempDir()
	abs, err := filepath.Abs(base)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil {
		t.Fatal(err)
	}
	text := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" +
		"sortOptions:\n  order: fifo\nresources:\n  - " + rel + "\n" + extra
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

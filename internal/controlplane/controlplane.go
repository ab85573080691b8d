// Package controlplane starts a real kube-apiserver and etcd (controller-
// runtime's envtest) for integration tests and tools, from the binaries
// tools/controlplane.sh builds and caches.
package controlplane

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// AdminUser is the user Start authenticates as: a member of system:masters
// that is not itself a "system:" user, so admission webhooks that skip
// system users still see its requests.
const AdminUser = "feastflow-admin"

// Env is a running control plane.
type Env struct {
	// Config authenticates as AdminUser.
	Config *rest.Config
	// Kubeconfig is a kubeconfig file for AdminUser, for kubectl and other processes.
	Kubeconfig string
	// BinDir holds kube-apiserver, etcd and kubectl (and, when built with
	// --cluster, kube-controller-manager and kube-scheduler).
	BinDir string

	env *envtest.Environment
}

// Start starts etcd and kube-apiserver and writes a kubeconfig into dir.
func Start(dir string) (*Env, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	return start(dir, bin)
}

// start starts etcd and kube-apiserver from bin and writes a kubeconfig into dir.
func start(dir, bin string) (*Env, error) {
	env := &envtest.Environment{BinaryAssetsDirectory: bin, ErrorIfCRDPathMissing: true}
	if _, err := env.Start(); err != nil {
		return nil, fmt.Errorf("start control plane from %s: %w", bin, err)
	}
	e := &Env{env: env, BinDir: bin}
	if err := e.addAdmin(dir); err != nil {
		_ = env.Stop()
		return nil, err
	}
	return e, nil
}

func (e *Env) addAdmin(dir string) error {
	user, err := e.env.AddUser(envtest.User{Name: AdminUser, Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return fmt.Errorf("add admin user: %w", err)
	}
	e.Config = user.Config()
	kubeconfig, err := user.KubeConfig()
	if err != nil {
		return fmt.Errorf("admin kubeconfig: %w", err)
	}
	e.Kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(e.Kubeconfig, kubeconfig, 0o600); err != nil {
		return fmt.Errorf("write kubeconfig: %w", err)
	}
	return nil
}

// AddUser adds an authenticated user with the given groups and returns its config.
func (e *Env) AddUser(name string, groups ...string) (*rest.Config, error) {
	user, err := e.env.AddUser(envtest.User{Name: name, Groups: groups}, e.Config)
	if err != nil {
		return nil, fmt.Errorf("add user %s: %w", name, err)
	}
	return user.Config(), nil
}

// Kubectl is the path of the kubectl binary built with the control plane.
func (e *Env) Kubectl() string { return filepath.Join(e.BinDir, "kubectl") }

// Stop stops the control plane.
func (e *Env) Stop() error { return e.env.Stop() }

// BinDir returns the directory of the control-plane binaries:
// $KUBEBUILDER_ASSETS when it holds kube-apiserver and etcd, otherwise
// what tools/controlplane.sh prints (building them on first use, which
// takes minutes: `make controlplane` shows its progress).
func BinDir() (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		if hasBinaries(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("KUBEBUILDER_ASSETS=%s lacks kube-apiserver or etcd", dir)
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(filepath.Join(root, "tools", "controlplane.sh"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("tools/controlplane.sh (run `make controlplane`, or set KUBEBUILDER_ASSETS): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func hasBinaries(dir string) bool {
	for _, name := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return true
}

// repoRoot finds the module root from this source file's location.
func repoRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("locate repository root")
	}
	return filepath.Join(filepath.Dir(file), "..", ".."), nil
}

package controlplane

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// ClusterOptions configure StartCluster. The zero value is a usable default.
type ClusterOptions struct {
	// Nodes is the number of fake KWOK nodes; 0 means 3.
	Nodes int
	// NodeAllocatable is each node's capacity and allocatable; nil means
	// 8 cpu, 32Gi memory and 110 pods.
	NodeAllocatable corev1.ResourceList
	// Timeout bounds the wait for the components and nodes to become ready;
	// 0 means two minutes.
	Timeout time.Duration
}

func (o ClusterOptions) withDefaults() ClusterOptions {
	if o.Nodes <= 0 {
		o.Nodes = 3
	}
	if o.NodeAllocatable == nil {
		o.NodeAllocatable = corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("8"),
			corev1.ResourceMemory: resource.MustParse("32Gi"),
			corev1.ResourcePods:   resource.MustParse("110"),
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	return o
}

// Cluster is a running local cluster: the envtest control plane (etcd,
// kube-apiserver) plus kube-controller-manager, kube-scheduler and KWOK
// simulating Nodes, so Deployments roll out and their Pods become Ready
// (without running anything). The ServiceAccount controller runs, the token
// controller does not: Pods are admitted and get bound-token volumes that
// nothing mounts. A default StorageClass (kwok-volume) binds PVCs.
// Containers whose image tag contains BrokenImageMarker never start.
type Cluster struct {
	*Env
	// Dir holds the kubeconfig, the KWOK stage configuration and one log
	// file per component (kube-controller-manager.log, kube-scheduler.log, kwok.log).
	Dir string
	// Nodes are the names of the fake nodes, all Ready.
	Nodes []string

	procs []*process
}

// StartCluster starts a cluster with state and logs in dir and returns once
// its nodes are Ready and the controller manager has created the default
// ServiceAccount. Binaries come from ClusterBinDir.
func StartCluster(dir string, opts ClusterOptions) (*Cluster, error) {
	opts = opts.withDefaults()
	bin, err := ClusterBinDir()
	if err != nil {
		return nil, err
	}
	stages, err := stageConfigs(bin, dir)
	if err != nil {
		return nil, err
	}
	env, err := start(dir, bin)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Env: env, Dir: dir}
	if err := c.startComponents(stages); err != nil {
		return nil, errors.Join(err, c.Stop())
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
	defer cancel()
	if err := c.setUp(ctx, opts); err != nil {
		return nil, errors.Join(err, c.Stop())
	}
	return c, nil
}

// startComponents starts kube-controller-manager, kube-scheduler and kwok.
func (c *Cluster) startComponents(stages []string) error {
	kubeconfig := []string{
		"--kubeconfig=" + c.Kubeconfig,
		"--authentication-kubeconfig=" + c.Kubeconfig,
		"--authorization-kubeconfig=" + c.Kubeconfig,
		"--leader-elect=false",
		"--secure-port=0",
	}
	kwokArgs := []string{
		"--kubeconfig=" + c.Kubeconfig,
		"--manage-all-nodes=true",
		"--server-address=127.0.0.1:0",
	}
	for _, stage := range stages {
		kwokArgs = append(kwokArgs, "--config="+stage)
	}
	components := []struct {
		bin  string
		args []string
	}{
		{filepath.Join(c.BinDir, "kube-controller-manager"), append(kubeconfig,
			"--controllers=*,-serviceaccount-token",
			"--use-service-account-credentials=false")},
		{filepath.Join(c.BinDir, "kube-scheduler"), kubeconfig},
		{kwokBinary(c.BinDir), kwokArgs},
	}
	for _, comp := range components {
		p, err := startProcess(c.Dir, comp.bin, comp.args...)
		if err != nil {
			return err
		}
		c.procs = append(c.procs, p)
	}
	return nil
}

// exited reports the first component that has exited, if any.
func (c *Cluster) exited() error {
	for _, p := range c.procs {
		if err := p.exited(); err != nil {
			return err
		}
	}
	return nil
}

// Stop stops KWOK, the scheduler, the controller manager and the control
// plane, leaving no process running. Calling it again does nothing.
func (c *Cluster) Stop() error {
	procs := c.procs
	c.procs = nil
	err := stopAll(procs)
	if c.Env != nil {
		err = errors.Join(err, c.Env.Stop())
		c.Env = nil
	}
	return err
}

// ClusterBinDir returns the directory holding the binaries StartCluster
// runs (the envtest ones plus kube-controller-manager, kube-scheduler and
// kwok-KWOKVersion/): $KUBEBUILDER_ASSETS when it holds them all, otherwise
// what `tools/controlplane.sh --cluster` prints, which builds what is
// missing (minutes, once; it says what it builds on stderr).
func ClusterBinDir() (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" && hasClusterBinaries(dir) {
		return dir, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(filepath.Join(root, "tools", "controlplane.sh"), "--cluster")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("tools/controlplane.sh --cluster (run `make controlplane-cluster`): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func hasClusterBinaries(dir string) bool {
	for _, path := range []string{
		filepath.Join(dir, "kube-controller-manager"),
		filepath.Join(dir, "kube-scheduler"),
		kwokBinary(dir),
	} {
		if _, err := os.Stat(path); err != nil {
			return false
		}
	}
	return hasBinaries(dir)
}

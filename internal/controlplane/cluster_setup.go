package controlplane

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// StorageClassName is the default StorageClass StartCluster creates; KWOK's
// volume stages provision and bind PersistentVolumes for its claims.
const StorageClassName = "kwok-volume"

// setUp creates the StorageClass and the nodes, then waits for the nodes to
// be Ready (KWOK runs) and for the default ServiceAccount (the controller
// manager runs, so Pods are admitted).
func (c *Cluster) setUp(ctx context.Context, opts ClusterOptions) error {
	client, err := kubernetes.NewForConfig(c.Config)
	if err != nil {
		return fmt.Errorf("cluster client: %w", err)
	}
	if err := createStorageClass(ctx, client); err != nil {
		return err
	}
	for i := range opts.Nodes {
		node := fakeNode(fmt.Sprintf("kwok-node-%d", i), opts.NodeAllocatable)
		if _, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create node %s: %w", node.Name, err)
		}
		c.Nodes = append(c.Nodes, node.Name)
	}
	err = wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		if err := c.exited(); err != nil {
			return false, err
		}
		return c.ready(ctx, client)
	})
	if err != nil {
		return fmt.Errorf("wait for cluster (logs in %s): %w", c.Dir, err)
	}
	return nil
}

// ready reports whether every node is Ready and the default ServiceAccount exists.
func (c *Cluster) ready(ctx context.Context, client kubernetes.Interface) (bool, error) {
	for _, name := range c.Nodes {
		node, err := client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, fmt.Errorf("get node %s: %w", name, err)
		}
		if !nodeReady(node) {
			return false, nil
		}
	}
	_, err := client.CoreV1().ServiceAccounts(metav1.NamespaceDefault).Get(ctx, "default", metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("get default service account: %w", err)
	}
	return true, nil
}

func nodeReady(node *corev1.Node) bool {
	for _, cond := range node.Status.Conditions {
		if cond.Type == corev1.NodeReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// fakeNode is a Node KWOK manages (it manages all nodes here; the annotation
// and label follow KWOK's conventions so a KWOK started with
// --manage-nodes-with-annotation-selector would manage it too). It carries
// no taint, so Pods schedule on it without tolerations.
func fakeNode(name string, allocatable corev1.ResourceList) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Annotations: map[string]string{
				"kwok.x-k8s.io/node":           "fake",
				"node.alpha.kubernetes.io/ttl": "0",
			},
			Labels: map[string]string{
				"type":                          "kwok",
				"kubernetes.io/arch":            "amd64",
				"kubernetes.io/hostname":        name,
				"kubernetes.io/os":              "linux",
				"kubernetes.io/role":            "agent",
				"node-role.kubernetes.io/agent": "",
			},
		},
		Status: corev1.NodeStatus{
			Capacity:    allocatable.DeepCopy(),
			Allocatable: allocatable.DeepCopy(),
		},
	}
}

// createStorageClass creates the default StorageClass KWOK's volume stages serve.
func createStorageClass(ctx context.Context, client kubernetes.Interface) error {
	reclaim := corev1.PersistentVolumeReclaimDelete
	binding := storagev1.VolumeBindingImmediate
	class := &storagev1.StorageClass{
		ObjectMeta: metav1.ObjectMeta{
			Name:        StorageClassName,
			Annotations: map[string]string{"storageclass.kubernetes.io/is-default-class": "true"},
		},
		Provisioner:       "kwok.x-k8s.io/volume",
		ReclaimPolicy:     &reclaim,
		VolumeBindingMode: &binding,
	}
	if _, err := client.StorageV1().StorageClasses().Create(ctx, class, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create storage class: %w", err)
	}
	return nil
}

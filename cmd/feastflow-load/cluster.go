package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
)

// benchNamespace is where the benchmark objects live.
const benchNamespace = "feastflow"

// cluster is a control plane the suite started, with clients of its admin.
type cluster struct {
	env       *controlplane.Env
	client    client.Client
	clientset kubernetes.Interface
}

// startCluster starts kube-apiserver and etcd with clients that are not
// rate limited (client-go's default 5 QPS would be what we measure).
func startCluster(dir string) (*cluster, error) {
	env, err := controlplane.Start(dir)
	if err != nil {
		return nil, err
	}
	cfg := *env.Config
	cfg.QPS, cfg.Burst = -1, 0
	c, err := client.New(&cfg, client.Options{})
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("new client: %w", err)
	}
	cs, err := kubernetes.NewForConfig(&cfg)
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("new clientset: %w", err)
	}
	return &cluster{env: env, client: c, clientset: cs}, nil
}

func (c *cluster) stop() error { return c.env.Stop() }

// readDocuments decodes every YAML or JSON document of path.
func readDocuments(path string) ([]map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read objects: %w", err)
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []map[string]any
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("decode %s: %w", path, err)
		}
		if len(doc) > 0 {
			out = append(out, doc)
		}
	}
}

// createInventory creates the benchmark namespace and objs in it and
// returns them, the namespace first, as the API server stored them (what
// the webhook's informers deliver).
func (c *cluster) createInventory(ctx context.Context, objs []map[string]any) ([]map[string]any, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: benchNamespace}}
	if err := c.client.Create(ctx, ns); err != nil && !apierrors.IsAlreadyExists(err) {
		return nil, fmt.Errorf("create namespace %s: %w", benchNamespace, err)
	}
	live := make([]map[string]any, 0, len(objs)+1)
	storedNS := &unstructured.Unstructured{}
	storedNS.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Namespace"))
	if err := c.client.Get(ctx, client.ObjectKey{Name: benchNamespace}, storedNS); err != nil {
		return nil, fmt.Errorf("read back namespace %s: %w", benchNamespace, err)
	}
	live = append(live, storedNS.Object)
	for _, obj := range objs {
		u := &unstructured.Unstructured{Object: obj}
		u = u.DeepCopy()
		if err := c.client.Create(ctx, u); err != nil {
			return nil, fmt.Errorf("create %s %s: %w", u.GetKind(), u.GetName(), err)
		}
		got := &unstructured.Unstructured{}
		got.SetGroupVersionKind(u.GroupVersionKind())
		if err := c.client.Get(ctx, client.ObjectKeyFromObject(u), got); err != nil {
			return nil, fmt.Errorf("read back %s %s: %w", u.GetKind(), u.GetName(), err)
		}
		live = append(live, got.Object)
	}
	return live, nil
}

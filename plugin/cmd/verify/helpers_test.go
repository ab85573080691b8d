package verify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	dynamicfake "k8s.io/client-go/dynamic/fake"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// verifyTestdata is where the verify fixtures live.
var verifyTestdata = filepath.Join("..", "..", "..", "testdata", "verify")

// loadManifests decodes every document of testdata/verify/<file>, putting
// namespaced objects into namespace.
func loadManifests(t *testing.T, file, namespace string) []*unstructured.Unstructured {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(verifyTestdata, file))
	require.NoError(t, err)
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(raw), 4096)
	var out []*unstructured.Unstructured
	for {
		obj := &unstructured.Unstructured{}
		err := dec.Decode(&obj.Object)
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		if len(obj.Object) == 0 {
			continue
		}
		if obj.GetKind() != "Namespace" {
			obj.SetNamespace(namespace)
		}
		out = append(out, obj)
	}
}

// toUnstructured converts a typed object for the dynamic fake.
func toUnstructured(t *testing.T, obj runtime.Object, apiVersion, kind string) *unstructured.Unstructured {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	require.NoError(t, err)
	u := &unstructured.Unstructured{Object: m}
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	return u
}

// namespaceObject returns a Namespace with its name label, as the API
// server sets it.
func namespaceObject(name string, extra map[string]string) *unstructured.Unstructured {
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(name)
	lbls := map[string]string{"kubernetes.io/metadata.name": name}
	for k, v := range extra {
		lbls[k] = v
	}
	ns.SetLabels(lbls)
	return ns
}

// fakeDynamic is a dynamic fake serving every kind verify lists.
func fakeDynamic(objs ...runtime.Object) *dynamicfake.FakeDynamicClient {
	listKinds := map[schema.GroupVersionResource]string{namespacesGVR: "NamespaceList"}
	for _, k := range testLiveKinds() {
		listKinds[k.GVR] = k.Kind + "List"
	}
	listKinds[schema.GroupVersionResource{Version: "v1", Resource: "secrets"}] = "SecretList"
	return dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), listKinds, objs...)
}

// snapshotOf lists objs from a dynamic fake in namespace ns (all
// namespaces when ns is empty).
func snapshotOf(t *testing.T, ns string, objs ...*unstructured.Unstructured) *clusterSnapshot {
	t.Helper()
	runtimeObjs := make([]runtime.Object, len(objs))
	for i, o := range objs {
		runtimeObjs[i] = o
	}
	scope := snapshotScope{Namespace: ns, AllNamespaces: ns == "", Skip: []string{"kube-system"}}
	snap, err := takeSnapshot(context.Background(), fakeDynamic(runtimeObjs...), scope, testLiveKinds())
	require.NoError(t, err)
	return snap
}

// checkNamed returns the check of section with name, failing the test
// when there is none.
func checkNamed(t *testing.T, checks []Check, section, name string) Check {
	t.Helper()
	for _, c := range checks {
		if c.Section == section && c.Name == name {
			return c
		}
	}
	require.Failf(t, "no such check", "%s %q in %+v", section, name, checks)
	return Check{}
}

// ownedBy marks obj as controlled by an owner of kind.
func ownedBy(obj *unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	isController := true
	obj.SetOwnerReferences([]metav1.OwnerReference{{APIVersion: "apps/v1", Kind: kind, Name: name, UID: types.UID("uid-" + name), Controller: &isController}})
	return obj
}

// testLiveKinds are the kinds verify lists with the built-in catalog.
var testLiveKinds = sync.OnceValue(func() []liveKind {
	e, err := policies.New(context.Background(), policies.Options{Mode: policies.ModeCluster})
	if err != nil {
		panic(err)
	}
	return liveKinds(e)
})

package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/policies"
)

var (
	engineOnce sync.Once
	engine     *policies.Engine
	engineErr  error
)

// admissionEngine is one engine in admission mode for the whole package;
// tests that need an inventory of their own build their own engine.
func admissionEngine(t testing.TB) *policies.Engine {
	t.Helper()
	engineOnce.Do(func() {
		engine, engineErr = policies.New(context.Background(), policies.Options{Mode: policies.ModeAdmission})
	})
	require.NoError(t, engineErr)
	return engine
}

func newAdmissionEngine(t testing.TB) *policies.Engine {
	t.Helper()
	e, err := policies.New(context.Background(), policies.Options{Mode: policies.ModeAdmission})
	require.NoError(t, err)
	return e
}

// readObjects decodes every document of a YAML file.
func readObjects(t testing.TB, path string) []map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []map[string]any
	for _, doc := range bytes.Split(raw, []byte("\n---")) {
		var obj map[string]any
		require.NoError(t, yaml.Unmarshal(doc, &obj), path)
		if obj != nil {
			out = append(out, obj)
		}
	}
	return out
}

// benchObjects is the compliant Deployment with its Service and policies.
func benchObjects(t testing.TB) []map[string]any {
	return readObjects(t, filepath.Join("..", "testdata", "bench", "deployment.yaml"))
}

// request builds the admission request the API server would send for obj.
func request(t testing.TB, op admissionv1.Operation, user string, obj, old map[string]any) admission.Request {
	t.Helper()
	raw, err := json.Marshal(obj)
	require.NoError(t, err)
	meta, _ := obj["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	name, _ := meta["name"].(string)
	kind, _ := obj["kind"].(string)
	req := admissionv1.AdmissionRequest{
		UID: types.UID("test-" + name), Operation: op, Namespace: ns, Name: name,
		Kind:     metav1.GroupVersionKind{Kind: kind},
		Object:   runtime.RawExtension{Raw: raw},
		UserInfo: authenticationv1.UserInfo{Username: user},
	}
	if old != nil {
		oldRaw, err := json.Marshal(old)
		require.NoError(t, err)
		req.OldObject = runtime.RawExtension{Raw: oldRaw}
	}
	return admission.Request{AdmissionRequest: req}
}

// deepCopy copies a decoded object so a test can change it.
func deepCopy(t testing.TB, obj map[string]any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(obj)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

// withoutProbes removes the probes of the first container.
func withoutProbes(t testing.TB, deployment map[string]any) map[string]any {
	d := deepCopy(t, deployment)
	c := container(d)
	delete(c, "livenessProbe")
	delete(c, "readinessProbe")
	return d
}

func container(workload map[string]any) map[string]any {
	spec := workload["spec"].(map[string]any)
	pod := spec["template"].(map[string]any)["spec"].(map[string]any)
	return pod["containers"].([]any)[0].(map[string]any)
}

func setAnnotations(obj map[string]any, ann map[string]any) {
	obj["metadata"].(map[string]any)["annotations"] = ann
}

// fakeAuthorizer answers MayExempt from a fixed set of users and counts calls.
type fakeAuthorizer struct {
	allowed map[string]bool
	err     error
	mu      sync.Mutex
	calls   int
}

func (f *fakeAuthorizer) MayExempt(_ context.Context, user authenticationv1.UserInfo, _ string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.allowed[user.Username], f.err
}

var errUnreachable = errors.New("authorization API unreachable")

func readAll(t testing.TB, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(b)
}

func newFuzzEngine() (*policies.Engine, error) {
	return policies.New(context.Background(), policies.Options{Mode: policies.ModeAdmission})
}

package apply

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestReadSecretValues(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    secretValues
		wantErr string
	}{
		{"plain and scoped keys", "A=1\nfeastflow-db.B=two\n", secretValues{"A": "1", "feastflow-db.B": "two"}, ""},
		{"comments, blanks, export, quotes", "# c\n\nexport A=\"x y\"\nB='z'\nC=a=b\n", secretValues{"A": "x y", "B": "z", "C": "a=b"}, ""},
		{"malformed line names the line, not the value", "A=1\nhunter2\n", nil, ":2: want KEY=VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "values.env")
			require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			got, err := readSecretValues(path)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.NotContains(t, err.Error(), "hunter2")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSortForApplyPutsDependenciesFirst(t *testing.T) {
	kinds := []string{"Ingress", "Deployment", "Service", "NetworkPolicy", "HorizontalPodAutoscaler", "Secret", "Namespace", "Widget", "ServiceAccount"}
	var objects []*unstructured.Unstructured
	for _, k := range kinds {
		objects = append(objects, &unstructured.Unstructured{Object: map[string]any{"kind": k}})
	}
	var got []string
	for _, o := range sortForApply(objects) {
		got = append(got, o.GetKind())
	}
	assert.Equal(t, []string{"Namespace", "ServiceAccount", "NetworkPolicy", "Secret", "Service", "Deployment",
		"HorizontalPodAutoscaler", "Widget", "Ingress"}, got)
}

func TestChangedFields(t *testing.T) {
	before := map[string]any{
		"metadata": map[string]any{"name": "a", "resourceVersion": "1", "labels": map[string]any{"x": "1"}},
		"spec":     map[string]any{"replicas": 1, "template": map[string]any{"a": 1}},
		"status":   map[string]any{"ready": 0},
	}
	after := map[string]any{
		"metadata": map[string]any{"name": "a", "resourceVersion": "2", "labels": map[string]any{"x": "2"}},
		"spec":     map[string]any{"replicas": 3, "template": map[string]any{"a": 1}},
		"status":   map[string]any{"ready": 3},
		"data":     "new",
	}
	assert.Equal(t, []string{"data", "metadata.labels", "spec.replicas"}, changedFields(before, after))
	assert.Empty(t, changedFields(before, before))
}

func TestClientDryRunNeverPrintsSecretValues(t *testing.T) {
	secret := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "s"},
		"data": map[string]any{"password": "aHVudGVyMg=="}, "stringData": map[string]any{"token": "hunter2"},
	}}
	var out bytes.Buffer
	require.NoError(t, printObjects(&out, []*unstructured.Unstructured{secret}))
	assert.NotContains(t, out.String(), "aHVudGVyMg==")
	assert.NotContains(t, out.String(), "hunter2")
	assert.Contains(t, out.String(), "password: <redacted>")
	assert.Equal(t, "aHVudGVyMg==", secret.Object["data"].(map[string]any)["password"], "the input is not changed")
}

func TestApplySetIDFollowsKubectl(t *testing.T) {
	// kubectl: base64url(sha256("<name>.<namespace>.<kind>.<group>")), "applyset-" + ... + "-v1".
	// Expected value computed independently (Python hashlib) from the KEP's formula.
	s := newApplySet("feastflow", "feastflow")
	assert.Equal(t, "applyset-6x_Sz6PVY8Shra5ZAUHD1YdraW0eZIxi8DRMsgjMdBY-v1", s.id)
	assert.NotEqual(t, s.id, newApplySet("feastflow", "other").id)
}

package source

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/cli-runtime/pkg/resource"
)

const twoDocs = `# leading comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: one
data:
  key: value
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: two
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: api
          image: api:1.0
`

func TestParsePositions(t *testing.T) {
	docs, errs := Parse("app.yaml", []byte(twoDocs))
	require.Empty(t, errs)
	require.Len(t, docs, 2)
	tests := []struct {
		name      string
		doc       int
		path      []any
		line, col int
	}{
		{"object", 0, nil, 2, 1},
		{"field", 0, []any{"data", "key"}, 7, 3},
		{"second document", 1, nil, 9, 1},
		{"list item", 1, []any{"spec", "template", "spec", "containers", 0}, 18, 11},
		{"field in list item", 1, []any{"spec", "template", "spec", "containers", 0, "image"}, 19, 11},
		{"absent field falls back to parent", 1, []any{"spec", "template", "spec", "containers", 0, "livenessProbe"}, 18, 11},
		{"absent index falls back to list", 1, []any{"spec", "template", "spec", "containers", 3}, 17, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, col := docs[tt.doc].Position(tt.path)
			assert.Equal(t, []int{tt.line, tt.col}, []int{line, col})
		})
	}
	assert.Equal(t, int64(2), docs[1].Object["spec"].(map[string]any)["replicas"], "integers decode as int64, as JSON numbers")
}

func TestParseExpandsLists(t *testing.T) {
	list := `{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}},
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "b"}}
]}`
	docs, errs := Parse("list.json", []byte(list))
	require.Empty(t, errs)
	require.Len(t, docs, 2)
	line, _ := docs[1].Position([]any{"metadata", "name"})
	assert.Equal(t, 3, line)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		keptDocs int
		wantLine int
		wantMsg  string
	}{
		{"syntax error keeps earlier documents", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: [\n", 1, 6, "invalid YAML"},
		{"bad indentation", "apiVersion: v1\nkind: ConfigMap\n metadata: x\n", 0, 3, "invalid YAML"},
		{"not an object", "- a\n- b\n", 0, 1, "not a Kubernetes object"},
		{"no kind", "apiVersion: v1\nmetadata: {name: a}\n", 0, 1, "kind not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, errs := Parse("bad.yaml", []byte(tt.input))
			assert.Len(t, docs, tt.keptDocs)
			require.Len(t, errs, 1)
			var pe *ParseError
			require.ErrorAs(t, errs[0], &pe)
			assert.Equal(t, "bad.yaml", pe.File)
			assert.Equal(t, tt.wantLine, pe.Line, pe.Message)
			assert.Contains(t, pe.Message, tt.wantMsg)
		})
	}
}

func TestLoadKeepsGoingPastBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("a.yaml", twoDocs)
	write("b.yaml", "apiVersion: v1\nkind: [\n")
	write("c.json", `{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}`)
	write("notes.txt", "not a manifest")
	write("sub/d.yml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: y}\n")

	tests := []struct {
		name      string
		opts      resource.FilenameOptions
		wantFiles int
		wantDocs  int
		wantErrs  int
	}{
		{"directory", resource.FilenameOptions{Filenames: []string{dir}}, 3, 3, 1},
		{"recursive", resource.FilenameOptions{Filenames: []string{dir}, Recursive: true}, 4, 4, 1},
		{"missing path", resource.FilenameOptions{Filenames: []string{filepath.Join(dir, "nope.yaml"), filepath.Join(dir, "c.json")}}, 1, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(context.Background(), tt.opts, nil)
			assert.Equal(t, tt.wantFiles, res.Inputs)
			assert.Len(t, res.Documents, tt.wantDocs)
			assert.Len(t, res.Errors, tt.wantErrs)
		})
	}
}

func TestLoadStdin(t *testing.T) {
	res := Load(context.Background(), resource.FilenameOptions{Filenames: []string{"-"}}, strings.NewReader(twoDocs))
	require.Empty(t, res.Errors)
	require.Len(t, res.Documents, 2)
	assert.Equal(t, StdinName, res.Documents[0].File)
}

func TestLoadKustomize(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("namespace: shop\nresources: [cm.yaml]\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cm.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"), 0o644))
	res := Load(context.Background(), resource.FilenameOptions{Kustomize: dir}, &bytes.Buffer{})
	require.Empty(t, res.Errors)
	require.Len(t, res.Documents, 1)
	assert.Equal(t, "shop", res.Documents[0].Object["metadata"].(map[string]any)["namespace"], "kustomize applied the namespace")
	assert.Equal(t, KustomizeName(dir), res.Documents[0].File)
}

func TestLoadURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/app.yaml" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(twoDocs))
	}))
	defer srv.Close()
	res := Load(context.Background(), resource.FilenameOptions{Filenames: []string{srv.URL + "/app.yaml", srv.URL + "/missing.yaml"}}, nil)
	require.Len(t, res.Documents, 2)
	assert.Equal(t, srv.URL+"/app.yaml", res.Documents[0].File)
	require.Len(t, res.Errors, 1)
	assert.Contains(t, res.Errors[0].Error(), "404")
}

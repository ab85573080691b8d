package source

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// TestParseScalarsAsKubectl compares lint's decoding with kubectl's own
// (sigs.k8s.io/yaml: YAML 1.1 scalars) on values and keys that YAML 1.1
// and 1.2 read differently.
func TestParseScalarsAsKubectl(t *testing.T) {
	scalars := []string{
		"on", "On", "ON", "off", "Off", "yes", "Yes", "YES", "no", "No", "NO", "y", "Y", "n", "N",
		"true", "True", "false", "FALSE", "~", "null", "Null", "", "nil",
		"8080", "-1", "+1", "0777", "0o17", "0x1F", "0b101", "1_000", "1e3", "1.5", "-.5", ".5",
		"2024-01-01", "2001-12-14t21:59:43.10-05:00", "12:30", "1:20:30", "0.0.1", "1.20",
		"nginx:1.27", "noop", "nope", "offline", "yess", "Nomad", "tRUE", "0x", "+", ".",
		"'on'", "\"yes\"", "!!str on", "!!str 8080", "\"8080\"", "|\n    on",
	}
	for _, s := range scalars {
		t.Run(s, func(t *testing.T) {
			doc := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\nvalue: " + s + "\n"
			want := kubectlJSON(t, doc)
			docs, errs := Parse("a.yaml", []byte(doc))
			require.Empty(t, errs)
			require.Len(t, docs, 1)
			got, err := json.Marshal(docs[0].Object)
			require.NoError(t, err)
			assert.JSONEq(t, want, string(got))
		})
	}
	for _, key := range []string{"on", "yes", "no", "1", "0x10", "1.5", "true", "name"} {
		t.Run("key "+key, func(t *testing.T) {
			doc := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  " + key + ": x\n"
			docs, errs := Parse("a.yaml", []byte(doc))
			require.Empty(t, errs)
			got, err := json.Marshal(docs[0].Object)
			require.NoError(t, err)
			assert.JSONEq(t, kubectlJSON(t, doc), string(got))
		})
	}
}

func kubectlJSON(t *testing.T, doc string) string {
	t.Helper()
	j, err := yaml.YAMLToJSON([]byte(doc))
	require.NoError(t, err)
	return string(j)
}

func TestParseEnvValueOnIsBoolean(t *testing.T) {
	doc := "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    env:\n    - name: DEBUG\n      value: on\n"
	docs, errs := Parse("pod.yaml", []byte(doc))
	require.Empty(t, errs)
	env := docs[0].Object["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)["env"].([]any)[0].(map[string]any)
	assert.Equal(t, true, env["value"], "kubectl sends `value: on` as the boolean true")
}

func TestParseDuplicateKeys(t *testing.T) {
	tests := []struct {
		name, input string
		line        int
		msg         string
	}{
		{"two readinessProbe keys", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    readinessProbe:\n      tcpSocket: {port: 80}\n    image: x\n    readinessProbe:\n      httpGet: {port: 80}\n",
			10, `mapping key "readinessProbe" already defined at line 7`},
		{"flow mapping", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, name: b}\n", 3, `mapping key "name" already defined at line 3`},
		{"yaml 1.1 keys on and true", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  on: a\n  true: b\n", 6, `mapping key "true" already defined at line 5`},
		{"json object", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"metadata\": {\"name\": \"a\"},\n \"kind\": \"Secret\"}\n", 3, `mapping key "kind" already defined at line 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, errs := Parse("dup.yaml", []byte(tt.input))
			assert.Empty(t, docs)
			require.Len(t, errs, 1)
			var pe *ParseError
			require.ErrorAs(t, errs[0], &pe)
			assert.Equal(t, tt.line, pe.Line)
			assert.Equal(t, tt.msg, pe.Message)
		})
	}
}

const jsonStream = `{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 2}}
{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"},
  "stringData": {"password": "x"}}
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"k": "v"}}
`

func TestParseJSONStream(t *testing.T) {
	docs, errs := Parse("app.json", []byte(jsonStream))
	require.Empty(t, errs)
	require.Len(t, docs, 3)
	assert.Equal(t, "Secret", docs[1].Object["kind"])
	assert.Equal(t, int64(2), docs[0].Object["spec"].(map[string]any)["replicas"])
	tests := []struct {
		doc       int
		path      []any
		line, col int
	}{
		{0, []any{"spec", "replicas"}, 1, 87},
		{1, nil, 2, 1},
		{1, []any{"stringData", "password"}, 3, 18},
		{2, []any{"data", "k"}, 4, 83},
	}
	for _, tt := range tests {
		line, col := docs[tt.doc].Position(tt.path)
		assert.Equal(t, []int{tt.line, tt.col}, []int{line, col}, "doc %d %v", tt.doc, tt.path)
	}
}

func TestParseJSONStreamError(t *testing.T) {
	docs, errs := Parse("bad.json", []byte("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\"apiVersion\": \"v1\",\n \"kind\": }\n"))
	require.Len(t, docs, 1)
	require.Len(t, errs, 1)
	var pe *ParseError
	require.ErrorAs(t, errs[0], &pe)
	assert.Equal(t, 3, pe.Line)
	assert.Contains(t, pe.Message, "invalid JSON")
}

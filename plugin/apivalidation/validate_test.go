package apivalidation

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

const deploymentYAML = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`

// TestValidate runs the API server's decoding and create validation on
// objects with one fault each and expects the server's own message at the
// fault's path.
func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []Error
	}{
		{"valid deployment", deploymentYAML, nil},
		{"port out of range", deploymentYAML + "        ports: [{containerPort: 99999}]\n", []Error{{
			Path:    []any{"spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"},
			Message: "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive",
		}}},
		{"port as a string", deploymentYAML + "        ports:\n        - containerPort: \"8080\"\n", []Error{{
			Path:    []any{"spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"},
			Message: `spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "8080": must be an integer`,
		}}},
		{"restartPolicy enum", `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Sometimes
  containers: [{name: a, image: nginx:1.27}]
`, []Error{{
			Path:    []any{"spec", "restartPolicy"},
			Message: `spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`,
		}}},
		{"probe with two handlers", deploymentYAML + "        readinessProbe:\n          tcpSocket: {port: 80}\n          httpGet: {port: 80}\n", []Error{{
			Path:    []any{"spec", "template", "spec", "containers", 0, "readinessProbe", "tcpSocket"},
			Message: "spec.template.spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
		}}},
		{"probe without handler", deploymentYAML + "        livenessProbe: {periodSeconds: 5}\n", []Error{{
			Path:    []any{"spec", "template", "spec", "containers", 0, "livenessProbe"},
			Message: "spec.template.spec.containers[0].livenessProbe: Required value: must specify a handler type",
		}}},
		{"selector misses the template", `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`, []Error{{
			Path:    []any{"spec", "template", "metadata", "labels"},
			Message: "spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`",
		}}},
		{"malformed quantity", deploymentYAML + "        resources:\n          limits:\n            memory: 512MiB\n", []Error{{
			Path:    []any{"spec", "template", "spec", "containers", 0, "resources", "limits", "memory"},
			Message: `spec.template.spec.containers[0].resources.limits.memory: Invalid value: "512MiB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
		}}},
		{"secret data not base64, value never shown", `apiVersion: v1
kind: Secret
metadata: {name: s}
data:
  password: hunter2!
`, []Error{{
			Path:    []any{"data", "password"},
			Message: `data.password: Invalid value: illegal base64 data at input byte 7`,
		}}},
		{"type error and unknown fields together", deploymentYAML + "        livenesProbe: {tcpSocket: {port: 80}}\n        ports: [{containerPort: \"80\"}]\n", []Error{
			{
				Path:    []any{"spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"},
				Message: `spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "80": must be an integer`,
			},
			{
				Path:    []any{"spec", "template", "spec", "containers", 0, "livenesProbe"},
				Message: `unknown field "spec.template.spec.containers[0].livenesProbe"`,
			},
		}},
		{"two malformed quantities", deploymentYAML + "        resources:\n          requests: {cpu: lots}\n          limits: {cpu: lots}\n", []Error{
			{
				Path:    []any{"spec", "template", "spec", "containers", 0, "resources", "limits", "cpu"},
				Message: `spec.template.spec.containers[0].resources.limits.cpu: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
			},
			{
				Path:    []any{"spec", "template", "spec", "containers", 0, "resources", "requests", "cpu"},
				Message: `spec.template.spec.containers[0].resources.requests.cpu: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
			},
		}},
		{"env value as a boolean, value never shown", deploymentYAML + "        env: [{name: DEBUG, value: true}]\n", []Error{{
			Path:    []any{"spec", "template", "spec", "containers", 0, "env", 0, "value"},
			Message: `spec.template.spec.containers[0].env[0].value: Invalid value: must be a string`,
		}}},
		{"custom resource is not checked", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: 1}\n", nil},
	}
	val := New(Built)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var obj map[string]any
			require.NoError(t, yaml.Unmarshal([]byte(tt.yaml), &obj))
			res := val.Validate(obj, "default")
			assert.Empty(t, res.API.Message)
			assert.Equal(t, tt.want, res.Errors)
		})
	}
}

// TestValidateServices: the Service storage allocates cluster IPs before
// validation; lint must not report what the allocation fills in.
func TestValidateServices(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []Error
	}{
		{"cluster IP service", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: a}\n  ports: [{port: 80, targetPort: http}]\n", nil},
		{"headless service", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  clusterIP: None\n  selector: {app: a}\n  ports: [{port: 5432}]\n", nil},
		{"headless without selector", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  clusterIP: None\n  ports: [{port: 5432}]\n", nil},
		{"external name", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ExternalName\n  externalName: db.example.com\n", nil},
		{"node port", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: NodePort\n  selector: {app: a}\n  ports: [{port: 80}]\n", nil},
		// targetPort defaults to port, as the server says too.
		{"port out of range", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: a}\n  ports: [{port: 70000}]\n", []Error{{
			Path:    []any{"spec", "ports", 0, "port"},
			Message: "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
		}, {
			Path:    []any{"spec", "ports", 0, "targetPort"},
			Message: "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
		}}},
	}
	val := New(Built)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var obj map[string]any
			require.NoError(t, yaml.Unmarshal([]byte(tt.yaml), &obj))
			assert.Equal(t, tt.want, val.Validate(obj, "default").Errors)
		})
	}
}

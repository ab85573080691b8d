// Package corpus generates a synthetic corpus of application manifests for
// benchmarks: each file holds a Deployment, Service, ConfigMap,
// HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"text/template"
)

// ObjectsPerFile is how many objects each generated file holds.
const ObjectsPerFile = 6

// namespaces spreads the apps so cross-object rules see realistic inventories.
const namespaces = 10

var app = template.Must(template.New("app").Parse(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{.Name}}
  namespace: {{.NS}}
  labels: {app: {{.Name}}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: {{.Name}}}
  template:
    metadata:
      labels: {app: {{.Name}}, tier: web}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: app
          image: registry.example.com/{{.Name}}:1.{{.I}}.0
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
          ports:
            - {name: http, containerPort: 8080}
          env:
            - {name: LOG_LEVEL, value: info}
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: {{.Name}}-db, key: password}}
          livenessProbe:
            httpGet: {path: /healthz, port: http}
          readinessProbe:
            httpGet: {path: /ready, port: http}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: {{.Name}}
  namespace: {{.NS}}
spec:
  selector: {app: {{.Name}}}
  ports:
    - {name: http, port: 80, targetPort: http}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{.Name}}-config
  namespace: {{.NS}}
data:
  LOG_FORMAT: json
  FEATURE_FLAGS: "checkout,search"
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{.Name}}
  namespace: {{.NS}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{.Name}}}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{.Name}}
  namespace: {{.NS}}
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: {{.Name}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{.Name}}
  namespace: {{.NS}}
spec:
  podSelector:
    matchLabels: {app: {{.Name}}}
  policyTypes: [Ingress]
  ingress:
    - ports:
        - {port: http}
`))

// Write writes files app-NNNN.yaml into dir. The first file of each
// namespace also carries the Namespace and its default-deny policy.
func Write(dir string, files int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := 0; i < files; i++ {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("app-%04d.yaml", i)))
		if err != nil {
			return err
		}
		ns := fmt.Sprintf("team-%02d", i%namespaces)
		data := struct {
			NS, Name string
			I        int
		}{ns, fmt.Sprintf("app-%04d", i), i}
		err = app.Execute(f, data)
		if err == nil && i < namespaces {
			_, err = fmt.Fprintf(f, defaultDeny, ns)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

const defaultDeny = `---
apiVersion: v1
kind: Namespace
metadata:
  name: %[1]s
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: %[1]s
spec:
  podSelector: {}
  policyTypes: [Ingress]
`

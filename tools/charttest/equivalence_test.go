package charttest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// withoutNamespaces drops Namespace objects: Helm keeps its release record
// in the release namespace, so a chart cannot create its own namespace
// (it is created first: README's install section).
func withoutNamespaces(objs map[string]object) map[string]object {
	out := map[string]object{}
	for k, o := range objs {
		if !strings.HasPrefix(k, "Namespace/") {
			out[k] = o
		}
	}
	return out
}

// withoutHelmAnnotations drops annotations meant for Helm itself
// (helm.sh/resource-policy: keep on the Secrets): kustomize has no use
// for them, and they change nothing the cluster runs.
func withoutHelmAnnotations(objs map[string]object) map[string]object {
	for _, o := range objs {
		meta, _ := o["metadata"].(map[string]any)
		annotations, _ := meta["annotations"].(map[string]any)
		for k := range annotations {
			if strings.HasPrefix(k, "helm.sh/") {
				delete(annotations, k)
			}
		}
	}
	return objs
}

// withoutChecksums drops the pod template's checksum/* annotations: Helm's
// way of restarting pods when a rendered ConfigMap changes. The kustomize
// install has no such annotation, and needs none: the server applies an
// edited configuration without a restart.
func withoutChecksums(objs map[string]object) map[string]object {
	for _, o := range objs {
		spec, _ := o["spec"].(map[string]any)
		template, _ := spec["template"].(map[string]any)
		meta, _ := template["metadata"].(map[string]any)
		annotations, _ := meta["annotations"].(map[string]any)
		for k := range annotations {
			if strings.HasPrefix(k, "checksum/") {
				delete(annotations, k)
			}
		}
		if annotations != nil && len(annotations) == 0 {
			delete(meta, "annotations")
		}
	}
	return objs
}

// TestChartsRenderTheKustomizeObjects: the webhook chart with its default
// values, and the FeastFlow chart with each values file, render object
// for object what the kustomize installs render.
func TestChartsRenderTheKustomizeObjects(t *testing.T) {
	tests := []struct {
		kustomization string
		chart         chartCase
	}{
		{"manifests/webhook", chartCase{chart: "feastflow-webhook", release: "feastflow-webhook", namespace: "feastflow-system"}},
		// The dashboard, alerts and ServiceMonitor: the chart's copies of the
		// dashboard JSON and the rules equal the monitoring Component's.
		{"tools/charttest/testdata/monitoring", chartCase{chart: "feastflow-webhook", release: "feastflow-webhook", namespace: "feastflow-system",
			set: []string{"monitoring.enabled=true"}}},
		// The policy Component's ConfigMap, mount and --config.
		{"tools/charttest/testdata/policy", chartCase{chart: "feastflow-webhook", release: "feastflow-webhook", namespace: "feastflow-system",
			valuesFiles: []string{"../../tools/charttest/testdata/policy/values.yaml"}}},
		{"manifests/feastflow/overlays/dev", chartCase{chart: "feastflow", release: "feastflow", namespace: "feastflow", valuesFiles: []string{"values-dev.yaml"}}},
		{"manifests/feastflow/overlays/prod", chartCase{chart: "feastflow", release: "feastflow", namespace: "feastflow", valuesFiles: []string{"values-prod.yaml"}}},
	}
	for _, tt := range tests {
		t.Run(tt.kustomization, func(t *testing.T) {
			want := withoutNamespaces(objects(t, kustomizeBuild(t, tt.kustomization)))
			got := withoutChecksums(withoutHelmAnnotations(objects(t, render(t, tt.chart))))
			assert.Equal(t, keys(want), keys(got), "the chart renders other objects")
			for k, w := range want {
				if g, ok := got[k]; ok {
					assert.Equal(t, w, g, "%s differs", k)
				}
			}
		})
	}
}

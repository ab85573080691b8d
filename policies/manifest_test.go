package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAsManifest(t *testing.T) {
	live := func(annotations map[string]any) map[string]any {
		meta := map[string]any{
			"name": "cfg", "namespace": "shop", "labels": map[string]any{"app": "shop"},
			"uid": "0f1e", "resourceVersion": "42", "generation": int64(3), "selfLink": "/api/v1/x",
			"creationTimestamp": "2026-01-01T00:00:00Z", "deletionTimestamp": "2026-01-02T00:00:00Z",
			"deletionGracePeriodSeconds": int64(30),
			"managedFields":              []any{map[string]any{"manager": "kubectl"}},
			"ownerReferences":            []any{map[string]any{"kind": "ReplicaSet"}},
			"finalizers":                 []any{"x"},
		}
		if annotations != nil {
			meta["annotations"] = annotations
		}
		return map[string]any{
			"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta,
			"data": map[string]any{"a": "b"}, "status": map[string]any{"x": "y"},
		}
	}
	declared := func(annotations map[string]any) map[string]any {
		meta := map[string]any{
			"name": "cfg", "namespace": "shop", "labels": map[string]any{"app": "shop"},
			"ownerReferences": []any{map[string]any{"kind": "ReplicaSet"}}, "finalizers": []any{"x"},
		}
		if annotations != nil {
			meta["annotations"] = annotations
		}
		return map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": map[string]any{"a": "b"}}
	}
	tests := []struct {
		name       string
		in, want   map[string]any
		unmodified bool
	}{
		{"server fields and status", live(nil), declared(nil), true},
		{"last-applied stripped, other annotations kept",
			live(map[string]any{LastAppliedAnnotation: "{}", "keep": "me"}), declared(map[string]any{"keep": "me"}), true},
		{"annotations left empty are dropped", live(map[string]any{LastAppliedAnnotation: "{}"}), declared(nil), true},
		{"empty annotations without last-applied stay", live(map[string]any{}), declared(map[string]any{}), true},
		{"no metadata", map[string]any{"kind": "X", "status": 1}, map[string]any{"kind": "X"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, AsManifest(tt.in))
			if tt.unmodified {
				assert.Contains(t, tt.in, "status", "the live object is left as it was")
				assert.Contains(t, tt.in["metadata"], "managedFields")
			}
		})
	}
}

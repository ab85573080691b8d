package apivalidation

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]Version{"1.37": {1, 37}, "v1.30": {1, 30}, "1.16.4": {1, 16}} {
		got, err := ParseVersion(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "abc", "1", "2.0", "1.x", "1.37.2.1", "1.-3", "1.037"} {
		_, err := ParseVersion(bad)
		assert.Error(t, err, bad)
	}
}

// TestCheckAPI asks whether a release serves an apiVersion and kind.
func TestCheckAPI(t *testing.T) {
	tests := []struct {
		apiVersion, kind, version string
		served, known             bool
		message                   string
	}{
		{"apps/v1", "Deployment", "1.37", true, true, ""},
		{"v1", "ConfigMap", "1.37", true, true, ""},
		{"extensions/v1beta1", "Deployment", "1.37", false, false,
			"extensions/v1beta1 Deployment is not served by Kubernetes 1.37: it was removed in 1.16; use apps/v1 Deployment"},
		{"extensions/v1beta1", "DaemonSet", "1.37", false, false,
			"extensions/v1beta1 DaemonSet is not served by Kubernetes 1.37: it was removed in 1.16; use apps/v1 DaemonSet"},
		{"apps/v1beta2", "Deployment", "1.37", false, false,
			"apps/v1beta2 Deployment is not served by Kubernetes 1.37: it was removed in 1.16; use apps/v1 Deployment"},
		{"extensions/v1beta1", "Ingress", "1.37", false, false,
			"extensions/v1beta1 Ingress is not served by Kubernetes 1.37: it was removed in 1.22; use networking.k8s.io/v1 Ingress"},
		{"policy/v1beta1", "PodSecurityPolicy", "1.37", false, false,
			"policy/v1beta1 PodSecurityPolicy is not served by Kubernetes 1.37: policy/v1beta1 was removed in 1.25; no API of Kubernetes 1.37 serves kind PodSecurityPolicy"},
		{"app/v1", "Deployment", "1.37", false, false,
			`app/v1 Deployment is not served by Kubernetes 1.37: no API group "app"; use apps/v1 Deployment`},
		{"v1", "Deployment", "1.37", false, false,
			"v1 Deployment is not served by Kubernetes 1.37: v1 has no kind Deployment; use apps/v1 Deployment"},
		{"apps/v2", "Deployment", "1.37", false, false,
			`apps/v2 Deployment is not served by Kubernetes 1.37: API group "apps" has no version v2; use apps/v1 Deployment`},
		{"apps/v1", "Deployment", "1.37", true, true, ""},
		{"extensions/v1beta1", "Deployment", "1.15", true, true,
			"extensions/v1beta1 Deployment is deprecated since Kubernetes 1.8 and is not served from 1.16; use apps/v1 Deployment"},
		{"example.com/v1", "Widget", "1.37", true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.apiVersion+" "+tt.kind+" "+tt.version, func(t *testing.T) {
			v, err := ParseVersion(tt.version)
			require.NoError(t, err)
			got := CheckAPI(tt.apiVersion, tt.kind, v)
			assert.Equal(t, APIStatus{Served: tt.served, Known: tt.known, Message: tt.message}, got)
		})
	}
}

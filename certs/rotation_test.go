package certs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

func rotationOptions() RotationOptions {
	return RotationOptions{
		SecretName:        "feastflow-webhook-tls",
		Namespace:         "feastflow-system",
		Service:           "feastflow-webhook",
		WebhookConfigName: "feastflow-webhook",
		CertDir:           "/certs",
	}
}

// newTestManager builds a manager that is never started, so its API
// server address is never dialled.
func newTestManager(t *testing.T) manager.Manager {
	t.Helper()
	mgr, err := manager.New(&rest.Config{Host: "https://127.0.0.1:1"}, manager.Options{
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
	})
	require.NoError(t, err)
	return mgr
}

func TestAddRotation(t *testing.T) {
	ready, err := AddRotation(newTestManager(t), rotationOptions())
	require.NoError(t, err)
	require.NotNil(t, ready)
	select {
	case <-ready:
		t.Fatal("ready before the manager ran")
	default:
	}
}

func TestAddRotationRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*RotationOptions)
		wantErr string
	}{
		{"no secret", func(o *RotationOptions) { o.SecretName = "" }, "secret name is empty"},
		{"no namespace", func(o *RotationOptions) { o.Namespace = "" }, "namespace is empty"},
		{"no service", func(o *RotationOptions) { o.Service = "" }, "service is empty"},
		{"no webhook configuration", func(o *RotationOptions) { o.WebhookConfigName = "" }, "webhook configuration name is empty"},
		{"no cert dir", func(o *RotationOptions) { o.CertDir = "" }, "cert dir is empty"},
		{"renewal after expiry", func(o *RotationOptions) {
			o.CertValidity = 24 * time.Hour
			o.RenewBefore = 48 * time.Hour
		}, "renew-before must be shorter"},
		{"default renewal longer than a short certificate", func(o *RotationOptions) { o.CertValidity = 7 * 24 * time.Hour }, "renew-before must be shorter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := rotationOptions()
			tt.change(&opts)
			_, err := AddRotation(newTestManager(t), opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "add certificate rotation: "+tt.wantErr)
		})
	}
}

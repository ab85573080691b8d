package loadtest

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reviewServer answers reviews like a webhook; every wrongUIDEvery-th
// answer carries another uid.
func reviewServer(t *testing.T, wrongUIDEvery int64) (*httptest.Server, string) {
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var review struct {
			Request struct {
				UID string `json:"uid"`
			} `json:"request"`
		}
		if err := json.NewDecoder(r.Body).Decode(&review); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		uid := review.Request.UID
		if wrongUIDEvery > 0 && n.Add(1)%wrongUIDEvery == 0 {
			uid = "wrong"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
			"response": map[string]any{"uid": uid, "allowed": true}})
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.crt")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	return srv, ca
}

func TestRun(t *testing.T) {
	review, err := ParseReview("r", []byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE"}}`))
	require.NoError(t, err)
	denied := false
	tests := []struct {
		name       string
		wrongEvery int64
		http1      bool
		want       *bool
		wantErrors map[string]int
		wantProto  string
	}{
		{"all valid over HTTP/2", 0, false, nil, map[string]int{}, "HTTP/2.0"},
		{"all valid over HTTP/1.1", 0, true, nil, map[string]int{}, "HTTP/1.1"},
		{"every 5th answers another uid", 5, false, nil, map[string]int{ErrUID: 4}, "HTTP/2.0"},
		{"decision differs from the expected one", 0, false, &denied, map[string]int{ErrDecision: 20}, "HTTP/2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, ca := reviewServer(t, tt.wrongEvery)
			client, err := NewClient(ClientOptions{CAFile: ca, HTTP1: tt.http1, Connections: 4})
			require.NoError(t, err)
			r := *review
			r.WantAllowed = tt.want
			res, err := Run(context.Background(), Options{
				Name: "test", URL: srv.URL, Client: client, Reviews: []*Review{&r},
				Schedule: Schedule{Rate: 200, Duration: 100 * time.Millisecond},
			})
			require.NoError(t, err)
			assert.Equal(t, 20, res.Scheduled)
			assert.Equal(t, 20, res.Sent)
			assert.Equal(t, tt.wantErrors, res.Errors)
			assert.Equal(t, 20-res.ErrorCount(), res.OK)
			assert.Equal(t, 20, res.Latency.Count)
			assert.Equal(t, map[string]int{tt.wantProto: 20}, res.Protocols)
		})
	}
}

func TestRunTransportErrors(t *testing.T) {
	srv, ca := reviewServer(t, 0)
	url := srv.URL
	srv.Close()
	client, err := NewClient(ClientOptions{CAFile: ca, Timeout: time.Second})
	require.NoError(t, err)
	review, err := ParseReview("r", []byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u"}}`))
	require.NoError(t, err)
	res, err := Run(context.Background(), Options{Name: "closed", URL: url, Client: client, Reviews: []*Review{review},
		Schedule: Schedule{Rate: 100, Duration: 50 * time.Millisecond}})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{ErrTransport: 5}, res.Errors)
	assert.Equal(t, 5, res.ErrorCount())
	assert.Len(t, res.ErrorSamples, 5)
}

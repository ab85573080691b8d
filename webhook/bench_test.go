package webhook

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkReviewCompliantDeployment is the webhook's per-request cost
// without the network: decode an AdmissionReview of the compliant
// Deployment, evaluate the catalog with a live-style inventory (written
// object by object, index refreshed), encode the response.
//
//	go test -run '^$' -bench ReviewCompliantDeployment -benchmem -cpu 1 -count 6 ./webhook/
func BenchmarkReviewCompliantDeployment(b *testing.B) {
	e := newAdmissionEngine(b)
	objects := benchObjects(b)
	for _, obj := range objects[1:] {
		if err := e.PutInventoryObject(context.Background(), obj); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.RefreshInventoryIndex(context.Background()); err != nil {
		b.Fatal(err)
	}
	body, err := os.ReadFile(filepath.Join("..", "testdata", "admission", "deployment-compliant.json"))
	if err != nil {
		b.Fatal(err)
	}
	h := &ReviewHandler{Handler: &Validator{Engine: e, Metrics: NewMetrics(prometheus.NewRegistry()), Log: logr.Discard()}, Log: logr.Discard()}
	b.ReportAllocs()
	for b.Loop() {
		rec := serve(h, http.MethodPost, "application/json", string(body))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body.String())
		}
	}
}

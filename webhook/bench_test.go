package webhook

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/feastflow/kubectl-feastflow/internal/cputime"
	"github.com/feastflow/kubectl-feastflow/internal/loadtest"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// BenchmarkReviewCompliantDeployment is the webhook's per-request cost
// without the network: decode an AdmissionReview of the compliant
// Deployment, evaluate the catalog with a live-style inventory (written
// object by object, index refreshed), encode the response. It reports
// cpu-µs/op too: the process's CPU time (user+sys, GC included) per review.
//
//	go test -run '^$' -bench ReviewCompliantDeployment -benchmem -cpu 1 -count 6 ./webhook/
func BenchmarkReviewCompliantDeployment(b *testing.B) {
	e, body := benchReview(b)
	h := &ReviewHandler{Handler: &Validator{Engine: e, Metrics: NewMetrics(prometheus.NewRegistry()), Log: logr.Discard()}, Log: logr.Discard()}
	b.ReportAllocs()
	cpu0, n := cputime.Process(b), 0
	for b.Loop() {
		n++
		rec := serve(h, http.MethodPost, "application/json", string(body))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body.String())
		}
	}
	b.ReportMetric(float64((cputime.Process(b)-cpu0).Microseconds())/float64(n), "cpu-µs/op")
}

// benchReview returns an admission engine holding the bench objects but
// the first in its inventory, and the compliant Deployment's review body.
func benchReview(b *testing.B) (*policies.Engine, []byte) {
	e := newAdmissionEngine(b)
	for _, obj := range benchObjects(b)[1:] {
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
	return e, body
}

// BenchmarkReviewFindingsCache is the same review through a validator with
// a findings cache: "distinct" gives every request's object its own
// annotation value, as feastflow-load does (each a miss: the cache's cost
// on top of evaluation), "repeated" sends the same object every time, as
// GitOps re-applies do (each a hit).
//
//	go test -run '^$' -bench ReviewFindingsCache -benchmem -cpu 1 -count 6 ./webhook/
func BenchmarkReviewFindingsCache(b *testing.B) {
	e, body := benchReview(b)
	review, err := loadtest.ParseReview("deployment-compliant", body)
	if err != nil {
		b.Fatal(err)
	}
	for _, repeat := range []bool{false, true} {
		name := map[bool]string{false: "distinct", true: "repeated"}[repeat]
		b.Run(name, func(b *testing.B) {
			cache, err := NewFindingsCache(DefaultFindingsCacheSize)
			if err != nil {
				b.Fatal(err)
			}
			v := &Validator{Engine: e, Cache: cache, Metrics: NewMetrics(prometheus.NewRegistry()), Log: logr.Discard()}
			h := &ReviewHandler{Handler: v, Log: logr.Discard()}
			review.RepeatObject = repeat
			b.ReportAllocs()
			cpu0, i := cputime.Process(b), 0
			for b.Loop() {
				i++
				rec := serve(h, http.MethodPost, "application/json", string(review.Body(loadtest.RequestUID(1, i))))
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Body.String())
				}
			}
			b.ReportMetric(float64((cputime.Process(b)-cpu0).Microseconds())/float64(i), "cpu-µs/op")
		})
	}
}

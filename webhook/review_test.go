package webhook

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
)

func reviewFixture(t testing.TB) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "admission", "deployment-without-probes.json"))
	require.NoError(t, err)
	return string(raw)
}

func newReviewHandler(t testing.TB) *ReviewHandler {
	e, _ := liveEngine(t.(*testing.T))
	return &ReviewHandler{Handler: &Validator{Engine: e}, MaxRequestBytes: 64 << 10, Log: logr.Discard()}
}

func serve(h http.Handler, method, contentType, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(context.Background(), method, ValidatePath, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestReviewHandlerAnswersAWellFormedReview(t *testing.T) {
	rec := serve(newReviewHandler(t), http.MethodPost, "application/json", reviewFixture(t))
	require.Equal(t, http.StatusOK, rec.Code)
	var out admissionv1.AdmissionReview
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	assert.Equal(t, "admission.k8s.io/v1", out.APIVersion)
	assert.Equal(t, "AdmissionReview", out.Kind)
	require.NotNil(t, out.Response)
	assert.EqualValues(t, "2f4a9e61-6b0c-4c57-9d6e-0d3c2a1b7e55", out.Response.UID)
	assert.False(t, out.Response.Allowed)
	assert.Contains(t, out.Response.Result.Message, "[liveness-probe-required]")
}

func TestReviewHandlerRejectsMalformedRequests(t *testing.T) {
	valid := reviewFixture(t)
	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		wantCode    int
		wantMessage string
	}{
		{"wrong method", http.MethodGet, "application/json", valid, http.StatusMethodNotAllowed, "method GET"},
		{"wrong content type", http.MethodPost, "text/plain", valid, http.StatusUnsupportedMediaType, "want application/json"},
		{"not json", http.MethodPost, "application/json", "{not json", http.StatusBadRequest, "decode AdmissionReview"},
		{"empty body", http.MethodPost, "application/json", "", http.StatusBadRequest, "decode AdmissionReview"},
		{"wrong kind", http.MethodPost, "application/json", `{"apiVersion":"v1","kind":"Pod"}`, http.StatusBadRequest, "want admission.k8s.io/v1 AdmissionReview"},
		{"no request", http.MethodPost, "application/json", `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}`, http.StatusBadRequest, "has no request"},
		{"no uid", http.MethodPost, "application/json", strings.Replace(valid, `"uid": "2f4a9e61-6b0c-4c57-9d6e-0d3c2a1b7e55"`, `"uid": ""`, 1), http.StatusBadRequest, "has no uid"},
		{"no object", http.MethodPost, "application/json", strings.Replace(valid, `"object": {`, `"ignored": {`, 1), http.StatusBadRequest, "has no object"},
		{"object of wrong type", http.MethodPost, "application/json", strings.Replace(valid, `"object": {`, `"object": 42, "x": {`, 1), http.StatusBadRequest, "must be JSON objects"},
		// Decoded as the API server and controller-runtime decode it: field
		// names are case-sensitive and nothing may follow the review.
		{"case-folded field name", http.MethodPost, "application/json", strings.Replace(valid, `"request":`, `"Request":`, 1), http.StatusBadRequest, "has no request"},
		{"data after the review", http.MethodPost, "application/json", valid + `{}`, http.StatusBadRequest, "decode AdmissionReview"},
		{"too large", http.MethodPost, "application/json", valid[:len(valid)-2] + `, "pad": "` + strings.Repeat("x", 70<<10) + `"}`, http.StatusRequestEntityTooLarge, "over 65536 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(newReviewHandler(t), tt.method, tt.contentType, tt.body)
			require.Equal(t, tt.wantCode, rec.Code, rec.Body.String())
			var status metav1.Status
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &status), rec.Body.String())
			assert.Equal(t, metav1.StatusFailure, status.Status)
			assert.EqualValues(t, tt.wantCode, status.Code)
			assert.Contains(t, status.Message, tt.wantMessage)
		})
	}
}

// TestReviewHandlerBodies: a body shorter than its Content-Length is a bad
// request; a repeated key's last value wins, as in Kubernetes' decoder.
func TestReviewHandlerBodies(t *testing.T) {
	valid := reviewFixture(t)
	short := httptest.NewRequestWithContext(context.Background(), http.MethodPost, ValidatePath, strings.NewReader(valid[:100]))
	short.Header.Set("Content-Type", "application/json")
	short.ContentLength = int64(len(valid))
	rec := httptest.NewRecorder()
	newReviewHandler(t).ServeHTTP(rec, short)
	assert.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())

	repeated := strings.Replace(valid, `"uid": "2f4a9e61-6b0c-4c57-9d6e-0d3c2a1b7e55"`, `"uid": "first", "uid": "2f4a9e61-6b0c-4c57-9d6e-0d3c2a1b7e55"`, 1)
	rec = serve(newReviewHandler(t), http.MethodPost, "application/json", repeated)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var out admissionv1.AdmissionReview
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	assert.EqualValues(t, "2f4a9e61-6b0c-4c57-9d6e-0d3c2a1b7e55", out.Response.UID)
}

// FuzzReviewHandler feeds arbitrary bodies: the handler must answer every
// one with a status and never panic (a recovered panic would be a 500).
func FuzzReviewHandler(f *testing.F) {
	f.Add(reviewFixture(f))
	f.Add(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE","object":{"kind":"Pod","spec":{"containers":[{}]}}}}`)
	f.Add(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"UPDATE","object":{"kind":"Deployment","spec":{"template":7}},"oldObject":[]}}`)
	f.Add(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE","object":{"kind":"Deployment","metadata":{"annotations":{"policy.feastflow.io/exempt":1}}}}}`)
	e, err := newFuzzEngine()
	if err != nil {
		f.Fatal(err)
	}
	h := &ReviewHandler{Handler: &Validator{Engine: e}, Log: logr.Discard()}
	f.Fuzz(func(t *testing.T, body string) {
		rec := serve(h, http.MethodPost, "application/json", body)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("500 for %q: %s", body, rec.Body)
		}
		if rec.Code == http.StatusOK {
			var out admissionv1.AdmissionReview
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Response == nil {
				t.Fatalf("200 without an AdmissionReview response for %q: %s", body, rec.Body)
			}
		}
	})
}

// blockingHandler holds every request until release is closed.
type blockingHandler struct {
	entered chan struct{}
	release chan struct{}
}

func (b *blockingHandler) Handle(_ context.Context, _ admission.Request) admission.Response {
	b.entered <- struct{}{}
	<-b.release
	return admission.Allowed("")
}

func TestReviewHandlerBoundsReviewsInFlight(t *testing.T) {
	b := &blockingHandler{entered: make(chan struct{}, 1), release: make(chan struct{})}
	h := &ReviewHandler{Handler: b, MaxInFlight: 1, MaxQueued: 1, QueueTimeout: 20 * time.Millisecond, Log: logr.Discard()}
	first := make(chan int)
	go func() { first <- serve(h, http.MethodPost, "application/json", reviewFixture(t)).Code }()
	<-b.entered // the only slot is taken

	rec := serve(h, http.MethodPost, "application/json", reviewFixture(t))
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), "webhook busy")

	close(b.release)
	require.Equal(t, http.StatusOK, <-first)
	b.entered = make(chan struct{}, 1)
	require.Equal(t, http.StatusOK, serve(h, http.MethodPost, "application/json", reviewFixture(t)).Code, "the slot is free again")
}

func TestReviewHandlerRejectsAtOnceWhenTheQueueIsFull(t *testing.T) {
	b := &blockingHandler{entered: make(chan struct{}, 2), release: make(chan struct{})}
	h := &ReviewHandler{Handler: b, MaxInFlight: 1, MaxQueued: 1, QueueTimeout: time.Hour, Log: logr.Discard()}
	codes := make(chan int, 2)
	go func() { codes <- serve(h, http.MethodPost, "application/json", reviewFixture(t)).Code }()
	<-b.entered // the slot is taken
	go func() { codes <- serve(h, http.MethodPost, "application/json", reviewFixture(t)).Code }()
	require.Eventually(t, func() bool { return h.queued.Load() == 1 }, 10*time.Second, time.Millisecond, "the second review queues")

	rec := serve(h, http.MethodPost, "application/json", reviewFixture(t)) // would wait an hour if it queued
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Contains(t, rec.Body.String(), "webhook busy")

	close(b.release)
	require.Equal(t, http.StatusOK, <-codes)
	require.Equal(t, http.StatusOK, <-codes)
}

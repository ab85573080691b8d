package loadtest

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseReview(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		wantErr string
	}{
		{"minimal", `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","kind":{"kind":"Pod"},"operation":"CREATE","object":{"metadata":{"uid":"other"}}}}`, ""},
		{"not a review", `{"apiVersion":"v1","kind":"Pod"}`, "not an admission.k8s.io/v1 AdmissionReview"},
		{"no request", `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}`, "no request"},
		{"no uid", `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}`, "no uid"},
		{"not JSON", `apiVersion: v1`, "parse review"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseReview(tt.name, []byte(tt.doc))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "Pod", r.Kind)
			assert.Equal(t, "CREATE", r.Operation)
			var got map[string]any
			require.NoError(t, json.Unmarshal(r.Body("new-uid"), &got))
			req := got["request"].(map[string]any)
			assert.Equal(t, "new-uid", req["uid"])
			meta := req["object"].(map[string]any)["metadata"].(map[string]any)
			assert.Equal(t, "other", meta["uid"], "only request.uid and the tag change")
			assert.Equal(t, map[string]any{ObjectTagAnnotation: "new-uid"}, meta["annotations"])
		})
	}
}

// TestObjectsAreDistinctUnlessRepeated: every request's object differs
// (a findings cache must evaluate each) unless RepeatObject.
func TestObjectsAreDistinctUnlessRepeated(t *testing.T) {
	doc := `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","operation":"UPDATE",` +
		`"object":{"metadata":{"name":"a","annotations":{"team":"x"}}},"oldObject":{"metadata":{"name":"a"}}}}`
	object := func(r *Review, uid string) map[string]any {
		var got struct {
			Request struct {
				UID       string         `json:"uid"`
				Object    map[string]any `json:"object"`
				OldObject map[string]any `json:"oldObject"`
			} `json:"request"`
		}
		require.NoError(t, json.Unmarshal(r.Body(uid), &got))
		assert.Equal(t, uid, got.Request.UID)
		assert.Equal(t, map[string]any{"metadata": map[string]any{"name": "a"}}, got.Request.OldObject, "the old object is left alone")
		return got.Request.Object
	}
	r, err := ParseReview("update", []byte(doc))
	require.NoError(t, err)
	first, second := object(r, "uid-1"), object(r, "uid-2")
	assert.NotEqual(t, first, second)
	assert.Equal(t, map[string]any{"team": "x", ObjectTagAnnotation: "uid-1"}, first["metadata"].(map[string]any)["annotations"])
	r.RepeatObject = true
	assert.Equal(t, object(r, "uid-1"), object(r, "uid-2"))
}

func TestLoadReviewsFixtures(t *testing.T) {
	reviews, err := LoadReviews([]string{filepath.Join("..", "..", "testdata", "admission")})
	require.NoError(t, err)
	require.NotEmpty(t, reviews)
	for _, r := range reviews {
		uid := RequestUID(7, 42)
		var got struct {
			APIVersion string `json:"apiVersion"`
			Request    struct {
				UID string `json:"uid"`
			} `json:"request"`
		}
		require.NoError(t, json.Unmarshal(r.Body(uid), &got), r.Name)
		assert.Equal(t, uid, got.Request.UID, r.Name)
		assert.Equal(t, "admission.k8s.io/v1", got.APIVersion, r.Name)
	}
	assert.Equal(t, "00000007-0000-4000-8000-00000000002a", RequestUID(7, 42))
	_, err = LoadReviews(nil)
	assert.Error(t, err)
}

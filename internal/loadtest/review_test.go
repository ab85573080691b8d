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
			assert.Equal(t, "other", req["object"].(map[string]any)["metadata"].(map[string]any)["uid"], "only request.uid changes")
		})
	}
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

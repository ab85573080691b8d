package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/cli-runtime/pkg/resource"

	"github.com/feastflow/kubectl-feastflow/plugin/linter"
	"github.com/feastflow/kubectl-feastflow/plugin/source"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// TestLintAndAdmissionFindingsAreIdentical evaluates every rule fixture, the
// FeastFlow "before" manifests and the multi-application corpus under
// testdata through the lint path (files, positions, the run's inventory)
// and through the webhook path (an AdmissionReview over HTTP per object,
// the inventory written object by object as the informers do), and
// requires the same findings: rule id, severity and message, per object.
// Rules scoped away from admission (custom.scope) are left out of the
// lint side, which is the only difference the catalog declares.
func TestLintAndAdmissionFindingsAreIdentical(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("..", "policies", "rules", "*", "*", "*.yaml"))
	require.NoError(t, err)
	inputs = append(inputs, filepath.Join("..", "testdata", "before"), filepath.Join("..", "testdata", "corpus"))
	require.Greater(t, len(inputs), 30)
	ctx := context.Background()
	files, err := policies.New(ctx, policies.Options{Mode: policies.ModeFiles})
	require.NoError(t, err)
	rules := map[string]policies.Rule{}
	for _, r := range files.Rules() {
		rules[r.ID] = r
	}
	compared := 0
	for _, input := range inputs {
		t.Run(input, func(t *testing.T) {
			loaded := source.Load(ctx, resource.FilenameOptions{Filenames: []string{input}, Recursive: true}, nil)
			require.Empty(t, loaded.Errors)
			report, err := linter.Lint(ctx, files, loaded)
			require.NoError(t, err)
			want := map[string][]string{}
			for _, f := range report.Findings {
				if rules[f.RuleID].AppliesTo(policies.ModeAdmission) {
					want[f.Object.String()] = append(want[f.Object.String()], findingKey(f))
				}
			}
			got := admissionFindings(t, loaded)
			for ref := range want {
				sort.Strings(want[ref])
			}
			require.Equal(t, want, got)
			compared += len(got)
		})
	}
	require.Greater(t, compared, 30, "the fixtures should produce findings to compare")
}

// findingKey is what both paths must agree on, in the words of a warning.
func findingKey(f policies.Finding) string {
	switch {
	case f.Exempted():
		return fmt.Sprintf("[%s] exempted (%s): %s", f.RuleID, f.Exemption.Reason, f.Message)
	case f.Severity == policies.SeverityDeny:
		return fmt.Sprintf("deny [%s] %s", f.RuleID, f.Message)
	}
	return fmt.Sprintf("[%s] %s", f.RuleID, f.Message)
}

// admissionFindings sends every object as a CREATE through ReviewHandler in
// warn mode (so every finding comes back, as a warning) and returns them
// by object.
func admissionFindings(t *testing.T, loaded source.Result) map[string][]string {
	t.Helper()
	ctx := context.Background()
	e := newAdmissionEngine(t)
	for _, d := range loaded.Documents {
		if isInventoryKind(t, e, d.Object) {
			require.NoError(t, e.PutInventoryObject(ctx, d.Object))
		}
	}
	h := &ReviewHandler{
		Handler: &Validator{Engine: e, Mode: ModeWarn, Exemptions: &fakeAuthorizer{allowed: map[string]bool{alice: true}}},
		Log:     logr.Discard(),
	}
	got := map[string][]string{}
	for _, d := range loaded.Documents {
		ref := e.ObjectRef(d.Object)
		ns := ref.Namespace
		req := request(t, admissionv1.Create, alice, d.Object, nil)
		review := admissionv1.AdmissionReview{Request: &req.AdmissionRequest}
		review.APIVersion, review.Kind = admissionv1.SchemeGroupVersion.String(), "AdmissionReview"
		review.Request.Namespace = ns
		body, err := json.Marshal(review)
		require.NoError(t, err)
		rec := serve(h, http.MethodPost, "application/json", string(body))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out admissionv1.AdmissionReview
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		require.True(t, out.Response.Allowed, "warn mode admits")
		for _, w := range out.Response.Warnings {
			require.False(t, strings.HasPrefix(w, "... and"), "warnings were truncated for %s", ref)
			got[ref.String()] = append(got[ref.String()], w)
		}
		sort.Strings(got[ref.String()])
	}
	return got
}

func isInventoryKind(t *testing.T, e *policies.Engine, obj map[string]any) bool {
	kind, _ := obj["kind"].(string)
	apiVersion, _ := obj["apiVersion"].(string)
	gvks, err := e.InventoryGVKs()
	require.NoError(t, err)
	for _, gvk := range gvks {
		if gvk.Kind == kind && gvk.GroupVersion().String() == apiVersion {
			return true
		}
	}
	return false
}

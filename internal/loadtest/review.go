package loadtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// uidPlaceholder stands for the request uid in a review's body template.
const uidPlaceholder = "feastflow-load-uid-placeholder"

// Review is one AdmissionReview the load is made of. Every request sends
// it with a fresh uid, so a response can be matched to its request.
type Review struct {
	// Name identifies the review in reports (its file name).
	Name string
	// Kind and Operation are the request's, for reports.
	Kind, Operation string
	// WantAllowed, when set, is the decision every response must carry;
	// a response with the other one counts as a "decision" error.
	WantAllowed *bool
	prefix      []byte
	suffix      []byte
}

// ParseReview checks that data is an admission.k8s.io/v1 AdmissionReview
// with a request and a uid, and makes the body template of its requests.
func ParseReview(name string, data []byte) (*Review, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse review %s: %w", name, err)
	}
	if doc["apiVersion"] != "admission.k8s.io/v1" || doc["kind"] != "AdmissionReview" {
		return nil, fmt.Errorf("parse review %s: not an admission.k8s.io/v1 AdmissionReview", name)
	}
	req, _ := doc["request"].(map[string]any)
	if req == nil {
		return nil, fmt.Errorf("parse review %s: no request", name)
	}
	if uid, _ := req["uid"].(string); uid == "" {
		return nil, fmt.Errorf("parse review %s: request has no uid", name)
	}
	r := &Review{Name: name}
	r.Operation, _ = req["operation"].(string)
	if kind, ok := req["kind"].(map[string]any); ok {
		r.Kind, _ = kind["kind"].(string)
	}
	req["uid"] = uidPlaceholder
	compact, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode review %s: %w", name, err)
	}
	quoted := []byte(`"` + uidPlaceholder + `"`)
	if bytes.Count(compact, quoted) != 1 {
		return nil, fmt.Errorf("parse review %s: the uid placeholder is ambiguous", name)
	}
	i := bytes.Index(compact, quoted)
	r.prefix = compact[:i]
	r.suffix = compact[i+len(quoted):]
	return r, nil
}

// Body is the review's JSON with uid as its request uid.
func (r *Review) Body(uid string) []byte {
	b := make([]byte, 0, len(r.prefix)+len(uid)+2+len(r.suffix))
	b = append(b, r.prefix...)
	b = append(b, '"')
	b = append(b, uid...)
	b = append(b, '"')
	return append(b, r.suffix...)
}

// RequestUID is the uid of request i of a run tagged tag, shaped like the
// UUIDs the API server sends.
func RequestUID(tag uint32, i int) string {
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", tag, i)
}

// LoadReviews reads reviews from files and from the *.json files of
// directories, in name order.
func LoadReviews(paths []string) ([]*Review, error) {
	if len(paths) == 0 {
		return nil, errors.New("load reviews: no review files")
	}
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("load reviews: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(p, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("load reviews: %w", err)
		}
		sort.Strings(matches)
		files = append(files, matches...)
	}
	out := make([]*Review, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("load reviews: %w", err)
		}
		r, err := ParseReview(strings.TrimSuffix(filepath.Base(f), ".json"), data)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load reviews: no *.json in %s", strings.Join(paths, ", "))
	}
	return out, nil
}

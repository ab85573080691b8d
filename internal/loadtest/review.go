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

// uidPlaceholder stands for the request uid in a review's body template;
// tagPlaceholder for the value of the object's ObjectTagAnnotation.
const (
	uidPlaceholder = "feastflow-load-uid-placeholder"
	tagPlaceholder = "feastflow-load-tag-placeholder"
)

// ObjectTagAnnotation is the annotation every request's object carries, so
// that no two requests send the same object (a server that caches by
// object content must still evaluate each), unless Review.RepeatObject.
// No rule reads it.
const ObjectTagAnnotation = "load.feastflow.io/request"

// repeatedTag is the tag of every object of a review that RepeatObject.
const repeatedTag = "repeated"

// Review is one AdmissionReview the load is made of. Every request sends
// it with a fresh uid, so a response can be matched to its request, and
// with that uid as the value of its object's ObjectTagAnnotation.
type Review struct {
	// Name identifies the review in reports (its file name).
	Name string
	// Kind and Operation are the request's, for reports.
	Kind, Operation string
	// WantAllowed, when set, is the decision every response must carry;
	// a response with the other one counts as a "decision" error.
	WantAllowed *bool
	// RepeatObject sends the same object every time (the tag is constant),
	// as a GitOps controller re-applying an unchanged object does.
	RepeatObject bool
	// parts of the body around the placeholders; tags[i] says whether the
	// placeholder after parts[i] is the tag (else the uid).
	parts [][]byte
	tags  []bool
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
	if obj, ok := req["object"].(map[string]any); ok {
		meta, _ := obj["metadata"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
			obj["metadata"] = meta
		}
		ann, _ := meta["annotations"].(map[string]any)
		if ann == nil {
			ann = map[string]any{}
			meta["annotations"] = ann
		}
		ann[ObjectTagAnnotation] = tagPlaceholder
	}
	compact, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode review %s: %w", name, err)
	}
	if err := r.splitTemplate(compact); err != nil {
		return nil, fmt.Errorf("parse review %s: %w", name, err)
	}
	return r, nil
}

// splitTemplate cuts body at the quoted placeholders: one uid, at most one tag.
func (r *Review) splitTemplate(body []byte) error {
	uid, tag := []byte(`"`+uidPlaceholder+`"`), []byte(`"`+tagPlaceholder+`"`)
	if bytes.Count(body, uid) != 1 || bytes.Count(body, tag) > 1 {
		return errors.New("the uid placeholder is ambiguous")
	}
	for {
		i, j := bytes.Index(body, uid), bytes.Index(body, tag)
		switch {
		case i < 0 && j < 0:
			r.parts = append(r.parts, body)
			return nil
		case j < 0 || (i >= 0 && i < j):
			r.parts, r.tags = append(r.parts, body[:i]), append(r.tags, false)
			body = body[i+len(uid):]
		default:
			r.parts, r.tags = append(r.parts, body[:j]), append(r.tags, true)
			body = body[j+len(tag):]
		}
	}
}

// Body is the review's JSON with uid as its request uid and as its
// object's tag (or a constant tag when RepeatObject).
func (r *Review) Body(uid string) []byte {
	tag := uid
	if r.RepeatObject {
		tag = repeatedTag
	}
	n := 0
	for _, p := range r.parts {
		n += len(p) + len(uid) + 2
	}
	b := make([]byte, 0, n)
	for i, p := range r.parts {
		b = append(b, p...)
		if i == len(r.tags) {
			break
		}
		value := uid
		if r.tags[i] {
			value = tag
		}
		b = append(b, '"')
		b = append(b, value...)
		b = append(b, '"')
	}
	return b
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

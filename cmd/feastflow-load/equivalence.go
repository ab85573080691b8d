package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/feastflow/kubectl-feastflow/internal/loadtest"
)

// equivalence is how one review was answered by both servers.
type equivalence struct {
	Review  string   `json:"review"`
	Allowed bool     `json:"allowed"`
	RuleIDs []string `json:"rule_ids"`
}

// endpoint is one server the suite sends reviews to.
type endpoint struct {
	name   string
	url    string
	client *http.Client
}

// decide sends one review to e and returns its validated decision.
func (e endpoint) decide(ctx context.Context, r *loadtest.Review, uid string) (loadtest.Decision, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(r.Body(uid)))
	if err != nil {
		return loadtest.Decision{}, fmt.Errorf("%s: %w", e.name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		return loadtest.Decision{}, fmt.Errorf("%s: %w", e.name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return loadtest.Decision{}, fmt.Errorf("%s: read response: %w", e.name, err)
	}
	d, failure := loadtest.CheckResponse(resp.StatusCode, body, uid)
	if failure != nil {
		return loadtest.Decision{}, fmt.Errorf("%s: %w", e.name, failure)
	}
	return d, nil
}

// checkEquivalence sends every review to both endpoints and fails unless
// they agree on allowed and on the set of rule ids. On success each
// review's WantAllowed is set, so the load also checks every decision.
func checkEquivalence(ctx context.Context, a, b endpoint, reviews []*loadtest.Review, known map[string]bool) ([]equivalence, error) {
	var out []equivalence
	var mismatches []string
	for i, r := range reviews {
		uid := loadtest.RequestUID(0xe9e9, i)
		da, err := a.decide(ctx, r, uid)
		if err != nil {
			return nil, fmt.Errorf("equivalence of %s: %w", r.Name, err)
		}
		db, err := b.decide(ctx, r, uid)
		if err != nil {
			return nil, fmt.Errorf("equivalence of %s: %w", r.Name, err)
		}
		idsA, idsB := da.RuleIDs(known), db.RuleIDs(known)
		if da.Allowed != db.Allowed || !slices.Equal(idsA, idsB) {
			mismatches = append(mismatches, fmt.Sprintf("%s: %s allowed=%t %v, %s allowed=%t %v",
				r.Name, a.name, da.Allowed, idsA, b.name, db.Allowed, idsB))
			continue
		}
		allowed := da.Allowed
		r.WantAllowed = &allowed
		out = append(out, equivalence{Review: r.Name, Allowed: allowed, RuleIDs: idsA})
	}
	if len(mismatches) > 0 {
		return out, fmt.Errorf("equivalence: %d of %d reviews differ:\n  %s", len(mismatches), len(reviews), strings.Join(mismatches, "\n  "))
	}
	return out, nil
}

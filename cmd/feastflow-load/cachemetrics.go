package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// cacheMetric is the webhook's findings cache counter, by result.
const cacheMetric = "feastflow_webhook_findings_cache_requests_total"

// cacheStats are the findings cache lookups of one load phase.
type cacheStats struct {
	Hits    float64 `json:"hits"`
	Misses  float64 `json:"misses"`
	HitRate float64 `json:"hit_rate"`
}

// scrapeCache reads the findings cache counters from the webhook's
// /metrics; ok is false when the server exports none (a webhook built
// before the cache).
func scrapeCache(ctx context.Context, url string) (hits, misses float64, ok bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, 0, false, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, false, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return 0, 0, false, fmt.Errorf("scrape %s: %w", url, err)
	}
	family, ok := families[cacheMetric]
	if !ok {
		return 0, 0, false, nil
	}
	for _, m := range family.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() != "result" {
				continue
			}
			switch l.GetValue() {
			case "hit":
				hits = m.GetCounter().GetValue()
			case "miss":
				misses = m.GetCounter().GetValue()
			}
		}
	}
	return hits, misses, true, nil
}

// cacheDelta is what happened to the cache between two scrapes.
func cacheDelta(hits0, misses0, hits1, misses1 float64) *cacheStats {
	s := &cacheStats{Hits: hits1 - hits0, Misses: misses1 - misses0}
	if total := s.Hits + s.Misses; total > 0 {
		s.HitRate = s.Hits / total
	}
	return s
}

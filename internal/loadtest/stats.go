// Package loadtest drives open-loop, constant-rate load of AdmissionReviews
// against an HTTPS admission endpoint (the feastflow webhook or OPA) and
// summarises what it measured: exact latency percentiles, throughput,
// errors by kind, and the server's memory from /proc.
package loadtest

import (
	"math"
	"sort"
	"time"
)

// Summary is the latency distribution of one run, computed exactly from
// every recorded sample (no bucketing).
type Summary struct {
	Count int           `json:"count"`
	Min   time.Duration `json:"min_ns"`
	P50   time.Duration `json:"p50_ns"`
	P90   time.Duration `json:"p90_ns"`
	P99   time.Duration `json:"p99_ns"`
	P999  time.Duration `json:"p999_ns"`
	Max   time.Duration `json:"max_ns"`
	Mean  time.Duration `json:"mean_ns"`
}

// Summarize sorts samples in place and returns their percentiles.
func Summarize(samples []time.Duration) Summary {
	if len(samples) == 0 {
		return Summary{}
	}
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	var total time.Duration
	for _, s := range samples {
		total += s
	}
	return Summary{
		Count: len(samples),
		Min:   samples[0],
		P50:   Quantile(samples, 0.50),
		P90:   Quantile(samples, 0.90),
		P99:   Quantile(samples, 0.99),
		P999:  Quantile(samples, 0.999),
		Max:   samples[len(samples)-1],
		Mean:  total / time.Duration(len(samples)),
	}
}

// Quantile returns the q-quantile (0 <= q <= 1) of sorted samples by the
// nearest-rank method HdrHistogram uses: the smallest sample such that at
// least q of all samples are less than or equal to it. It is zero for no
// samples.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	if rank > n {
		rank = n
	}
	return sorted[rank-1]
}

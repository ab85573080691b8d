package loadtest

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Result is what one run measured.
type Result struct {
	Name     string        `json:"name"`
	URL      string        `json:"url"`
	Rate     float64       `json:"rate_rps"`
	Duration time.Duration `json:"duration_ns"`
	// Scheduled is how many requests the schedule held; Sent how many
	// were dispatched; OK how many got a valid answer.
	Scheduled int `json:"scheduled"`
	Sent      int `json:"sent"`
	OK        int `json:"ok"`
	// Errors counts failed requests by kind (ErrTransport, ...).
	Errors map[string]int `json:"errors"`
	// ErrorSamples are the first few failures, for diagnosis.
	ErrorSamples []string `json:"error_samples,omitempty"`
	// Latency is from each request's scheduled time to its last byte,
	// over every request (failed ones too).
	Latency Summary `json:"latency"`
	// Service is from the actual send to the last byte: Latency without
	// the dispatcher's lateness. Informative only.
	Service Summary `json:"service"`
	// SendLag is how late the dispatcher sent requests.
	SendLag Summary `json:"send_lag"`
	// Throughput is valid answers per second, from the first scheduled
	// send to the last answer.
	Throughput float64 `json:"throughput_rps"`
	// Protocols counts the HTTP versions answers came over.
	Protocols map[string]int `json:"protocols"`
	// Server is the server's memory after the run, when a pid was given.
	Server *Memory `json:"server_memory,omitempty"`
}

const maxErrorSamples = 5

func newResult(o Options, start time.Time, samples []sample) *Result {
	r := &Result{
		Name: o.Name, URL: o.URL, Rate: o.Schedule.Rate, Duration: o.Schedule.Duration,
		Scheduled: o.Schedule.Count(), Sent: len(samples),
		Errors: map[string]int{}, Protocols: map[string]int{},
	}
	latency := make([]time.Duration, 0, len(samples))
	service := make([]time.Duration, 0, len(samples))
	lag := make([]time.Duration, 0, len(samples))
	last := start
	for _, s := range samples {
		latency, service, lag = append(latency, s.latency), append(service, s.service), append(lag, s.lag)
		if s.proto != "" {
			r.Protocols[s.proto]++
		}
		if s.done.After(last) {
			last = s.done
		}
		if s.failure != nil {
			r.Errors[s.failure.Kind]++
			if len(r.ErrorSamples) < maxErrorSamples {
				r.ErrorSamples = append(r.ErrorSamples, s.failure.Error())
			}
			continue
		}
		r.OK++
	}
	r.Latency, r.Service, r.SendLag = Summarize(latency), Summarize(service), Summarize(lag)
	if elapsed := last.Sub(start); elapsed > 0 {
		r.Throughput = float64(r.OK) / elapsed.Seconds()
	}
	return r
}

// ErrorCount is the number of failed requests, plus scheduled requests
// never sent.
func (r *Result) ErrorCount() int {
	n := r.Scheduled - r.Sent
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// WriteText prints the result for people.
func (r *Result) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%s  %s  %.0f rps x %s: %d scheduled, %d sent, %d ok, %d errors%s\n",
		r.Name, r.URL, r.Rate, r.Duration, r.Scheduled, r.Sent, r.OK, r.ErrorCount(), formatCounts(r.Errors))
	fmt.Fprintf(w, "  latency   p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (from scheduled send)\n",
		Ms(r.Latency.P50), Ms(r.Latency.P90), Ms(r.Latency.P99), Ms(r.Latency.P999), Ms(r.Latency.Max))
	fmt.Fprintf(w, "  service   p50 %s  p99 %s  max %s; send lag p99 %s max %s\n",
		Ms(r.Service.P50), Ms(r.Service.P99), Ms(r.Service.Max), Ms(r.SendLag.P99), Ms(r.SendLag.Max))
	fmt.Fprintf(w, "  throughput %.1f rps over %s\n", r.Throughput, formatCounts(r.Protocols))
	if r.Server != nil {
		fmt.Fprintf(w, "  server    peak RSS (VmHWM) %s, RSS at end (VmRSS) %s\n", MiB(r.Server.PeakRSS), MiB(r.Server.RSS))
	}
	for _, s := range r.ErrorSamples {
		fmt.Fprintf(w, "  error: %s\n", s)
	}
}

func formatCounts(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// Ms formats a duration in milliseconds with microsecond precision.
func Ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

// MiB formats a byte count in mebibytes.
func MiB(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

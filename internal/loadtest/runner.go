package loadtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Options are one open-loop run against one endpoint.
type Options struct {
	// Name labels the run in reports (e.g. "webhook", "opa").
	Name string
	// URL is where reviews are POSTed.
	URL string
	// Client sends them (NewClient).
	Client *http.Client
	// Schedule is the rate and duration of the measured run.
	Schedule Schedule
	// Warmup runs the same rate this long first, unmeasured; 0 skips it.
	Warmup time.Duration
	// Reviews are sent in turn.
	Reviews []*Review
}

// Run sends the reviews on schedule and measures every answer. Latency is
// from each request's scheduled time, so time a request spent waiting on
// a late dispatcher or a busy connection counts against the server. An
// error is returned only when the run could not happen at all; failed
// requests are counted in the Result.
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.Schedule.Validate(); err != nil {
		return nil, fmt.Errorf("run %s: %w", o.Name, err)
	}
	if len(o.Reviews) == 0 || o.Client == nil {
		return nil, errors.New("run " + o.Name + ": no reviews or no client")
	}
	if o.Warmup > 0 {
		warm := o
		warm.Schedule.Duration, warm.Warmup = o.Warmup, 0
		if _, err := runOnce(ctx, warm); err != nil {
			return nil, err
		}
	}
	return runOnce(ctx, o)
}

// sample is what one request recorded.
type sample struct {
	latency, service, lag time.Duration
	failure               *Failure
	proto                 string
	done                  time.Time
}

func runOnce(ctx context.Context, o Options) (*Result, error) {
	n := o.Schedule.Count()
	samples := make([]sample, n)
	tag := rand.Uint32()
	var wg sync.WaitGroup
	pacer := newPacer()
	start := time.Now().Add(5 * time.Millisecond)
	sent := 0
	for i := 0; i < n; i++ {
		due := start.Add(o.Schedule.Offset(i))
		pacer.waitUntil(due)
		if ctx.Err() != nil {
			break
		}
		sent++
		wg.Add(1)
		go func(i int, due time.Time) {
			defer wg.Done()
			review := o.Reviews[i%len(o.Reviews)]
			samples[i] = send(ctx, o, review, RequestUID(tag, i), due)
		}(i, due)
	}
	pacer.stop()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("run %s: %w", o.Name, err)
	}
	return newResult(o, start, samples[:sent]), nil
}

func send(ctx context.Context, o Options, review *Review, uid string, due time.Time) (s sample) {
	begin := time.Now()
	s.lag = begin.Sub(due)
	defer func() {
		s.done = time.Now()
		s.latency, s.service = s.done.Sub(due), s.done.Sub(begin)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.URL, bytes.NewReader(review.Body(uid)))
	if err != nil {
		s.failure = &Failure{Kind: ErrTransport, Err: err}
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := o.Client.Do(req)
	if err != nil {
		s.failure = &Failure{Kind: ErrTransport, Err: err}
		return
	}
	defer resp.Body.Close()
	s.proto = resp.Proto
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.failure = &Failure{Kind: ErrTransport, Err: fmt.Errorf("read body: %w", err)}
		return
	}
	d, failure := CheckResponse(resp.StatusCode, body, uid)
	if failure == nil && review.WantAllowed != nil && d.Allowed != *review.WantAllowed {
		failure = fail(ErrDecision, "%s: allowed=%t, want %t", review.Name, d.Allowed, *review.WantAllowed)
	}
	s.failure = failure
	return
}

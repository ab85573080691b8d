package loadtest

import (
	"errors"
	"math"
	"time"
)

// Schedule is an open-loop arrival schedule: request i is due at
// Offset(i) after the start, whatever happened to earlier requests, so a
// slow server cannot slow the load down and hide its own latency
// (coordinated omission).
type Schedule struct {
	// Rate is requests per second.
	Rate float64
	// Duration is how long requests keep being scheduled.
	Duration time.Duration
}

// Validate rejects schedules that send nothing or cannot be timed.
func (s Schedule) Validate() error {
	if s.Rate <= 0 || math.IsInf(s.Rate, 0) || math.IsNaN(s.Rate) {
		return errors.New("rate must be a positive number of requests per second")
	}
	if s.Duration <= 0 {
		return errors.New("duration must be positive")
	}
	if s.Count() == 0 {
		return errors.New("rate x duration schedules no request")
	}
	return nil
}

// Count is the number of requests the schedule sends: every i with
// Offset(i) < Duration.
func (s Schedule) Count() int {
	n := int(math.Ceil(s.Duration.Seconds() * s.Rate))
	for n > 0 && s.Offset(n-1) >= s.Duration {
		n--
	}
	return n
}

// Offset is when request i is due, from the start. It is computed from i
// directly, so rounding never accumulates over a long run.
func (s Schedule) Offset(i int) time.Duration {
	return time.Duration(math.Round(float64(i) * float64(time.Second) / s.Rate))
}

// Interval is the nominal time between two requests.
func (s Schedule) Interval() time.Duration {
	return time.Duration(float64(time.Second) / s.Rate)
}

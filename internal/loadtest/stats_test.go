package loadtest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func TestQuantile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = ms(float64(i + 1))
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one sample is every quantile", []time.Duration{ms(7)}, 0.999, ms(7)},
		{"median of 1..100 is the 50th", hundred, 0.50, ms(50)},
		{"p90 of 1..100", hundred, 0.90, ms(90)},
		{"p99 of 1..100", hundred, 0.99, ms(99)},
		{"p99.9 of 1..100 is the max", hundred, 0.999, ms(100)},
		{"q=0 is the min", hundred, 0, ms(1)},
		{"q=1 is the max", hundred, 1, ms(100)},
		{"nearest rank rounds up", []time.Duration{ms(1), ms(2), ms(3)}, 0.5, ms(2)},
		{"just above a rank", []time.Duration{ms(1), ms(2), ms(3), ms(4)}, 0.51, ms(3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Quantile(tt.sorted, tt.q))
		})
	}
}

func TestSummarize(t *testing.T) {
	samples := []time.Duration{ms(5), ms(1), ms(3), ms(2), ms(4)}
	s := Summarize(samples)
	require.Equal(t, 5, s.Count)
	assert.Equal(t, ms(1), s.Min)
	assert.Equal(t, ms(3), s.P50)
	assert.Equal(t, ms(5), s.P99)
	assert.Equal(t, ms(5), s.Max)
	assert.Equal(t, ms(3), s.Mean)
	assert.Equal(t, Summary{}, Summarize(nil))
}

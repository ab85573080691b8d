package loadtest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestScheduleCount(t *testing.T) {
	tests := []struct {
		name     string
		schedule Schedule
		want     int
	}{
		{"1000 rps for 30 s", Schedule{Rate: 1000, Duration: 30 * time.Second}, 30000},
		{"200 rps for 10 s", Schedule{Rate: 200, Duration: 10 * time.Second}, 2000},
		{"fractional rate", Schedule{Rate: 2.5, Duration: 2 * time.Second}, 5},
		{"duration not a multiple of the interval", Schedule{Rate: 3, Duration: 1100 * time.Millisecond}, 4},
		{"shorter than one interval still sends the first", Schedule{Rate: 1, Duration: time.Millisecond}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.schedule.Count())
			assert.NoError(t, tt.schedule.Validate())
		})
	}
}

func TestScheduleOffset(t *testing.T) {
	s := Schedule{Rate: 3, Duration: time.Hour}
	tests := []struct {
		i    int
		want time.Duration
	}{
		{0, 0},
		{1, 333333333},
		{2, 666666667},
		{3, time.Second},
		// computed from i, so no drift accumulates over a long run
		{3 * 3600, time.Hour},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.Offset(tt.i), "offset of request %d", tt.i)
	}
	assert.Equal(t, time.Millisecond, Schedule{Rate: 1000}.Interval())
}

func TestScheduleOffsetsAreOpenLoop(t *testing.T) {
	s := Schedule{Rate: 1000, Duration: 30 * time.Second}
	n := s.Count()
	for i := 1; i < n; i++ {
		gap := s.Offset(i) - s.Offset(i-1)
		if gap != time.Millisecond {
			t.Fatalf("gap before request %d is %s, want 1ms", i, gap)
		}
	}
	assert.Less(t, s.Offset(n-1), s.Duration)
}

func TestScheduleValidate(t *testing.T) {
	for name, s := range map[string]Schedule{
		"zero rate":         {Rate: 0, Duration: time.Second},
		"negative rate":     {Rate: -1, Duration: time.Second},
		"zero duration":     {Rate: 10, Duration: 0},
		"negative duration": {Rate: 10, Duration: -time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, s.Validate())
		})
	}
}

package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
)

// TestBookkeep drives the "alert once per incident" bookkeeping through
// sequences of runs, without starting a process: each step is one run's
// outcome and the service's class then, and what run must do about it.
func TestBookkeep(t *testing.T) {
	t.Parallel()
	const (
		ok, fail, skip = outcomeOK, outcomeFailed, outcomeSkipped
		mal, maint     = classify.Malfunction, classify.Maintenance
	)
	type step struct {
		after time.Duration // since the previous run
		o     outcome
		class classify.Class
		want  action
	}
	tests := []struct {
		name       string
		alertAfter time.Duration
		steps      []step
	}{
		{"success passes", 0, []step{{0, ok, 0, actPass}, {time.Hour, ok, 0, actPass}}},
		{"an outage alerts once", 0, []step{
			{0, fail, mal, actAlert}, {time.Hour, fail, mal, actRepeat}, {time.Hour, fail, classify.Network, actRepeat},
			{time.Hour, ok, 0, actPass}, {time.Hour, fail, mal, actAlert},
		}},
		{"maintenance is quiet and leaves the incident open", 0, []step{
			{0, fail, mal, actAlert}, {time.Hour, fail, maint, actQuiet}, {time.Hour, fail, mal, actRepeat},
		}},
		{"maintenance past alert-after alerts once", 12 * time.Hour, []step{
			{0, fail, maint, actQuiet}, {6 * time.Hour, skip, 0, actQuiet}, {6 * time.Hour, fail, maint, actOverdue},
			{time.Hour, fail, maint, actQuiet}, {24 * time.Hour, skip, 0, actQuiet},
		}},
		{"a maintenance that ends starts the clock again", 12 * time.Hour, []step{
			{0, fail, maint, actQuiet}, {11 * time.Hour, ok, 0, actPass}, {time.Minute, fail, maint, actQuiet},
			{11 * time.Hour, fail, maint, actQuiet}, {time.Hour, fail, maint, actOverdue},
		}},
		{"an outage ends the maintenance", 12 * time.Hour, []step{
			{0, fail, maint, actQuiet}, {11 * time.Hour, fail, mal, actAlert}, {2 * time.Hour, fail, maint, actQuiet},
		}},
		{"alert-after 0 never alerts", 0, []step{
			{0, fail, maint, actQuiet}, {1000 * time.Hour, fail, maint, actQuiet},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			var st jobState
			for i, s := range tt.steps {
				now = now.Add(s.after)
				var r ruling
				st, r = bookkeep(st, s.o, s.class, now, tt.alertAfter)
				require.Equal(t, s.want, r.act, "step %d", i)
				assert.Equal(t, now, st.LastRun)
				assert.Equal(t, s.o.String(), st.LastOutcome)
			}
		})
	}
}

// TestBookkeepDetails: what a ruling carries, and the counts kept.
func TestBookkeepDetails(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st, r := bookkeep(jobState{}, outcomeFailed, classify.Malfunction, t0, 0)
	require.Equal(t, actAlert, r.act)
	st, _ = bookkeep(st, outcomeFailed, classify.Network, t0.Add(time.Hour), 0)
	st, r = bookkeep(st, outcomeOK, 0, t0.Add(2*time.Hour), 0)
	require.NotNil(t, r.recovered)
	assert.Equal(t, 2, r.recovered.Failures)
	assert.Equal(t, t0, r.recovered.Since)
	assert.Equal(t, "malfunction", r.recovered.Class)
	assert.Nil(t, st.Incident)

	st, _ = bookkeep(st, outcomeFailed, classify.Maintenance, t0.Add(3*time.Hour), time.Hour)
	before := *st.Maintenance
	st, r = bookkeep(st, outcomeSkipped, 0, t0.Add(5*time.Hour), time.Hour)
	require.Equal(t, actOverdue, r.act)
	assert.Equal(t, t0.Add(3*time.Hour), r.maintenance.Since)
	assert.Equal(t, 2, r.maintenance.Runs)
	assert.True(t, st.Maintenance.Alerted)
	assert.False(t, before.Alerted, "the state given is not modified")
	assert.Empty(t, st.LastClass, "a skip does not check the failure's class")
}

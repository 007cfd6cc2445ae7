package testserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTimeline(t *testing.T) {
	tests := []struct {
		in      string
		want    Timeline
		wantErr string
	}{
		{in: "ok", want: Timeline{{"ok", 0}}},
		{in: "ok:2s,django:5s,ok", want: Timeline{{"ok", 2 * time.Second}, {"django", 5 * time.Second}, {"ok", 0}}},
		{in: "ok 2s, retry-after-seconds 5s, ok", want: Timeline{{"ok", 2 * time.Second}, {"retry-after-seconds", 5 * time.Second}, {"ok", 0}}},
		{in: " ok : 1m30s ,\tdjango ", want: Timeline{{"ok", 90 * time.Second}, {"django", 0}}},
		{in: "django:1h", want: Timeline{{"django", time.Hour}}},
		{in: "", wantErr: "empty timeline"},
		{in: "   ", wantErr: "empty timeline"},
		{in: "ok:2s,", wantErr: "step 2 is empty"},
		{in: ",ok", wantErr: "step 1 is empty"},
		{in: "ok,django", wantErr: "step 1 (ok) needs a duration"},
		{in: "ok:", wantErr: "empty duration"},
		{in: "ok:2", wantErr: "bad duration"},
		{in: "ok:0s,ok", wantErr: "must be positive"},
		{in: "ok:-1s,ok", wantErr: "must be positive"},
		{in: "ok 2s extra", wantErr: "want MODE:DURATION"},
		{in: "nope:2s,ok", wantErr: `step 1: unknown mode "nope"; valid modes: ok, retry-after-seconds`},
		{in: "nope", wantErr: `testserver: unknown mode "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTimeline(tt.in)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				var te *TimelineError
				require.ErrorAs(t, err, &te, "a typed error")
				assert.Equal(t, "testserver: "+te.Reason, err.Error())
				assert.NotContains(t, te.Reason, "testserver:")
				var ume *UnknownModeError
				assert.Equal(t, strings.Contains(tt.wantErr, "unknown mode"), errors.As(err, &ume), "an unknown mode is an *UnknownModeError too")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := ParseTimeline(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again)
		})
	}
}

func TestStepAt(t *testing.T) {
	steps := []Step{{"ok", 2 * time.Second}, {"django", 5 * time.Second}, {"laravel", time.Second}}
	tests := []struct {
		elapsed time.Duration
		i       int
		in      time.Duration
	}{
		{-time.Second, 0, 0},
		{0, 0, 0},
		{1999 * time.Millisecond, 0, 1999 * time.Millisecond},
		{2 * time.Second, 1, 0},
		{6 * time.Second, 1, 4 * time.Second},
		{7 * time.Second, 2, 0},
		{time.Hour, 2, time.Hour - 7*time.Second}, // the last mode stays
	}
	for _, tt := range tests {
		i, in := stepAt(steps, tt.elapsed)
		assert.Equal(t, tt.i, i, "at %v", tt.elapsed)
		assert.Equal(t, tt.in, in, "at %v", tt.elapsed)
	}
}

// A whole maintenance window, on the bubble's fake clock, through Handler.
func TestTimelineSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		steps, err := ParseTimeline("ok:2s,retry-after-seconds:5s,ok")
		require.NoError(t, err)
		s, err := StartInMemory(Config{Timeline: steps, RetryAfter: 5 * time.Second})
		require.NoError(t, err)
		defer s.Close()

		modeAt := func() (string, int, string) {
			w := serve(s, http.MethodGet, "/", nil)
			return s.Mode(), w.Code, w.Header().Get("Retry-After")
		}
		mode, code, _ := modeAt()
		assert.Equal(t, "ok", mode)
		assert.Equal(t, 200, code)

		time.Sleep(2 * time.Second)
		mode, code, ra := modeAt()
		assert.Equal(t, "retry-after-seconds", mode)
		assert.Equal(t, 503, code)
		assert.Equal(t, "5", ra)

		time.Sleep(4999 * time.Millisecond)
		_, code, _ = modeAt()
		assert.Equal(t, 503, code)

		time.Sleep(time.Millisecond)
		mode, code, _ = modeAt()
		assert.Equal(t, "ok", mode)
		assert.Equal(t, 200, code)

		time.Sleep(time.Hour)
		assert.Equal(t, "ok", s.Mode())

		var modes []string
		for _, r := range s.Requests() {
			modes = append(modes, r.Mode)
		}
		assert.Equal(t, []string{"ok", "retry-after-seconds", "retry-after-seconds", "ok"}, modes)
	})
}

// The announced end of a maintenance is the end of its timeline step.
func TestTimelineUntil(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := StartInMemory(Config{Timeline: []Step{{"ok", time.Second}, {"probe-only", 3 * time.Second}, {"ok", 0}}})
		require.NoError(t, err)
		defer s.Close()
		start := time.Now()
		time.Sleep(1500 * time.Millisecond)

		var probe struct{ Until string }
		w := serve(s, http.MethodGet, ProbePath, nil)
		require.Equal(t, 200, w.Code)
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &probe))
		assert.Equal(t, start.Add(4*time.Second).UTC().Format(time.RFC3339), probe.Until)

		require.NoError(t, s.SetMode("statuspage-maintenance"))
		var sum struct {
			ScheduledMaintenances []struct {
				ScheduledFor   string `json:"scheduled_for"`
				ScheduledUntil string `json:"scheduled_until"`
			} `json:"scheduled_maintenances"`
		}
		require.NoError(t, json.Unmarshal(serve(s, http.MethodGet, StatusPagePath, nil).Body.Bytes(), &sum))
		require.Len(t, sum.ScheduledMaintenances, 1)
		assert.Equal(t, spTime(time.Now()), sum.ScheduledMaintenances[0].ScheduledFor)
		assert.Equal(t, spTime(time.Now().Add(defaultWindow)), sum.ScheduledMaintenances[0].ScheduledUntil)
	})
}

// SetMode replaces a running timeline.
func TestSetModeReplacesTimeline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := StartInMemory(Config{Timeline: []Step{{"django", time.Second}, {"ok", 0}}})
		require.NoError(t, err)
		defer s.Close()
		require.NoError(t, s.SetMode("throttled"))
		time.Sleep(2 * time.Second)
		assert.Equal(t, "throttled", s.Mode())
		steps, _ := s.Timeline()
		assert.Equal(t, Timeline{{"throttled", 0}}, steps)
		var te *TimelineError
		require.ErrorAs(t, s.SetTimeline(nil), &te)
		require.ErrorAs(t, s.SetTimeline([]Step{{"ok", -time.Second}}), &te)
		assert.Equal(t, "timeline step 1 (ok): negative duration", te.Reason)
		var ume *UnknownModeError
		require.ErrorAs(t, s.SetMode("nope"), &ume)
		assert.Equal(t, "nope", ume.Name)
		assert.Equal(t, "throttled", s.Mode())
	})
}

// A client drives the in-memory server through a whole window: the way a
// retrying client's tests count its requests without sockets.
func TestInMemoryTransportSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := StartInMemory(Config{Timeline: []Step{{"retry-after-seconds", 3 * time.Second}, {"ok", 0}}, RetryAfter: 3 * time.Second})
		require.NoError(t, err)
		defer s.Close()
		c := s.Client()
		start := time.Now()
		var codes []int
		for {
			resp, err := c.Get("http://service.test/things")
			require.NoError(t, err)
			_ = readAll(t, resp)
			codes = append(codes, resp.StatusCode)
			if resp.StatusCode == 200 {
				break
			}
			secs, err := time.ParseDuration(resp.Header.Get("Retry-After") + "s")
			require.NoError(t, err)
			time.Sleep(secs)
		}
		assert.Equal(t, []int{503, 200}, codes)
		assert.Equal(t, 3*time.Second, time.Since(start))
		require.Len(t, s.Requests(), 2)
		assert.Equal(t, "127.0.0.1:49152", s.Requests()[0].RemoteAddr)
	})
}

func TestInMemoryTransportNetworkModes(t *testing.T) {
	t.Run("reset", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "reset"})
		_, err := s.Client().Get("http://x.test/")
		require.Error(t, err)
		assert.True(t, errors.Is(err, syscall.ECONNRESET), "%v", err)
	})
	t.Run("garbage", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "garbage"})
		_, err := s.Client().Get("http://x.test/")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "malformed HTTP response")
	})
	t.Run("hang", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			s, err := StartInMemory(Config{Mode: "hang"})
			require.NoError(t, err)
			defer s.Close()
			c := &http.Client{Transport: s.InMemoryTransport(), Timeout: 5 * time.Second}
			start := time.Now()
			_, err = c.Get("http://x.test/")
			require.Error(t, err)
			assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
			assert.Equal(t, 5*time.Second, time.Since(start))
		})
	})
	t.Run("hang until close", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			s, err := StartInMemory(Config{Mode: "probe-hang"})
			require.NoError(t, err)
			go func() {
				time.Sleep(time.Second)
				s.Close()
			}()
			_, err = s.Client().Get("http://x.test" + ProbePath)
			assert.ErrorIs(t, err, io.EOF)
		})
	})
	t.Run("slow-body", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			s, err := StartInMemory(Config{Mode: "slow-body"})
			require.NoError(t, err)
			defer s.Close()
			ctx, cancel := context.WithTimeout(t.Context(), 10500*time.Millisecond)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://x.test/", nil)
			require.NoError(t, err)
			resp, err := s.Client().Do(req)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, "..........", string(b)) // ten bytes in ten and a half seconds
		})
	})
	t.Run("huge-body", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "huge-body"})
		resp, err := s.Client().Get("http://x.test/")
		require.NoError(t, err)
		assert.Equal(t, defaultHugeBody, resp.ContentLength)
		n, err := io.CopyN(io.Discard, resp.Body, 10<<20)
		require.NoError(t, err)
		assert.Equal(t, int64(10<<20), n)
		require.NoError(t, resp.Body.Close()) // stops the handler; Close waits for it
	})
	t.Run("huge-body cut short", func(t *testing.T) {
		s, err := StartInMemory(Config{Mode: "huge-body"})
		require.NoError(t, err)
		resp, err := s.Client().Get("http://x.test/")
		require.NoError(t, err)
		defer resp.Body.Close()
		go func() {
			_, _ = io.CopyN(io.Discard, resp.Body, 1<<20)
			s.Close()
		}()
		_, err = io.Copy(io.Discard, resp.Body)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	})
	t.Run("head", func(t *testing.T) {
		s := inMemory(t, Config{})
		resp, err := s.Client().Head("http://x.test/")
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Empty(t, readAll(t, resp))
	})
	t.Run("cancelled before", func(t *testing.T) {
		s := inMemory(t, Config{})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://x.test/", nil)
		require.NoError(t, err)
		_, err = s.Client().Do(req)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestClosedServer(t *testing.T) {
	s, err := StartInMemory(Config{})
	require.NoError(t, err)
	s.Close()
	s.Close() // twice is fine
	assert.Equal(t, 503, serve(s, http.MethodGet, "/", nil).Code)
}

// Close does not wait for an in-memory body that nobody reads.
func TestCloseUnreadInMemoryBody(t *testing.T) {
	s, err := StartInMemory(Config{Mode: "huge-body"})
	require.NoError(t, err)
	resp, err := s.Client().Get("http://x.test/")
	require.NoError(t, err)
	defer resp.Body.Close()
	done := make(chan struct{})
	go func() {
		s.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for an unread body")
	}
	_, err = io.Copy(io.Discard, resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

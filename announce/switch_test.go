package announce_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/announce"
)

// app is the service behind the switch: 200 "app" on every path.
var app = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "app")
})

type answer struct {
	status int
	header http.Header
	body   string
}

// serve sends one request through h in memory.
func serve(t *testing.T, h http.Handler, method, target string, header map[string]string) answer {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = "203.0.113.7:4711"
	for k, v := range header {
		if k == "RemoteAddr" {
			req.RemoteAddr = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return answer{status: res.StatusCode, header: res.Header, body: string(body)}
}

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &m), "body %q", body)
	return m
}

// TestOff: a switch that is off passes every request to the service, and
// the probe answers 404 (protocol P6).
func TestOff(t *testing.T) {
	var sw announce.Switch
	h := sw.Handler(app)
	for _, method := range []string{"GET", "POST", "DELETE"} {
		a := serve(t, h, method, "/orders", nil)
		assert.Equal(t, 200, a.status)
		assert.Equal(t, "app", a.body)
	}
	p := serve(t, h, "GET", announce.ProbePath, nil)
	assert.Equal(t, 404, p.status, "protocol P6: 404 outside maintenance")
	assert.Equal(t, "no-store", p.header.Get("Cache-Control"))
	assert.False(t, sw.State().On)
}

// TestEveryRequest: during maintenance every path and method gets the 503
// (protocol P1), with no-store and Vary: Accept (protocol P5).
func TestEveryRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sw announce.Switch
		sw.Start(time.Now().Add(10*time.Minute), "Upgrading the database.")
		h := sw.Handler(app)
		for _, method := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			for _, path := range []string{"/", "/orders/17", "/health", "/down-for-maintenance-not"} {
				name := method + " " + path
				a := serve(t, h, method, path, nil)
				assert.Equal(t, 503, a.status, "protocol P1: %s", name)
				assert.Equal(t, "no-store", a.header.Get("Cache-Control"), "protocol P5: %s", name)
				assert.Contains(t, a.header.Values("Vary"), "Accept", "protocol P5: %s", name)
				assert.Equal(t, "600", a.header.Get("Retry-After"), "protocol P2: %s", name)
				if method == "HEAD" {
					assert.Empty(t, a.body, name)
				} else {
					assert.NotContains(t, a.body, "app", name)
				}
			}
		}
	})
}

// TestRetryAfter: the remaining window in delta-seconds, rounded up, never
// below 60 s; none when the end is unknown or has passed (protocol P2, P9).
func TestRetryAfter(t *testing.T) {
	cases := []struct {
		name  string
		until time.Duration // from now; 0 for an unknown end
		after time.Duration // time passed since Start
		want  string        // "" for no header
	}{
		{"whole window", 10 * time.Minute, 0, "600"},
		{"part of it passed", 10 * time.Minute, 4*time.Minute + 30*time.Second, "330"},
		{"rounded up", 90*time.Second + time.Millisecond, 0, "91"},
		{"short window raised to the minimum (protocol P12)", 20 * time.Second, 0, "60"},
		{"last seconds raised to the minimum", 10 * time.Minute, 10*time.Minute - time.Second, "60"},
		{"unknown end", 0, 0, ""},
		{"overran", 10 * time.Minute, 11 * time.Minute, ""},
		{"exactly at the end", 10 * time.Minute, 10 * time.Minute, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var sw announce.Switch
				var until time.Time
				if tc.until > 0 {
					until = time.Now().Add(tc.until)
				}
				sw.Start(until, "")
				time.Sleep(tc.after)
				a := serve(t, sw.Handler(app), "GET", "/", nil)
				require.Equal(t, 503, a.status)
				assert.Equal(t, tc.want, a.header.Get("Retry-After"), "protocol P2")
			})
		})
	}
}

// TestBodies: the body is negotiated by Accept and says maintenance
// explicitly in each form (protocol P3, P4, P5).
func TestBodies(t *testing.T) {
	cases := []struct {
		accept string
		ctype  string
	}{
		{"", "application/json"},                 // Go's client sends no Accept
		{"*/*", "application/json"},              // curl
		{"application/json", "application/json"}, // API clients
		{"application/problem+json, */*;q=0.1", "application/json"},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html; charset=utf-8"}, // Firefox
		{"text/plain", "text/plain; charset=utf-8"},
		{"text/*", "text/plain; charset=utf-8"},
		{"application/xml", "text/plain; charset=utf-8"},           // nothing on offer: plain text
		{"application/json;q=0, */*", "text/plain; charset=utf-8"}, // JSON refused
	}
	for _, tc := range cases {
		t.Run(tc.accept, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var sw announce.Switch
				sw.Start(time.Now().Add(time.Hour), "Moving to <new> servers & disks.")
				hdr := map[string]string{}
				if tc.accept != "" {
					hdr["Accept"] = tc.accept
				}
				a := serve(t, sw.Handler(app), "GET", "/v1/orders", hdr)
				require.Equal(t, 503, a.status)
				assert.Equal(t, tc.ctype, a.header.Get("Content-Type"), "protocol P5")
				switch {
				case strings.HasPrefix(tc.ctype, "application/json"):
					m := decode(t, a.body)
					assert.Equal(t, true, m["maintenance"], "protocol P3")
					assert.Equal(t, "maintenance", m["status"], "protocol P3")
					assert.Equal(t, "2000-01-01T01:00:00Z", m["until"], "protocol P3")
					assert.Equal(t, "Moving to <new> servers & disks.", m["message"], "protocol P4")
				case strings.HasPrefix(tc.ctype, "text/html"):
					assert.Contains(t, a.body, "<title>Down for maintenance</title>")
					assert.Contains(t, a.body, "Moving to &lt;new&gt; servers &amp; disks.")
					assert.Contains(t, a.body, "2000-01-01T01:00:00Z")
				default:
					assert.True(t, strings.HasPrefix(a.body, "Down for maintenance. Moving to <new> servers & disks.\n"), a.body)
					assert.Contains(t, a.body, "2000-01-01T01:00:00Z")
				}
			})
		})
	}
}

// TestDefaultMessage: without a message, the body still says maintenance
// in words, never the stock text of 503 (protocol P4), and says honestly
// when the end is unknown (protocol P2).
func TestDefaultMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sw announce.Switch
		sw.Start(time.Time{}, "")
		h := sw.Handler(app)
		for _, accept := range []string{"application/json", "text/html", "text/plain"} {
			a := serve(t, h, "GET", "/", map[string]string{"Accept": accept})
			assert.Contains(t, strings.ToLower(a.body), "down for planned maintenance", "protocol P4")
			assert.NotContains(t, a.body, "capacity problems", "protocol P4, P12: not the stock text")
			assert.Empty(t, a.header.Get("Retry-After"), "protocol P2")
			if accept == "application/json" {
				assert.NotContains(t, decode(t, a.body), "until", "protocol P2: an unknown end is not sent")
			} else {
				assert.Contains(t, a.body, "The end is not known yet.", "protocol P2")
			}
		}
	})
}

// TestProbe: the probe answers 200 with the announcement during
// maintenance, to everyone, and 404 otherwise; a random path does not
// answer like it (protocol P6).
func TestProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sw := announce.Switch{Secret: "s3cret", Bypass: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}
		h := sw.Handler(app)
		start := time.Now()
		sw.Start(start.Add(30*time.Minute), "New disks.")
		time.Sleep(time.Minute)
		for name, hdr := range map[string]map[string]string{
			"anyone":          nil,
			"bypass network":  {"RemoteAddr": "10.1.2.3:5000"},
			"secret":          {announce.BypassHeader: "s3cret"},
			"browser":         {"Accept": "text/html"},
			"probe's headers": {"Accept": "application/json, text/plain;q=0.9, */*;q=0.5"},
		} {
			p := serve(t, h, "GET", announce.ProbePath, hdr)
			require.Equal(t, 200, p.status, "protocol P6: %s", name)
			assert.Equal(t, "application/json", p.header.Get("Content-Type"), name)
			assert.Equal(t, "no-store", p.header.Get("Cache-Control"), name)
			assert.Empty(t, p.header.Get("Location"), "protocol P6: no redirect: %s", name)
			m := decode(t, p.body)
			assert.Equal(t, true, m["maintenance"], name)
			assert.Equal(t, "2000-01-01T00:30:00Z", m["until"], name)
			assert.Equal(t, "2000-01-01T00:00:00Z", m["since"], name)
			assert.Equal(t, "New disks.", m["message"], name)
		}
		control := serve(t, h, "GET", "/z8d0c2b1e5a7f3", nil)
		assert.NotEqual(t, 200, control.status, "protocol P6, P12: not a catch-all")

		head := serve(t, h, "HEAD", announce.ProbePath, nil)
		assert.Equal(t, 200, head.status)
		assert.Empty(t, head.body)
		post := serve(t, h, "POST", announce.ProbePath, nil)
		assert.Equal(t, 405, post.status)
		assert.Equal(t, "GET, HEAD", post.header.Get("Allow"))

		sw.End()
		assert.Equal(t, 404, serve(t, h, "GET", announce.ProbePath, nil).status, "protocol P6")
		assert.Equal(t, 200, serve(t, h, "GET", "/", nil).status)
	})
}

// TestProbeHandler: the probe mounted on its own (another process, a
// path of the service's choosing) answers the same (protocol P6), and
// Switch.ProbePath moves it.
func TestProbeHandler(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sw := announce.Switch{ProbePath: "/_maintenance"}
		mux := http.NewServeMux()
		mux.Handle("/elsewhere", sw.ProbeHandler())
		mux.Handle("/", sw.Handler(app))
		assert.Equal(t, 404, serve(t, mux, "GET", "/elsewhere", nil).status)
		assert.Equal(t, 404, serve(t, mux, "GET", "/_maintenance", nil).status)
		assert.Equal(t, 200, serve(t, mux, "GET", announce.ProbePath, nil).status, "the default path is the app's when moved")
		sw.Start(time.Time{}, "")
		assert.Equal(t, 200, serve(t, mux, "GET", "/elsewhere", nil).status)
		p := serve(t, mux, "GET", "/_maintenance", nil)
		assert.Equal(t, 200, p.status)
		assert.NotContains(t, decode(t, p.body), "until", "protocol P2: an unknown end is not sent")
	})
}

// TestOverran: an end that passed while the maintenance goes on is no
// longer announced as the end, anywhere (protocol P9).
func TestOverran(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sw announce.Switch
		sw.Start(time.Now().Add(5*time.Minute), "")
		time.Sleep(6 * time.Minute)
		h := sw.Handler(app)
		a := serve(t, h, "GET", "/", nil)
		assert.Equal(t, 503, a.status)
		assert.Empty(t, a.header.Get("Retry-After"), "protocol P9, P12: no end in the past")
		m := decode(t, a.body)
		assert.NotContains(t, m, "until", "protocol P9")
		assert.Equal(t, "2000-01-01T00:05:00Z", m["overran"])
		p := decode(t, serve(t, h, "GET", announce.ProbePath, nil).body)
		assert.NotContains(t, p, "until", "protocol P9")
		txt := serve(t, h, "GET", "/", map[string]string{"Accept": "text/plain"})
		assert.Contains(t, txt.body, "taking longer")
		assert.True(t, time.Now().Add(-time.Minute).Equal(sw.State().Until), "State keeps the announced end")

		sw.Start(time.Now().Add(10*time.Minute), "") // a new end
		assert.Equal(t, "600", serve(t, h, "GET", "/", nil).header.Get("Retry-After"))
		assert.True(t, time.Now().Add(-6*time.Minute).Equal(sw.State().Since), "Start again keeps Since")
	})
}

// TestBypass: allowed networks and the secret (header, or the cookie a
// visit to /SECRET sets) see the service as usual (protocol P10).
func TestBypass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sw := announce.Switch{
			Secret: "let-me-in",
			Bypass: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")},
		}
		sw.Start(time.Now().Add(time.Hour), "")
		h := sw.Handler(app)

		grant := serve(t, h, "GET", "/let-me-in", nil)
		require.Equal(t, http.StatusSeeOther, grant.status)
		assert.Equal(t, "/", grant.header.Get("Location"))
		cookies := (&http.Response{Header: grant.header}).Cookies()
		require.Len(t, cookies, 1)
		c := cookies[0]
		assert.Equal(t, announce.BypassCookie, c.Name)
		assert.NotContains(t, c.Value, "let-me-in", "the cookie is not the secret")
		assert.True(t, c.HttpOnly)
		assert.Equal(t, 12*60*60, c.MaxAge)

		cases := []struct {
			name   string
			header map[string]string
			want   int
		}{
			{"anyone", nil, 503},
			{"allowed IPv4 network", map[string]string{"RemoteAddr": "10.9.8.7:1234"}, 200},
			{"allowed IPv4 in IPv6", map[string]string{"RemoteAddr": "[::ffff:10.9.8.7]:1234"}, 200},
			{"allowed IPv6 network", map[string]string{"RemoteAddr": "[2001:db8::1]:1234"}, 200},
			{"other network", map[string]string{"RemoteAddr": "192.0.2.1:1234"}, 503},
			{"secret header", map[string]string{announce.BypassHeader: "let-me-in"}, 200},
			{"wrong secret", map[string]string{announce.BypassHeader: "let-me-in!"}, 503},
			{"cookie", map[string]string{"Cookie": announce.BypassCookie + "=" + c.Value}, 200},
			{"forged cookie", map[string]string{"Cookie": announce.BypassCookie + "=let-me-in"}, 503},
			{"forwarded header is not trusted", map[string]string{"X-Forwarded-For": "10.0.0.1"}, 503},
		}
		for _, tc := range cases {
			a := serve(t, h, "GET", "/orders", tc.header)
			assert.Equal(t, tc.want, a.status, "protocol P10: %s", tc.name)
		}

		sw.End()
		assert.Equal(t, 200, serve(t, h, "GET", "/let-me-in", nil).status, "outside maintenance the secret path is the app's")
	})
}

// TestHealth: the health endpoint tells maintenance (OUT_OF_SERVICE) from
// failure (DOWN), to allowed addresses only (protocol P7).
func TestHealth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sw announce.Switch
		var failing error
		allow := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
		h := sw.HealthHandler(func(context.Context) error { return failing }, allow)
		inside := map[string]string{"RemoteAddr": "192.0.2.10:999"}

		a := serve(t, h, "GET", "/health", inside)
		assert.Equal(t, 200, a.status)
		assert.Equal(t, "UP", decode(t, a.body)["status"])

		failing = errors.New("database: connection refused")
		a = serve(t, h, "GET", "/health", inside)
		assert.Equal(t, 503, a.status)
		m := decode(t, a.body)
		assert.Equal(t, "DOWN", m["status"], "protocol P7: failure")
		assert.Equal(t, "database: connection refused", m["error"])

		sw.Start(time.Now().Add(time.Hour), "Reindexing.")
		a = serve(t, h, "GET", "/health", inside)
		assert.Equal(t, 503, a.status)
		m = decode(t, a.body)
		assert.Equal(t, "OUT_OF_SERVICE", m["status"], "protocol P7: maintenance, not failure")
		assert.Equal(t, "2000-01-01T01:00:00Z", m["until"])
		assert.Equal(t, "Reindexing.", m["message"])
		assert.NotContains(t, a.body, "database", "the check is not run during maintenance")

		outside := serve(t, h, "GET", "/health", nil)
		assert.Equal(t, 403, outside.status, "protocol P7: restricted")
		assert.NotContains(t, outside.body, "OUT_OF_SERVICE")
	})
}

// TestHealthLoopbackByDefault: without an allowlist only loopback
// addresses are answered (protocol P7).
func TestHealthLoopbackByDefault(t *testing.T) {
	var sw announce.Switch
	h := sw.HealthHandler(nil, nil)
	for addr, want := range map[string]int{
		"127.0.0.1:1": 200, "[::1]:1": 200, "[::ffff:127.0.0.1]:1": 200,
		"192.0.2.1:1": 403, "[2001:db8::1]:1": 403, "garbage": 403,
	} {
		assert.Equal(t, want, serve(t, h, "GET", "/health", map[string]string{"RemoteAddr": addr}).status, addr)
	}
}

// TestFlagFile: the flag file switches maintenance on and off without a
// restart, within FlagCheck, and its contents give the end and the
// message (protocol P11).
func TestFlagFile(t *testing.T) {
	dir := t.TempDir()
	flag := filepath.Join(dir, "down")
	synctest.Test(t, func(t *testing.T) {
		sw := announce.Switch{FlagFile: flag}
		h := sw.Handler(app)
		assert.Equal(t, 200, serve(t, h, "GET", "/", nil).status)

		until := time.Now().Add(20 * time.Minute).UTC().Format(time.RFC3339)
		require.NoError(t, os.WriteFile(flag, []byte(`{"until":"`+until+`","message":"Disk swap."}`), 0o644))
		assert.Equal(t, 200, serve(t, h, "GET", "/", nil).status, "cached for FlagCheck")
		time.Sleep(time.Second)
		a := serve(t, h, "GET", "/", nil)
		require.Equal(t, 503, a.status, "protocol P11: noticed without a restart")
		assert.Equal(t, "1199", a.header.Get("Retry-After"))
		m := decode(t, a.body)
		assert.Equal(t, until, m["until"])
		assert.Equal(t, "Disk swap.", m["message"])
		assert.Equal(t, 200, serve(t, h, "GET", announce.ProbePath, nil).status)

		// Rewritten: the new contents count.
		require.NoError(t, os.WriteFile(flag, []byte("Longer than planned, sorry.\n"), 0o644))
		require.NoError(t, os.Chtimes(flag, time.Unix(1e9, 0), time.Unix(1e9+1, 0)))
		time.Sleep(time.Second)
		m = decode(t, serve(t, h, "GET", "/", nil).body)
		assert.NotContains(t, m, "until")
		assert.Equal(t, "Longer than planned, sorry.", m["message"])

		// End() does not lift the file's maintenance; removing the file does.
		sw.End()
		assert.Equal(t, 503, serve(t, h, "GET", "/", nil).status)
		require.NoError(t, os.Remove(flag))
		time.Sleep(time.Second)
		assert.Equal(t, 200, serve(t, h, "GET", "/", nil).status)
		assert.Equal(t, 404, serve(t, h, "GET", announce.ProbePath, nil).status)
	})
}

// TestFlagFileAndCode: both on: the later end wins, an unknown end wins
// over any, and the code's message over the file's (protocol P11).
func TestFlagFileAndCode(t *testing.T) {
	dir := t.TempDir()
	flag := filepath.Join(dir, ".maintenance")
	synctest.Test(t, func(t *testing.T) {
		sw := announce.Switch{FlagFile: flag, FlagCheck: -1}
		now := time.Now()
		require.NoError(t, os.WriteFile(flag, []byte(now.Add(time.Hour).Format(time.RFC3339)+"\nfile says\n"), 0o644))
		sw.Start(now.Add(30*time.Minute), "code says")
		st := sw.State()
		assert.True(t, st.On)
		assert.True(t, now.Add(time.Hour).Equal(st.Until), "the later end: %v", st.Until)
		assert.Equal(t, "code says", st.Message)

		sw.Start(time.Time{}, "")
		st = sw.State()
		assert.True(t, st.Until.IsZero(), "an unknown end wins")
		assert.Equal(t, "file says", st.Message)
	})
}

// TestSinceNeverAhead: a flag file dated in the future (clocks differ, or
// touch -d) is announced as begun now, never as a window still to come,
// which clients would not count as in force (protocol P6, P11).
func TestSinceNeverAhead(t *testing.T) {
	flag := filepath.Join(t.TempDir(), "down")
	require.NoError(t, os.WriteFile(flag, nil, 0o644))
	ahead := time.Now().Add(48 * time.Hour)
	require.NoError(t, os.Chtimes(flag, ahead, ahead))
	sw := announce.Switch{FlagFile: flag}
	before := time.Now().UTC().Truncate(time.Second)
	m := decode(t, serve(t, sw.Handler(app), "GET", announce.ProbePath, nil).body)
	since, err := time.Parse(time.RFC3339, m["since"].(string))
	require.NoError(t, err)
	assert.False(t, since.Before(before), "protocol P6: since %v", since)
	assert.True(t, since.Before(ahead.Add(-time.Hour)), "since %v is not the file's future time", since)
}

// TestConcurrent: requests, Start, End and the flag file changing at once
// (run with -race): every answer is the service's or the maintenance one.
func TestConcurrent(t *testing.T) {
	flag := filepath.Join(t.TempDir(), "down")
	sw := announce.Switch{FlagFile: flag, FlagCheck: time.Millisecond}
	h := sw.Handler(app)
	stop := make(chan struct{})
	var writer, readers sync.WaitGroup
	writer.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			switch i % 4 {
			case 0:
				sw.Start(time.Now().Add(time.Hour), "")
			case 1:
				sw.End()
			case 2:
				_ = os.WriteFile(flag, []byte("x"), 0o644)
			case 3:
				_ = os.Remove(flag)
			}
		}
	})
	for range 4 {
		readers.Go(func() {
			for range 500 {
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 && rec.Code != 503 {
					t.Errorf("status %d", rec.Code)
				}
				_ = sw.State()
			}
		})
	}
	readers.Wait()
	close(stop)
	writer.Wait()
}

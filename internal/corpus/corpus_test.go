package corpus_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/corpus"
	"github.com/downfor/downfor/probe"
)

// judge classifies a case the way downfor would: the raw response alone
// through classify.Response, or, when the case has out-of-band parts,
// over a loopback server with the probe (and any health endpoint or status
// page) combined in.
func judge(t *testing.T, c corpus.Case) classify.Verdict {
	t.Helper()
	if !c.OutOfBand() {
		resp, err := c.Response()
		require.NoError(t, err)
		defer resp.Body.Close()
		return classify.Response(resp, c.Now, &c.Options)
	}
	return judgeServed(t, c)
}

// judgeServed serves the case on a loopback server, asks it for the case's
// path and combines the answer with the probe's (and any health endpoint's
// or status page's) evidence, as the client and the CLI do.
func judgeServed(t *testing.T, c corpus.Case) classify.Verdict {
	t.Helper()
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	target, err := url.Parse(srv.URL + c.Path)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, target.String(), nil)
	require.NoError(t, err)
	// Redirects are the case's answer, not something to follow: a case
	// may point anywhere, and tests talk only to 127.0.0.1.
	client := *srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	v := classify.Response(resp, c.Now, &c.Options)
	p := probe.New(probe.Config{
		Client:        srv.Client(),
		Timeout:       5 * time.Second,
		CacheFor:      -1,
		HealthURL:     c.Health,
		StatusPageURL: c.StatusPage,
		Components:    c.Components,
		Now:           func() time.Time { return c.Now },
	})
	return classify.Combine(v, c.Now, p.Check(t.Context(), target)...)
}

// right reports whether v is what the case wants: the class, and when the
// case asks for it, evidence of at least that strength for the class.
func right(c corpus.Case, v classify.Verdict) bool {
	if v.Class != c.Want {
		return false
	}
	if c.Strength == classify.None {
		return true
	}
	e, ok := v.Strongest()
	return ok && e.Indicates == c.Want && e.Strength >= c.Strength
}

// TestCorpus runs every case of the corpus and prints the summary line.
// It fails on any false maintenance (a real outage called maintenance,
// the one mistake downfor exists not to make), and on any other wrong
// case that is not marked known-wrong: the tolerance for wrong cases is
// the known-wrong list, and it is printed.
func TestCorpus(t *testing.T) {
	cases, err := corpus.All()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(cases), 60, "the corpus covers at least 60 situations")

	var judged, good, falseMaint, falseMal int
	for _, c := range cases {
		var v classify.Verdict
		ran := false
		t.Run(c.Name, func(t *testing.T) {
			v = judge(t, c)
			ran = true
			t.Log(v)
			if right(c, v) {
				if c.KnownWrong != "" {
					t.Logf("%s: marked known-wrong (%s) but now right: remove the mark", c.File(), c.KnownWrong)
				}
				return
			}
			msg := fmt.Sprintf("%s: got %s, want %s", c.File(), v, c.Want)
			if c.Strength != classify.None {
				msg += fmt.Sprintf(" (%s)", c.Strength)
			}
			msg += "; source: " + strings.Join(c.Source, "; ")
			switch {
			case v.Class == classify.Maintenance && c.Want != classify.Maintenance:
				t.Errorf("FALSE MAINTENANCE %s", msg) // never tolerated
			case c.KnownWrong != "":
				t.Logf("known wrong (%s): %s", c.KnownWrong, msg)
			default:
				t.Errorf("wrong: %s", msg)
			}
		})
		if !ran {
			continue // filtered out by -run, or failed before a verdict
		}
		judged++
		switch {
		case right(c, v):
			good++
		case v.Class == classify.Maintenance && c.Want != classify.Maintenance:
			falseMaint++
		case v.Class == classify.Malfunction && c.Want != classify.Malfunction:
			falseMal++
		}
	}
	// One line, always on stdout, so that CI output shows it.
	fmt.Printf("corpus: %d of %d right, %d false maintenance, %d false malfunction\n", good, judged, falseMaint, falseMal)
	assert.Zero(t, falseMaint, "false maintenance")
}

// TestCorpusServed runs every in-band case a second way: served on a
// loopback server and combined with the probe, which answers 404 there.
// The class must be the same: serving a case changes nothing, and a probe
// that is not announced says nothing.
func TestCorpusServed(t *testing.T) {
	cases, err := corpus.All()
	require.NoError(t, err)
	for _, c := range cases {
		if c.OutOfBand() {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			assert.Equal(t, judge(t, c).Class, judgeServed(t, c).Class)
		})
	}
}

// TestCorpusFiles checks what every case file must hold.
func TestCorpusFiles(t *testing.T) {
	cases, err := corpus.All()
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			assert.NotEmpty(t, c.Product, "product")
			assert.NotEmpty(t, c.Situation, "situation")
			assert.NotEmpty(t, c.Source, "source")
			assert.False(t, seen[c.Name])
			seen[c.Name] = true
		})
	}
}

// TestHandler checks that a case's server sends its raw response byte for
// byte, serves its parts and the catch-all, and 404s elsewhere.
func TestHandler(t *testing.T) {
	file := "# want: maintenance\n# source: test\n" +
		"HTTP/1.1 503 Service Unavailable\nContent-Type: text/plain\nContent-Encoding: gzip\nContent-Length: 999\n\ndown\n" +
		"=== /down-for-maintenance\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"message\":\"later\"}\n"
	c, err := corpus.Parse("t", []byte(file))
	require.NoError(t, err)
	require.Len(t, c.Parts, 2)
	assert.True(t, c.OutOfBand())

	resp, err := c.Response()
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, c.Parts[0].Body, raw, "the body is sent compressed")
	assert.Equal(t, fmt.Sprint(len(raw)), resp.Header.Get("Content-Length"))

	srv := httptest.NewServer(c.Handler())
	defer srv.Close()
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/", 503, "down\n"},
		{"/down-for-maintenance", 200, "{\"message\":\"later\"}\n"},
		{"/elsewhere", 404, "404 page not found\n"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.body, string(body))
		})
	}
}

// TestCatchAll checks the "=== *" part.
func TestCatchAll(t *testing.T) {
	c, err := corpus.Parse("t", []byte("# want: malfunction\n# source: test\nHTTP/1.1 502 Bad Gateway\n\n=== *\nHTTP/1.1 200 OK\nContent-Type: text/html\n\n<!doctype html>\n"))
	require.NoError(t, err)
	srv := httptest.NewServer(c.Handler())
	defer srv.Close()
	for path, want := range map[string]int{"/": 502, "/down-for-maintenance": 200, "/x/y": 200} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, path)
	}
}

func TestParseErrors(t *testing.T) {
	const resp = "HTTP/1.1 503 Service Unavailable\n\n"
	for _, tc := range []struct {
		name, file, want string
	}{
		{"no want", "# source: x\n" + resp, "no \"# want:\" line"},
		{"no source", "# want: ok\n" + resp, "no \"# source:\" line"},
		{"unknown key", "# want: ok\n# source: x\n# wnat: ok\n" + resp, "unknown key"},
		{"bad class", "# want: broken\n# source: x\n" + resp, "want:"},
		{"bad strength", "# want: maintenance\n# strength: loud\n# source: x\n" + resp, "strength:"},
		{"strength for ok", "# want: ok\n# strength: explicit\n# source: x\n" + resp, "strength is only"},
		{"not a key line", "# want: ok\n# source: x\n# free text\n" + resp, "key: value"},
		{"no response", "# want: ok\n# source: x\n", "no response"},
		{"bad status line", "# want: ok\n# source: x\nHTTP/1.1 abc\n\n", "response head"},
		{"informational status", "# want: ok\n# source: x\nHTTP/1.1 100 Continue\n\nbody", "not a final response"},
		{"body on 204", "# want: ok\n# source: x\nHTTP/1.1 204 No Content\n\nbody", "cannot carry a body"},
		{"bad header", "# want: ok\n# source: x\nHTTP/1.1 200 OK\nno colon here\n\n", "response head"},
		{"bad part path", "# want: ok\n# source: x\n" + resp + "=== probe\n" + resp, "part's path"},
		{"bad rule", "# want: ok\n# source: x\n# rule: nonsense\n" + resp, "rule"},
		{"bad now", "# want: ok\n# source: x\n# now: tomorrow\n" + resp, "now:"},
		{"too big", "# want: ok\n# source: x\n" + resp + strings.Repeat("x", corpus.MaxFileSize), "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := corpus.Parse("t", []byte(tc.file))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "corpus: t:")
		})
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"a.http":     {Data: []byte("# want: ok\n# source: x\nHTTP/1.1 200 OK\n\nhi")},
		"b.http":     {Data: []byte("# want: nope\n# source: x\nHTTP/1.1 200 OK\n\n")},
		"notes.md":   {Data: []byte("not a case")},
		"sub/c.http": {Data: []byte("ignored: not at the top")},
	}
	cases, err := corpus.Load(fsys)
	require.Error(t, err, "b.http is broken")
	assert.Contains(t, err.Error(), "corpus: b:")
	require.Len(t, cases, 1)
	assert.Equal(t, "a", cases[0].Name)
	assert.Equal(t, "/", cases[0].Path)
	assert.Equal(t, []byte("hi"), cases[0].Parts[0].Body)
}

// FuzzParse: any input gives a case or an error, never a panic, and a case
// it gives has a response that net/http reads back.
func FuzzParse(f *testing.F) {
	f.Add([]byte("# want: ok\n# source: x\nHTTP/1.1 200 OK\n\nhi"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := corpus.Parse("fuzz", data)
		if err != nil {
			return
		}
		require.NotEmpty(t, c.Parts)
		resp, err := c.Response()
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, c.Parts[0].Body, body)

		// The handler serves the same bytes at the case's path.
		rec := httptest.NewRecorder()
		c.Handler().ServeHTTP(rec, &http.Request{Method: http.MethodGet, URL: &url.URL{Path: c.Path}, Header: http.Header{}})
		assert.Equal(t, c.Parts[0].Status, rec.Code)
		assert.Equal(t, string(c.Parts[0].Body), rec.Body.String())
	})
}

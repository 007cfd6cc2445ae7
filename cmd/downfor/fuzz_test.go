package main

import (
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/downfor/downfor/classify"
)

// FuzzReadState: whatever a state file holds (another user's planting, a
// truncated write, garbage), reading it never panics; it gives a usable
// state, and the bookkeeping on that state gives a ruling.
func FuzzReadState(f *testing.F) {
	f.Add([]byte(`{"version":2,"jobs":{"k":{"url":"https://xxxxx@h/","command":"sh","last_run":"2026-01-01T00:00:00Z","last_outcome":"failed","last_exit":3,"incident":{"since":"2026-01-01T00:00:00Z","class":"malfunction","failures":2},"maintenance":{"since":"2026-01-01T00:00:00Z","runs":1}}}}`))
	f.Add([]byte(`{"version":1,"incident":{"since":"2026-`))
	f.Add([]byte(`{"version":2,"jobs":{"k":null}}`))
	f.Add([]byte(`{"version":2,"jobs":[]}`))
	f.Add([]byte("\x00\x1b[2J"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		sf, err := readState(path, io.Discard)
		if err != nil {
			return // refused (too large): the caller alerts
		}
		for _, st := range sf.Jobs {
			if st == nil {
				t.Fatal("a nil job survived reading")
			}
			_, r := bookkeep(*st, outcomeFailed, classify.Maintenance, time.Now(), time.Hour)
			if r.act == 0 {
				t.Fatal("no ruling")
			}
		}
		sf.prune(1)
		if len(sf.Jobs) > 1 {
			t.Fatalf("prune kept %d jobs", len(sf.Jobs))
		}
	})
}

// FuzzRedactURL: whatever the URL, its password and secret query values
// (of at least minSecret bytes) never survive redactURL, nor the
// redactor built from it.
func FuzzRedactURL(f *testing.F) {
	f.Add("https://user:pa55word@api.example.com/v1?access_token=abcd1234&page=2")
	f.Add("http://t0kenonly@h:8080/")
	f.Add("https://h/?SIG=xyzw9876&api_key=")
	f.Add("https://us%40er:p%2Fss%3Aw@h/")
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		shown := redactURL(u)
		red := newRedactor(nil, u)
		line := red.String("checking " + u.String() + " " + shown)
		public := *u
		public.User = nil
		if p, ok := u.User.Password(); ok && len(p) >= minSecret && !strings.Contains(public.String(), p) {
			if strings.Contains(shown, p) && !strings.Contains(redacted, p) {
				t.Fatalf("password %q in %q", p, shown)
			}
			if strings.Contains(line, p) && !strings.Contains(redacted, p) {
				t.Fatalf("password %q in %q", p, line)
			}
		}
	})
}

package testserver

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseTimeline checks that ParseTimeline never panics, that what it
// accepts is valid, and that Timeline.String gives it back.
func FuzzParseTimeline(f *testing.F) {
	for _, seed := range []string{
		"ok",
		"ok:2s,django:5s,ok",
		"ok 2s, retry-after-seconds 5s, ok",
		"probe-only:1h30m,ok:1ns,hang",
		"ok:2s,",
		"nope:1s,ok",
		"ok:9223372036854775807ns,ok",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		steps, err := ParseTimeline(s)
		if err != nil {
			if steps != nil {
				t.Fatalf("ParseTimeline(%q) returned steps and error %v", s, err)
			}
			if !utf8.ValidString(err.Error()) && utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in error %q", err)
			}
			return
		}
		if err := validateTimeline(steps); err != nil {
			t.Fatalf("ParseTimeline(%q) accepted an invalid timeline: %v", s, err)
		}
		for i, st := range steps {
			if st.For < 0 || (st.For == 0 && i < len(steps)-1) {
				t.Fatalf("ParseTimeline(%q): bad step %d %+v", s, i, st)
			}
		}
		again, err := ParseTimeline(steps.String())
		if err != nil {
			t.Fatalf("Timeline.String(%v) = %q does not parse: %v", steps, steps.String(), err)
		}
		if len(again) != len(steps) {
			t.Fatalf("round trip of %q: %v != %v", s, again, steps)
		}
		for i := range steps {
			if again[i] != steps[i] {
				t.Fatalf("round trip of %q: %v != %v", s, again, steps)
			}
		}
		if _, i := stepAt(steps, 1<<62); i < 0 {
			t.Fatal("negative time into step")
		}
	})
}

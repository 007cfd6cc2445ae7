package probe

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/downfor/downfor/classify"
)

// Seeds beyond these live in testdata/fuzz/<Name>/.

func FuzzParseProbe(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"until":"2026-11-23T10:00:00Z","message":"Database upgrade"}`))
	f.Add(404, "text/html", []byte("<h1>Not Found</h1>"))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		ev := ParseProbe(status, contentType, body)
		checkEvidence(t, ev, classify.SourceProbe)
		// Only a 200 is explicit; a 200 that is no probe answer (a
		// catch-all page, maintenance:false) is not.
		if status != 200 && ev.Strength != classify.None {
			t.Fatalf("status %d gave %v", status, ev)
		}
		if ev.Strength != classify.None && ev.Indicates != classify.Maintenance {
			t.Fatalf("the probe argued for %v", ev.Indicates)
		}
	})
}

func FuzzParseHealth(f *testing.F) {
	f.Add(503, "application/vnd.spring-boot.actuator.v3+json", []byte(`{"status":"OUT_OF_SERVICE"}`))
	f.Add(500, "text/plain", []byte("[-]etcd failed: reason withheld\nreadyz check failed"))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		ev := ParseHealth(status, contentType, body)
		checkEvidence(t, ev, classify.SourceHealth)
		if (status == 401 || status == 403 || status == 407 || status/100 == 4) && ev.Strength != classify.None {
			t.Fatalf("a %d answer is no information, got %v", status, ev)
		}
		if ev.Strength == classify.Explicit && ev.Indicates != classify.Maintenance {
			t.Fatalf("health cannot be explicit about %v", ev.Indicates)
		}
	})
}

func FuzzParseStatusPage(f *testing.F) {
	f.Add("", []byte(`{"status":{"indicator":"maintenance"}}`), int64(1795417200), "")
	f.Add("cachet", []byte(`{"data":{"status":"under_maintenance"}}`), int64(1795417200), "API,2")
	f.Fuzz(func(t *testing.T, kind string, body []byte, nowUnix int64, components string) {
		var comps []string
		if components != "" {
			comps = strings.Split(components, ",")
		}
		ev, err := ParseStatusPage(kind, body, time.Unix(nowUnix, 0), comps)
		if err != nil {
			if len(ev) != 0 {
				t.Fatalf("evidence with an error: %v", ev)
			}
			return
		}
		if len(ev) > 7*(maxPerKind+1) {
			t.Fatalf("%d pieces of evidence", len(ev))
		}
		for _, e := range ev {
			checkEvidence(t, e, classify.SourceStatusPage)
			if e.Signal == classify.SignalUpcomingMaintenance && e.Strength != classify.None {
				t.Fatalf("an upcoming maintenance has strength: %v", e)
			}
		}
	})
}

// checkEvidence holds every parser to the same bounds: the right source, a
// signal, a valid strength, short printable text, sane times.
func checkEvidence(t *testing.T, e classify.Evidence, source string) {
	t.Helper()
	if e.Source != source || e.Signal == "" {
		t.Fatalf("source or signal: %#v", e)
	}
	if e.Strength > classify.Explicit || int(e.Indicates) >= len(classify.Classes()) {
		t.Fatalf("strength or class: %#v", e)
	}
	for _, s := range []string{e.Value, e.Message} {
		if len(s) > 2*maxText || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
			t.Fatalf("unsafe text %q", s)
		}
	}
	if len(e.Message) > maxText {
		t.Fatalf("message of %d bytes", len(e.Message))
	}
	for _, tm := range []time.Time{e.Start, e.Until} {
		if !tm.IsZero() && (tm.Year() < 1970 || tm.Year() > 9999 || tm.Location() != time.UTC) {
			t.Fatalf("time %v", tm)
		}
	}
}

package announce

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// TestParseFlag: the contents of a flag file (protocol P11).
func TestParseFlag(t *testing.T) {
	end := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name    string
		in      string
		until   time.Time
		message string
	}{
		{"empty: unknown end", "", time.Time{}, ""},
		{"blank lines", "\n\n  \n", time.Time{}, ""},
		{"JSON", `{"until":"2030-01-02T03:04:05Z","message":"Disk swap."}`, end, "Disk swap."},
		{"JSON with offset", `{"until":"2030-01-02T04:04:05+01:00"}`, end, ""},
		{"JSON Unix seconds", `{"until":1893553445,"message":"x"}`, end, "x"},
		{"JSON fractional seconds ignored", `{"until":1893553445.5}`, time.Time{}, ""},
		{"JSON negative ignored", `{"until":-5}`, time.Time{}, ""},
		{"JSON past year 9999 ignored", `{"until":1e300}`, time.Time{}, ""},
		{"JSON bad time ignored", `{"until":"soon","message":"m"}`, time.Time{}, "m"},
		// Laravel 8's storage/framework/down is JSON without an end or a
		// message (Illuminate\Foundation\Console\DownCommand::getDownFilePayload).
		{"Laravel 8 down file", `{"except":[],"redirect":null,"retry":60,"refresh":null,"secret":null,"status":503,"template":null}`, time.Time{}, ""},
		// Laravel 5.5's down file has the message (DownCommand::getDownFilePayload:
		// time, message, retry, allowed).
		{"Laravel 5.5 down file", `{"time":1700000000,"message":"Upgrading.","retry":60,"allowed":[]}`, time.Time{}, "Upgrading."},
		{"JSON with BOM", "\xef\xbb\xbf{\"message\":\"bom\"}", time.Time{}, "bom"},
		{"broken JSON is text", `{"until":`, time.Time{}, `{"until":`},
		{"text with end", "2030-01-02T03:04:05Z\nDisk swap.\nBack soon.\n", end, "Disk swap. Back soon."},
		{"text without end", "Disk swap.\n", time.Time{}, "Disk swap."},
		// WordPress' .maintenance is PHP; it is a message here, and the
		// end is unknown (wp-includes/load.php wp_is_maintenance_mode).
		{"WordPress .maintenance", "<?php $upgrading = 1700000000; ?>", time.Time{}, "<?php $upgrading = 1700000000; ?>"},
		{"control characters", "a\x00b\tc\x1bd", time.Time{}, "a b c d"},
		{"invalid UTF-8", "caf\xe9", time.Time{}, "caf\uFFFD"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			until, msg := parseFlag([]byte(tc.in))
			assert.True(t, tc.until.Equal(until), "until %v, want %v", until, tc.until)
			assert.Equal(t, tc.message, msg)
		})
	}
}

func TestParseFlagMessageBounded(t *testing.T) {
	_, msg := parseFlag([]byte(strings.Repeat("é", 5000)))
	assert.LessOrEqual(t, len(msg), maxMessage)
	assert.True(t, utf8.ValidString(msg))
}

func FuzzParseFlag(f *testing.F) {
	f.Add([]byte(`{"until":"2030-01-02T03:04:05Z","message":"Disk swap."}`))
	f.Add([]byte("2030-01-02T03:04:05Z\nDisk swap.\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		until, msg := parseFlag(data)
		if len(msg) > maxMessage || !utf8.ValidString(msg) {
			t.Fatalf("message %q", msg)
		}
		if !until.IsZero() && (until.Year() < 0 || until.Year() > 9999) {
			t.Fatalf("until %v", until)
		}
	})
}

// TestNegotiate: the body's form by Accept (protocol P5).
func TestNegotiate(t *testing.T) {
	cases := []struct {
		accept []string
		want   format
	}{
		{nil, formatJSON},
		{[]string{""}, formatText},
		{[]string{"*/*"}, formatJSON},
		{[]string{"application/json"}, formatJSON},
		{[]string{"application/vnd.api+json"}, formatJSON},
		{[]string{"application/*"}, formatJSON},
		{[]string{"text/html"}, formatHTML},
		{[]string{"TEXT/HTML"}, formatHTML},
		{[]string{"application/xhtml+xml"}, formatHTML},
		// Chrome's navigation Accept.
		{[]string{"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"}, formatHTML},
		{[]string{"text/plain"}, formatText},
		{[]string{"text/*"}, formatText},
		{[]string{"text/plain;q=0.5, application/json"}, formatJSON},
		{[]string{"application/json;q=0.5, text/plain"}, formatText},
		{[]string{"application/json;q=0.5", "text/html"}, formatHTML},
		{[]string{"image/png"}, formatText},
		{[]string{"application/json;q=0"}, formatText},
		{[]string{"application/json;q=2"}, formatText},
		{[]string{"application/json;q=x"}, formatText},
		{[]string{"*/json"}, formatText},
		{[]string{"garbage"}, formatText},
		{[]string{"*/*;q=0.1, text/html;q=0"}, formatJSON},
		{[]string{"text/*;q=0.9, text/html"}, formatHTML},
		{[]string{strings.Repeat("x/y,", 1000) + "application/json"}, formatText}, // bounded
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, negotiate(tc.accept), "%q", tc.accept)
	}
}

func FuzzNegotiate(f *testing.F) {
	f.Add("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	f.Add("application/json;q=0.5, text/plain")
	f.Fuzz(func(t *testing.T, accept string) {
		switch negotiate([]string{accept}) {
		case formatJSON, formatText, formatHTML:
		default:
			t.Fatal("unknown format")
		}
	})
}

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
)

// Pings follow the protocol healthchecks.io documents (and self-hosted
// Healthchecks and its clones speak; runitor is the reference client):
//
//	POST URL/start?rid=ID   the job starts
//	POST URL?rid=ID         it succeeded (or failed during maintenance: kept green)
//	POST URL/N?rid=ID       it failed with exit status N (1-255)
//	POST URL/fail?rid=ID    it failed, without an exit status of its own
//
// (https://healthchecks.io/docs/http_api/, /docs/signaling_failures/,
// /docs/measuring_script_run_time/). The body of the last ping is logged by
// the service: the tail of the job's output and downfor's line.
const (
	// pingTries is how many times a ping is sent before giving up, and
	// pingBackoff the unit of the linear wait between tries: 1 s, then 2 s
	// (runitor: internal/api.go, DefaultRetries 2, Backoff 1 s).
	pingTries   = 3
	pingBackoff = time.Second
	// pingAttemptTimeout bounds one try (runitor's DefaultTimeout).
	pingAttemptTimeout = 5 * time.Second
	// pingBudget bounds one ping, its tries and waits included, so a dead
	// ping service delays the job's end by at most this much (twice at
	// the end: the start ping may still be trying).
	pingBudget = 10 * time.Second
	// pingBodyLimit is the most of a body sent: healthchecks.io keeps the
	// first 100 kB (100,000 bytes; /docs/attaching_logs/). A server may
	// say less in its Ping-Body-Limit header, which is then obeyed.
	pingBodyLimit = 100_000
	// pingResponseLimit bounds what is read of a ping's answer.
	pingResponseLimit = 4 << 10
)

// pinger sends the pings of one "downfor run". The zero value is not
// usable: see newPinger. A nil *pinger sends nothing, so callers need no
// test for --ping.
type pinger struct {
	base      *url.URL
	client    *http.Client
	runID     string
	userAgent string
	warn      io.Writer // where a failed ping is reported

	tries          int
	backoff        time.Duration
	attemptTimeout time.Duration
	budget         time.Duration
	bodyLimit      int

	started chan struct{} // closed when the start ping is over
}

// newPinger checks the ping URL and returns its pinger, or nil for an
// empty URL.
func newPinger(raw string, warn io.Writer) (*pinger, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("--ping: not an http or https URL (write it like https://hc-ping.com/YOUR-UUID)")
	}
	u.Fragment, u.RawFragment = "", ""
	tr := http.DefaultTransport.(*http.Transport).Clone()
	return &pinger{
		base:      u,
		client:    &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		runID:     newRunID(),
		userAgent: userAgent(),
		warn:      warn,

		tries:          pingTries,
		backoff:        pingBackoff,
		attemptTimeout: pingAttemptTimeout,
		budget:         pingBudget,
		bodyLimit:      pingBodyLimit,
	}, nil
}

// start sends the start ping in the background, so the job does not wait
// for it; end waits for it before sending its own.
func (p *pinger) start(ctx context.Context) {
	if p == nil {
		return
	}
	p.started = make(chan struct{})
	go func() {
		defer close(p.started)
		resp, err := p.send(ctx, "start", nil)
		if err != nil {
			p.report("start", err)
			return
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(resp.Get("Ping-Body-Limit")), 10, 31); err == nil && int(n) < p.bodyLimit {
			p.bodyLimit = int(n)
		}
	}()
}

// end sends the last ping of the run, as decided by endPing, with the tail
// of the job's output (tail, which may be empty) and downfor's note as
// body. It returns when the ping is over: sent, refused, or out of time.
func (p *pinger) end(ctx context.Context, e pingEnd, tail *tailBuffer) {
	if p == nil {
		return
	}
	if p.started != nil {
		<-p.started // bounded by the start ping's budget
	}
	suffix, note := endPing(e, time.Now())
	if _, err := p.send(ctx, suffix, pingBody(tail, note, p.bodyLimit)); err != nil {
		name := suffix
		if name == "" {
			name = "success"
		}
		p.report(name, err)
	}
}

// pingEnd is what the last ping reports about a run.
type pingEnd struct {
	// code is downfor's exit code.
	code int
	// outcome is how the run ended, as the state file says it:
	// "ok", "failed", "maintenance" (failed during maintenance, kept
	// quiet), "skipped" (not started, --skip-before), or "" when the job
	// did not start or downfor was interrupted.
	outcome string
	// jobExit is the job's own exit code, when it ran.
	jobExit int
	// target is the service's URL, and verdict what it was found to be
	// when the job failed (nil when not checked).
	target  string
	verdict *classify.Verdict
	// maintenanceSince is when the current maintenance began, zero when
	// unknown; past alertAfter (if positive), a maintenance no longer
	// keeps the check green.
	maintenanceSince time.Time
	alertAfter       time.Duration
}

// endPing decides the last ping: the suffix of the ping URL ("" for
// success, "3" for exit status 3, "fail") and a note saying why, for the
// body. A failure during maintenance keeps the check green until the
// maintenance has lasted alertAfter.
func endPing(e pingEnd, now time.Time) (suffix, note string) {
	switch e.outcome {
	case "ok":
		return "", ""
	case "maintenance", "skipped":
		what := fmt.Sprintf("the job failed (exit %d)", e.jobExit)
		if e.outcome == "skipped" {
			what = "the job was not started"
		}
		service := e.target + " is in maintenance"
		if e.verdict != nil {
			service = serviceSummary(e.target, *e.verdict, now)
		}
		since := ""
		if !e.maintenanceSince.IsZero() {
			lasted := now.Sub(e.maintenanceSince)
			since = fmt.Sprintf(" (maintenance since %s, %s ago)", e.maintenanceSince.UTC().Format(time.RFC3339), lasted.Round(time.Second))
			if e.alertAfter > 0 && lasted >= e.alertAfter { // as run's own bookkeeping decides it
				return exitSuffix(e.jobExit), fmt.Sprintf("downfor: %s; service %s%s: longer than --alert-after %s, so this is a failure", what, service, since, e.alertAfter)
			}
		}
		return "", fmt.Sprintf("downfor: %s; service %s%s: kept green because of the maintenance", what, service, since)
	}
	note = fmt.Sprintf("downfor: exit %d", e.code)
	if e.verdict != nil {
		note = fmt.Sprintf("downfor: job failed (exit %d); service %s", e.code, serviceSummary(e.target, *e.verdict, now))
	}
	return exitSuffix(e.code), note
}

// exitSuffix is the failure suffix for an exit code: the code itself when
// it is one (1-255), else "fail".
func exitSuffix(code int) string {
	if code > 0 && code <= 255 {
		return strconv.Itoa(code)
	}
	return "fail"
}

// pingBody is the tail of the job's output followed by note, at most
// limit bytes: the output's head goes first (the end, where errors are,
// matters most), and a marker says how much was cut.
func pingBody(tail *tailBuffer, note string, limit int) []byte {
	if limit <= 0 {
		return nil
	}
	if note != "" {
		note += "\n"
	}
	var out []byte
	var cut int64
	if tail != nil {
		out, cut = tail.bytes(), tail.cut()
	}
	const marker = "[downfor: %d bytes of output cut]\n"
	if room := limit - len(note) - len(marker) - 20; len(out) > room {
		n := max(room, 0)
		cut += int64(len(out) - n)
		out = out[len(out)-n:]
	}
	var b bytes.Buffer
	if cut > 0 {
		fmt.Fprintf(&b, marker, cut)
	}
	b.Write(out)
	if len(out) > 0 && out[len(out)-1] != '\n' && note != "" {
		b.WriteByte('\n')
	}
	b.WriteString(note)
	body := b.Bytes()
	if len(body) > limit {
		body = body[len(body)-limit:]
	}
	return body
}

// tailOf is the last limit bytes of a job's output, both streams in the
// order they came.
func tailOf(out *outputLog, limit int) *tailBuffer {
	t := &tailBuffer{limit: limit}
	_ = out.replay(t, t) // an error here only shortens the body
	return t
}

// tailBuffer keeps the last limit bytes written to it, in at most twice
// that much memory, and counts what it dropped.
type tailBuffer struct {
	limit   int
	buf     []byte
	written int64
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	t.written += int64(n)
	if len(p) >= t.limit {
		t.buf = append(t.buf[:0], p[len(p)-t.limit:]...)
		return n, nil
	}
	if len(t.buf)+len(p) > 2*t.limit {
		keep := t.limit - len(p)
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-keep:]...)
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

// bytes returns the last limit bytes written.
func (t *tailBuffer) bytes() []byte {
	if len(t.buf) > t.limit {
		return t.buf[len(t.buf)-t.limit:]
	}
	return t.buf
}

// cut is how many bytes were written before those bytes returns.
func (t *tailBuffer) cut() int64 { return t.written - int64(len(t.bytes())) }

// errPingRefused is a ping answered with a status that a retry would not
// change.
var errPingRefused = errors.New("refused")

// send POSTs one ping: base URL + "/" + suffix (none for success), with
// the run ID, retried on network errors and on 408, 429 and 5xx (the
// statuses curl and runitor retry), within the budget. ctx's cancellation
// (downfor interrupted) does not stop it: the ping saying so matters most
// then; the budget does. It returns the answer's header.
func (p *pinger) send(ctx context.Context, suffix string, body []byte) (http.Header, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.budget)
	defer cancel()
	u := *p.base
	if suffix != "" {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/" + suffix
		u.RawPath = ""
	}
	q := u.Query()
	q.Set("rid", p.runID)
	u.RawQuery = q.Encode()
	target := u.String()

	var lastErr error
	for try := 0; try < p.tries; try++ {
		if try > 0 && !sleepCtx(ctx, time.Duration(try)*p.backoff) {
			break
		}
		h, retry, err := p.attempt(ctx, target, body)
		if err == nil {
			return h, nil
		}
		lastErr = err
		if !retry {
			return nil, err
		}
	}
	if lastErr == nil || ctx.Err() != nil {
		return nil, fmt.Errorf("no answer within %s (last: %v)", p.budget, lastErr)
	}
	return nil, fmt.Errorf("%w (after %d tries)", lastErr, p.tries)
}

// attempt sends one try; retry says whether another may succeed.
func (p *pinger) attempt(ctx context.Context, target string, body []byte) (h http.Header, retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, p.attemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	req.Header.Set("User-Agent", p.userAgent)
	resp, err := p.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL holds the check's secret UUID: never print it
		}
		return nil, true, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, pingResponseLimit))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return resp.Header, false, nil
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return nil, true, fmt.Errorf("status %d", code)
	default:
		return nil, false, fmt.Errorf("%w: status %d", errPingRefused, code)
	}
}

// report says on stderr that a ping failed. The URL is not printed: its
// path is the check's secret.
func (p *pinger) report(name string, err error) {
	fmt.Fprintf(p.warn, "downfor: the %s ping to %s failed: %v; the job's exit code is unchanged\n", name, p.base.Host, err)
}

// sleepCtx waits for d or ctx's end; it reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// newRunID is a random UUID (version 4), the run ID healthchecks.io pairs
// a start ping with its end by (the rid parameter).
func newRunID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

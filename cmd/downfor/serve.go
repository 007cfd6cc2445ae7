package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/downfor/downfor/testserver"
)

// defaultListen is where "downfor serve" listens unless told otherwise:
// loopback only, so that nothing outside this machine reaches the mock.
const defaultListen = "127.0.0.1:8080"

const serveUsage = `Usage: downfor serve [flags]

Run the mock server: a service that answers the way real services answer
when they are down for maintenance, throttling, broken or unreachable, one
mode at a time, so that downfor (or any client) can be tried against each.
Besides its pages it answers, on the same origin, the probe
/down-for-maintenance, a health endpoint /health and a Statuspage v2 page
/api/v2/summary.json, each as the mode's real system would. It records
every request (the last 100,000, at most 64 MiB, each with at most 4 KiB
of its header) and prints one line for each on stderr (unless --quiet).

It listens on ` + defaultListen + ` unless --listen says otherwise, and only on
a loopback address (127.0.0.1, ::1, localhost) unless --allow-remote is
given: then it warns that other machines can reach it. --listen
127.0.0.1:0 picks a free port; the first line printed says which.

A control API switches the mode while it runs. It needs a bearer token:
from --token-file FILE, DOWNFOR_TOKEN or --token (which other users can
read in ps, unlike the first two); without any, a random one is printed at
start:
  curl -X POST -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8080/_downfor/mode?name=django'
  curl -X POST -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8080/_downfor/mode?timeline=ok:10s,django:30s,ok'
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/_downfor/mode
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/_downfor/requests
  curl -X DELETE -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/_downfor/requests

A timeline plays modes in turn, each for a Go duration; the last one stays:
"ok:10s,django:30s,ok" or "ok 10s, django 30s, ok".

Examples:
  downfor serve --mode django
  DOWNFOR_TOKEN=s3cret downfor serve --mode osf
  downfor serve --listen 0.0.0.0:8080 --allow-remote --token-file /run/secrets/downfor-token
  downfor serve --timeline 'ok 10s, retry-after-seconds 30s, ok' --retry-after 30s
  downfor serve --list
  downfor check http://127.0.0.1:8080/        (from another terminal)

It stops on SIGINT or SIGTERM with exit code 0. A mistake on the command
line exits 64; failing to listen exits 70.
`

func serveCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	cmd := newCommand("serve", serveUsage, stdout, stderr)
	fs := cmd.fs
	listen := fs.String("listen", defaultListen, "`ADDR` to listen on, host:port (port 0 picks a free one); loopback only unless --allow-remote")
	allowRemote := fs.Bool("allow-remote", false, "allow --listen on an address other machines can reach (such as 0.0.0.0:8080); warns")
	mode := fs.String("mode", "ok", "the `NAME` of the mode to serve (see --list)")
	timeline := fs.String("timeline", "", "play the modes of `SPEC` in turn, e.g. 'ok:10s,django:30s,ok' (instead of --mode)")
	retryAfter := fs.Duration("retry-after", 0, "replace the Retry-After every mode sends, and the length of announced maintenances, with this `DURATION` (the hostile retry-after-* modes keep theirs)")
	token := fs.String("token", "", "bearer `TOKEN` of the control API, visible in ps: prefer --token-file or DOWNFOR_TOKEN (default $DOWNFOR_TOKEN, else a random one, printed)")
	tokenFile := fs.String("token-file", "", "read the control API's bearer token from `FILE` (its first line)")
	healthAllow := fs.String("health-allow", "", "answer /health only to these client addresses: comma-separated `CIDRs` or IPs; others get 403")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a self-signed certificate for 127.0.0.1 and localhost")
	certOut := fs.String("tls-cert", "", "with --tls, write the certificate (PEM) to `FILE`, for clients to trust")
	list := fs.Bool("list", false, "print every mode, one a line: NAME<TAB>CLASS<TAB>description; then exit")
	jsonOut := fs.Bool("json", false, `with --list, print a JSON array of {"name","class","description",...}`)
	quiet := fs.Bool("quiet", false, "print nothing on stderr but errors (no line for each request)")

	pos, code, done := cmd.parse(args, false)
	if done {
		return code
	}
	if len(pos) > 0 {
		return cmd.fail(usagef("serve takes no arguments, got %q", pos))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	if *list {
		return listModes(stdout, stderr, *jsonOut)
	}
	if *jsonOut {
		return cmd.fail(usagef("--json goes with --list"))
	}

	cfg := testserver.Config{Addr: *listen, RetryAfter: *retryAfter, TLS: *useTLS}
	remote, err := checkListen(*listen)
	if err != nil {
		return cmd.fail(err)
	}
	if remote && !*allowRemote {
		return cmd.fail(usagef("--listen %s: other machines could reach this address; add --allow-remote if that is what you want, or listen on 127.0.0.1", *listen))
	}
	if *retryAfter < 0 {
		return cmd.fail(usagef("--retry-after must not be negative, got %v", *retryAfter))
	}
	if *certOut != "" && !*useTLS {
		return cmd.fail(usagef("--tls-cert goes with --tls"))
	}
	if set["mode"] && set["timeline"] {
		return cmd.fail(usagef("give --mode or --timeline, not both"))
	}
	if set["timeline"] {
		steps, err := testserver.ParseTimeline(*timeline)
		if te := (*testserver.TimelineError)(nil); errors.As(err, &te) {
			return cmd.fail(usagef("--timeline: %s", te.Reason))
		}
		cfg.Timeline = steps
	} else {
		if !knownMode(*mode) {
			return cmd.fail(usagef("--mode: unknown mode %q; valid modes: %s", *mode, strings.Join(testserver.ModeNames(), ", ")))
		}
		cfg.Mode = *mode
	}
	if *token != "" && *tokenFile != "" {
		return cmd.fail(usagef("give --token or --token-file, not both"))
	}
	prefixes, err := parseHealthAllow(*healthAllow)
	if err != nil {
		return cmd.fail(err)
	}
	cfg.HealthAllow = prefixes

	tokenFrom := ""
	switch {
	case *tokenFile != "":
		if cfg.Token, err = readTokenFile(*tokenFile); err != nil {
			return cmd.fail(err)
		}
		tokenFrom = "--token-file"
	case *token != "":
		cfg.Token, tokenFrom = *token, "--token"
	case env.Token != "":
		cfg.Token, tokenFrom = env.Token, "DOWNFOR_TOKEN"
	}
	logw := &lockedWriter{w: stderr}
	if !*quiet {
		cfg.Logf = func(format string, args ...any) {
			fmt.Fprintf(logw, "%s "+format+"\n", append([]any{time.Now().UTC().Format(time.RFC3339)}, args...)...)
		}
	}

	srv, err := testserver.Start(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "downfor serve: %v\n", err)
		return exitSoftware
	}
	defer srv.Close()
	if *certOut != "" {
		if err := os.WriteFile(*certOut, srv.CertificatePEM(), 0o644); err != nil {
			fmt.Fprintf(stderr, "downfor serve: %v\n", err)
			return exitSoftware
		}
	}

	what := "mode " + cfg.Mode
	if len(cfg.Timeline) > 0 {
		what = "timeline " + cfg.Timeline.String()
	}
	// One write, so a reader that sees the URL sees the token too.
	var banner strings.Builder
	fmt.Fprintf(&banner, "downfor serve: listening on %s (%s)\n", srv.URL, what)
	if tokenFrom == "" {
		fmt.Fprintf(&banner, "token: %s\n", srv.Token)
	} else {
		fmt.Fprintf(&banner, "token: from %s\n", tokenFrom)
	}
	if remote {
		fmt.Fprintf(&banner, "warning: listening on %s: other machines can reach this mock server; its control API is guarded only by the token\n", *listen)
	}
	if cert := srv.Certificate(); cert != nil {
		sum := sha256.Sum256(cert.Raw)
		fmt.Fprintf(&banner, "tls: self-signed certificate, SHA-256 %X", sum[:])
		if *certOut != "" {
			fmt.Fprintf(&banner, ", written to %s", *certOut)
		}
		fmt.Fprintln(&banner)
	}
	fmt.Fprintf(&banner, "control: curl -X POST -H 'Authorization: Bearer TOKEN' '%s/_downfor/mode?name=NAME'\n", srv.URL)

	io.WriteString(stdout, banner.String())

	<-ctx.Done()
	srv.Close()
	if !*quiet {
		fmt.Fprintln(logw, "downfor serve: stopped")
	}
	return exitOK
}

// listModes prints every mode, as text or JSON.
func listModes(stdout, stderr io.Writer, asJSON bool) int {
	modes := testserver.Modes()
	if asJSON {
		b, err := json.MarshalIndent(modes, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "downfor serve: %v\n", err)
			return exitSoftware
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return exitOK
	}
	for _, m := range modes {
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", m.Name, m.Class, m.Description)
	}
	return exitOK
}

func knownMode(name string) bool {
	for _, n := range testserver.ModeNames() {
		if n == name {
			return true
		}
	}
	return false
}

// checkListen rejects an address that is not host:port before trying it,
// and reports whether other machines could reach it: any address but a
// loopback one (an empty host means every interface).
func checkListen(addr string) (remote bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false, usagef("--listen: %q is not HOST:PORT (such as %s or 127.0.0.1:0)", addr, defaultListen)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return false, usagef("--listen: bad port %q in %q", port, addr)
	}
	switch host {
	case "":
		return true, nil
	case "localhost":
		return false, nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false, usagef("--listen: %q is not an IP address or localhost", host)
	}
	return !ip.Unmap().IsLoopback(), nil
}

// maxTokenFile bounds what --token-file reads.
const maxTokenFile = 4 << 10

// readTokenFile reads the token from the first line of path, without
// surrounding blanks. The file must hold one.
func readTokenFile(path string) (string, error) {
	f, err := openRegular(path)
	if err != nil {
		return "", usagef("--token-file: %v", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return "", usagef("--token-file: %v", err)
	}
	if len(b) > maxTokenFile {
		return "", usagef("--token-file %s: larger than %d bytes; want the token alone", path, maxTokenFile)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	tok := strings.TrimSpace(line)
	if tok == "" {
		return "", usagef("--token-file %s: empty; want the token on its first line", path)
	}
	if strings.ContainsFunc(tok, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return "", usagef("--token-file %s: the token holds control characters", path)
	}
	return tok, nil
}

// parseHealthAllow reads "10.0.0.0/8, 192.0.2.7, ::1": CIDR prefixes or
// single addresses.
func parseHealthAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, usagef("--health-allow: %q is not an IP address or CIDR prefix (such as 10.0.0.0/8, 192.0.2.7 or ::1)", part)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	if s != "" && len(out) == 0 {
		return nil, usagef("--health-allow: no address in %q", s)
	}
	return out, nil
}

// lockedWriter serialises writes from the server's many goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

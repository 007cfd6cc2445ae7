// Package corpus holds real products' responses, one small file per product
// and situation, each with the class a careful operator wants, and the
// loader that turns them into test cases. TestCorpus runs every case
// through package classify (and, for cases with out-of-band parts, through
// package probe against a loopback server) and prints one line:
//
//	corpus: N of M right, F false maintenance, G false malfunction
//
// Run it with:
//
//	go test -run TestCorpus -v ./internal/corpus
//
// It fails on any false maintenance, and on any other wrong case that is
// not marked known-wrong.
//
// # The file format
//
// A case is testdata/<product>-<situation>.http: a block of "# key: value"
// lines, then the raw response as on the wire (status line, header lines,
// a blank line, the body). For example:
//
//	# product: nginx 1.24
//	# source: nginx/nginx src/http/ngx_http_special_response.c ngx_http_error_502_page
//	# situation: upstream dead
//	# want: malfunction
//	# strength: explicit
//	HTTP/1.1 502 Bad Gateway
//	Server: nginx/1.24.0
//	Content-Type: text/html
//
//	<html>
//	...
//
// Keys (unknown keys are an error):
//
//   - want (required): ok, client_error, throttled, maintenance,
//     malfunction or network.
//   - source (required, repeatable): where the response was read, as
//     "owner/repo path function" or a documentation URL. Every case is
//     faithful to its product's source; none is invented.
//   - product, situation, notes: what it is. Notes say "ambiguous, loud
//     class chosen" where the product cannot be told apart.
//   - strength: implied or explicit, for want maintenance or malfunction:
//     the least strength of the evidence that most supports the verdict.
//   - known-wrong: why today's rules still get it wrong; reported, not a
//     failure (a false maintenance fails all the same).
//   - path: the path asked for (default "/"); now: the RFC 3339 moment the
//     case is judged at (default 2026-06-01T12:00:00Z), for fixtures that
//     carry dates.
//   - rule (repeatable): a user rule as classify.ParseRule reads it;
//     html: on, for the opt-in HTML rule. Only for cases about them.
//   - health, status-page, component (repeatable): the out-of-band sources
//     to consult, as the probe package's Config takes them.
//
// The body runs to the end of the file, or to a line "=== PATH", its last
// newline included. That line starts another part: the response the same
// server gives at PATH (the well-known probe /down-for-maintenance, a
// health endpoint, a status page document), or at every other path for
// "=== *" (a catch-all site).
// A case with such parts, or with health or status-page set, is served by
// [Case.Handler] on a loopback server and also consults the probe.
//
// The file is text: Content-Length and Transfer-Encoding in it are
// ignored and the loader sets Content-Length to the body's length; with
// "Content-Encoding: gzip" the loader compresses the body it reads, so the
// case sends what such a server sends. Lines may end in LF.
//
// # Captured live
//
// The live-*.http cases were not written from source: they are what the
// Debian bookworm packages of nginx, Apache httpd, HAProxy, Varnish,
// Squid, lighttpd, Caddy, php-fpm, Django (with django-maintenance-mode),
// gunicorn and Tomcat sent on 127.0.0.1, captured with curl -sS -i --raw
// (chunked bodies joined, nothing else changed). Each server fronted a
// backend that refuses connections, one that hangs and one that sends a
// broken header, and was set up with the maintenance switch its own
// documentation describes (a flag file and error_page, RewriteCond and
// ErrorDocument, a server in MAINT, errorfile, synth, mod_magnet,
// handle_errors), a single-page app's catch-all and a rate limit. Each
// file's source line gives the configuration it was captured with and its
// documentation page. The directory live/ holds the configurations, the
// test backends, the capture script (live/capture.sh, which lists every
// request) and the generator that writes the case files, so the captures
// can be made again; nothing in it runs in the tests.
//
// An operator's maintenance page that says so only in its HTML, without
// Retry-After or a header downfor reads, is ambiguous (the same server
// sends it when its backends are down): those cases want malfunction, and
// a companion case with "# html: on" shows that the opt-in HTML rule reads
// them.
//
// # Adding a case
//
// Read the product's source or documentation, find the exact status,
// headers and body it sends, and write them down with the citation. Pick
// the class an operator wants, not the one downfor gives today; if downfor
// disagrees, the rule is what needs fixing. Then run the test.
package corpus

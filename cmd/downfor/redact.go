package main

import (
	"io"
	"net/url"
	"strings"
)

// redacted is what a secret is replaced with.
const redacted = "xxxxx"

// minSecret is the shortest string the redactor hides wherever it appears:
// shorter ones would mangle every line (the URL itself is always redacted).
const minSecret = 4

// secretParam reports whether a query parameter's name says its value is
// a credential (access_token, api_key, sig, password...).
func secretParam(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"token", "key", "secret", "passw", "pwd", "auth", "sig", "credential", "session"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// redactURL returns u as a string with its credentials hidden: the user
// information (a user name alone is often a token) and the values of
// query parameters whose names say they are secrets.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		parts := strings.Split(c.RawQuery, "&")
		for i, p := range parts {
			name, _, found := strings.Cut(p, "=")
			if dn, err := url.QueryUnescape(name); err == nil {
				name = dn
			}
			if found && secretParam(name) {
				parts[i] = p[:strings.IndexByte(p, '=')+1] + redacted
			}
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	s := c.String()
	if u.User != nil {
		if i := strings.Index(s, "://"); i >= 0 {
			s = s[:i+3] + redacted + "@" + s[i+3:]
		}
	}
	return s
}

// secretsOf returns the strings of u that must never be written: the user
// name and password, and secret query values, each as written in the URL
// and decoded.
func secretsOf(u *url.URL) []string {
	if u == nil {
		return nil
	}
	var out []string
	add := func(raw, decoded string) {
		for _, s := range []string{raw, decoded} {
			if len(s) >= minSecret {
				out = append(out, s)
			}
		}
	}
	if u.User != nil {
		name := u.User.Username()
		add(name, url.User(name).String())
		if p, ok := u.User.Password(); ok {
			add(p, url.QueryEscape(p))
		}
		add(u.User.String(), "")
	}
	for _, p := range strings.Split(u.RawQuery, "&") {
		name, value, found := strings.Cut(p, "=")
		if dn, err := url.QueryUnescape(name); err == nil {
			name = dn
		}
		if !found || !secretParam(name) {
			continue
		}
		dv, err := url.QueryUnescape(value)
		if err != nil {
			dv = value
		}
		add(value, dv)
	}
	return out
}

// redactor hides the secrets of the URLs downfor was given in everything
// downfor itself writes: its lines, its JSON, its state file. (A job's own
// output is the job's, and is replayed as it was.) The zero value hides
// nothing.
type redactor struct {
	r *strings.Replacer
}

// newRedactor hides values (at least minSecret bytes long) and the
// secrets of every URL given.
func newRedactor(values []string, urls ...*url.URL) redactor {
	var pairs []string
	seen := map[string]bool{}
	add := func(s string) {
		if len(s) >= minSecret && !seen[s] {
			seen[s] = true
			pairs = append(pairs, s, redacted)
		}
	}
	for _, v := range values {
		add(v)
	}
	for _, u := range urls {
		for _, s := range secretsOf(u) {
			add(s)
		}
	}
	if len(pairs) == 0 {
		return redactor{}
	}
	return redactor{strings.NewReplacer(pairs...)}
}

// String returns s with every secret replaced.
func (r redactor) String(s string) string {
	if r.r == nil {
		return s
	}
	return r.r.Replace(s)
}

// Writer returns a writer that redacts each write before passing it to w.
// Secrets are hidden within one write; downfor writes each line whole.
func (r redactor) Writer(w io.Writer) io.Writer {
	if r.r == nil {
		return w
	}
	return redactWriter{r: r, w: w}
}

type redactWriter struct {
	r redactor
	w io.Writer
}

func (rw redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

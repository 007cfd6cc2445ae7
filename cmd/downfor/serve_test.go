package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// serveBuffer is a bytes.Buffer safe for the server's concurrent writes.
type serveBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *serveBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *serveBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runningServe is "downfor serve" running in the background.
type runningServe struct {
	url    string
	stdout *serveBuffer
	stderr *serveBuffer
	stop   context.CancelFunc
	code   chan int
}

var listenLine = regexp.MustCompile(`^downfor serve: listening on (https?://\S+) \(`)

// startServe runs serveCmd with args until the test ends (or stop is
// called) and waits until it listens.
func startServe(t *testing.T, env environment, args ...string) *runningServe {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	rs := &runningServe{stdout: &serveBuffer{}, stderr: &serveBuffer{}, stop: cancel, code: make(chan int, 1)}
	go func() {
		rs.code <- serveCmd(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), env, rs.stdout, rs.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-rs.code:
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	require.Eventually(t, func() bool {
		m := listenLine.FindStringSubmatch(rs.stdout.String())
		if m == nil {
			return false
		}
		rs.url = m[1]
		return true
	}, 10*time.Second, 5*time.Millisecond, "stdout: %s\nstderr: %s", rs.stdout, rs.stderr)
	return rs
}

// wait stops the server and returns its exit code.
func (rs *runningServe) wait(t *testing.T) int {
	t.Helper()
	rs.stop()
	select {
	case code := <-rs.code:
		rs.code <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
		return -1
	}
}

// serveGet sends one request without keeping the connection.
func serveGet(t *testing.T, c *http.Client, method, url, token string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	require.NoError(t, err)
	req.Close = true
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func TestServeRuns(t *testing.T) {
	rs := startServe(t, environment{Token: "from-env"}, "--mode", "django", "--retry-after", "3s")
	out := rs.stdout.String()
	assert.Contains(t, out, "(mode django)")
	assert.Contains(t, out, "token: from DOWNFOR_TOKEN")
	assert.NotContains(t, out, "from-env", "a token the user gave is not echoed")

	code, h, _ := serveGet(t, nil, http.MethodGet, rs.url+"/orders", "")
	assert.Equal(t, 503, code)
	assert.Equal(t, "3", h.Get("Retry-After"))

	code, _, body := serveGet(t, nil, http.MethodPost, rs.url+"/_downfor/mode?name=ok", "wrong")
	assert.Equal(t, 401, code, body)
	code, _, body = serveGet(t, nil, http.MethodPost, rs.url+"/_downfor/mode?name=ok", "from-env")
	assert.Equal(t, 200, code, body)
	code, _, _ = serveGet(t, nil, http.MethodGet, rs.url+"/orders", "")
	assert.Equal(t, 200, code)

	code, _, body = serveGet(t, nil, http.MethodGet, rs.url+"/_downfor/requests", "from-env")
	require.Equal(t, 200, code)
	var reqs []struct{ Time, Method, Path string }
	require.NoError(t, json.Unmarshal([]byte(body), &reqs))
	require.Len(t, reqs, 2)
	assert.Equal(t, "/orders", reqs[1].Path)

	assert.Equal(t, exitOK, rs.wait(t))
	errOut := rs.stderr.String()
	assert.Contains(t, errOut, "GET /orders (mode django)")
	assert.Contains(t, errOut, "downfor serve: stopped")
}

func TestServeRandomToken(t *testing.T) {
	rs := startServe(t, environment{}, "--quiet")
	m := regexp.MustCompile(`(?m)^token: ([0-9a-f]{32})$`).FindStringSubmatch(rs.stdout.String())
	require.NotNil(t, m, rs.stdout.String())
	code, _, body := serveGet(t, nil, http.MethodGet, rs.url+"/_downfor/mode", m[1])
	assert.Equal(t, 200, code)
	assert.Contains(t, body, `"mode":"ok"`)
	serveGet(t, nil, http.MethodGet, rs.url+"/", "")
	assert.Equal(t, exitOK, rs.wait(t))
	assert.Empty(t, rs.stderr.String(), "--quiet")
}

func TestServeTokenFlagBeatsEnv(t *testing.T) {
	rs := startServe(t, environment{Token: "env"}, "--token", "flag", "--quiet")
	assert.Contains(t, rs.stdout.String(), "token: from --token")
	code, _, _ := serveGet(t, nil, http.MethodGet, rs.url+"/_downfor/mode", "flag")
	assert.Equal(t, 200, code)
	code, _, _ = serveGet(t, nil, http.MethodGet, rs.url+"/_downfor/mode", "env")
	assert.Equal(t, 401, code)
}

func TestServeTimelineAndHealthAllow(t *testing.T) {
	rs := startServe(t, environment{}, "--quiet", "--timeline", "laravel 1h, ok", "--health-allow", "10.0.0.0/8, 192.0.2.7")
	assert.Contains(t, rs.stdout.String(), "(timeline laravel:1h0m0s,ok)")
	code, h, _ := serveGet(t, nil, http.MethodGet, rs.url+"/", "")
	assert.Equal(t, 503, code)
	assert.Equal(t, "15", h.Get("Refresh"))
	code, _, _ = serveGet(t, nil, http.MethodGet, rs.url+"/health", "")
	assert.Equal(t, 403, code, "127.0.0.1 is not allowed")
}

func TestServeHealthAllowLoopback(t *testing.T) {
	rs := startServe(t, environment{}, "--quiet", "--health-allow", "127.0.0.1")
	code, h, _ := serveGet(t, nil, http.MethodGet, rs.url+"/health", "")
	assert.Equal(t, 200, code)
	assert.Equal(t, "application/vnd.spring-boot.actuator.v3+json", h.Get("Content-Type"))
}

func TestServeTLS(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "cert.pem")
	rs := startServe(t, environment{}, "--quiet", "--tls", "--tls-cert", certFile)
	assert.True(t, strings.HasPrefix(rs.url, "https://127.0.0.1:"), rs.url)
	assert.Contains(t, rs.stdout.String(), "written to "+certFile)
	pemBytes, err := os.ReadFile(certFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pemBytes))
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DisableKeepAlives: true,
		TLSClientConfig:   &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
	}}
	code, _, body := serveGet(t, c, http.MethodGet, rs.url+"/", "")
	assert.Equal(t, 200, code)
	assert.Contains(t, body, `"ok":true`)
}

func TestServeList(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, exitOK, serveCmd(t.Context(), []string{"--list"}, environment{}, &out, &errb))
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	modes := testserver.Modes()
	require.Len(t, lines, len(modes))
	for i, line := range lines {
		f := strings.Split(line, "\t")
		require.Len(t, f, 3, line)
		assert.Equal(t, modes[i].Name, f[0])
		assert.Equal(t, modes[i].Class, f[1])
		assert.Equal(t, modes[i].Description, f[2])
	}
	assert.Equal(t, "ok\tok\t", lines[0][:6])
	assert.Empty(t, errb.String())
}

func TestServeListJSON(t *testing.T) {
	var out bytes.Buffer
	require.Equal(t, exitOK, serveCmd(t.Context(), []string{"--list", "--json"}, environment{}, &out, io.Discard))
	var got []map[string]string
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	modes := testserver.Modes()
	require.Len(t, got, len(modes))
	for i, m := range got {
		assert.Equal(t, modes[i].Name, m["name"])
		assert.Equal(t, modes[i].Class, m["class"])
		assert.Equal(t, modes[i].Description, m["description"])
	}
	// Through run, as a user types it.
	code, stdout, _ := serveRun(t, "serve", "-list", "-json")
	assert.Equal(t, exitOK, code)
	assert.JSONEq(t, out.String(), stdout)
}

// serveRun runs the whole program.
func serveRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestServeHelp(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"serve", "-h"}, {"help", "serve"}} {
		code, stdout, _ := serveRun(t, args...)
		assert.Equal(t, exitOK, code, args)
		assert.Contains(t, stdout, "Usage: downfor serve")
		assert.Contains(t, stdout, "Examples:")
		assert.Contains(t, stdout, "--listen")
		assert.Contains(t, stdout, defaultListen)
	}
}

func TestServeUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"unknown flag", []string{"--bogus"}, []string{"flag provided but not defined: -bogus", "--help"}},
		{"unknown mode", []string{"--mode", "nope"}, []string{`unknown mode "nope"`, "retry-after-seconds", "probe-hang"}},
		{"bad timeline", []string{"--timeline", "ok,django"}, []string{"--timeline", "needs a duration"}},
		{"timeline unknown mode", []string{"--timeline", "ok:1s,nope"}, []string{`unknown mode "nope"`, "valid modes"}},
		{"mode and timeline", []string{"--mode", "ok", "--timeline", "ok"}, []string{"not both"}},
		{"bad cidr", []string{"--health-allow", "10.0.0.0/8,nope"}, []string{`"nope" is not an IP address or CIDR prefix`}},
		{"bad duration", []string{"--retry-after", "soon"}, []string{"retry-after"}},
		{"negative duration", []string{"--retry-after", "-1s"}, []string{"must not be negative"}},
		{"argument", []string{"extra"}, []string{"no arguments"}},
		{"json without list", []string{"--json"}, []string{"--json goes with --list"}},
		{"cert without tls", []string{"--tls-cert", "x.pem"}, []string{"--tls-cert goes with --tls"}},
		{"bad listen", []string{"--listen", "8080"}, []string{"not HOST:PORT"}},
		{"bad listen host", []string{"--listen", "example.com:80"}, []string{"not an IP address"}},
		{"remote listen", []string{"--listen", "0.0.0.0:0"}, []string{"--listen 0.0.0.0:0", "other machines", "--allow-remote"}},
		{"every interface", []string{"--listen", ":0"}, []string{"--allow-remote"}},
		{"remote listen v6", []string{"--listen", "[::]:0"}, []string{"--allow-remote"}},
		{"token and token file", []string{"--token", "a", "--token-file", "f"}, []string{"not both"}},
		{"missing token file", []string{"--token-file", "/nonexistent/token"}, []string{"--token-file", "no such file"}},
		{"token file is a directory", []string{"--token-file", "/"}, []string{"not a regular file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := serveCmd(t.Context(), tt.args, environment{}, &out, &errb)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out.String())
			for _, w := range tt.want {
				assert.Contains(t, errb.String(), w)
			}
		})
	}
}

func TestServeListenFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var out, errb bytes.Buffer
	code := serveCmd(t.Context(), []string{"--listen", ln.Addr().String()}, environment{}, &out, &errb)
	assert.Equal(t, exitSoftware, code)
	assert.Contains(t, errb.String(), "address already in use")
}

func TestParseHealthAllow(t *testing.T) {
	got, err := parseHealthAllow(" 10.1.2.3/8 ,192.0.2.7,::1, ::ffff:198.51.100.1")
	require.NoError(t, err)
	var s []string
	for _, p := range got {
		s = append(s, p.String())
	}
	assert.Equal(t, []string{"10.0.0.0/8", "192.0.2.7/32", "::1/128", "198.51.100.1/32"}, s)
	got, err = parseHealthAllow("")
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = parseHealthAllow(" , ")
	assert.Error(t, err)
}

func TestCheckListen(t *testing.T) {
	tests := []struct {
		addr   string
		remote bool
	}{
		{"127.0.0.1:8080", false},
		{"127.0.0.2:0", false},
		{"[::1]:0", false},
		{"[::ffff:127.0.0.1]:0", false},
		{"localhost:0", false},
		{"0.0.0.0:8080", true},
		{":8080", true},
		{"[::]:0", true},
		{"192.0.2.7:80", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			remote, err := checkListen(tt.addr)
			require.NoError(t, err)
			assert.Equal(t, tt.remote, remote)
		})
	}
}

// --allow-remote lets serve listen beyond loopback, and says so loudly.
func TestServeAllowRemoteWarns(t *testing.T) {
	rs := startServe(t, environment{Token: "t"}, "--quiet", "--listen", "0.0.0.0:0", "--allow-remote")
	out := rs.stdout.String()
	assert.Contains(t, out, "warning: listening on 0.0.0.0:0: other machines can reach this mock server")
	_, port, err := net.SplitHostPort(strings.TrimPrefix(rs.url, "http://"))
	require.NoError(t, err)
	code, _, _ := serveGet(t, nil, http.MethodGet, "http://127.0.0.1:"+port+"/", "")
	assert.Equal(t, 200, code)

	// On loopback, --allow-remote changes nothing and warns of nothing.
	rs = startServe(t, environment{Token: "t"}, "--quiet", "--allow-remote")
	assert.NotContains(t, rs.stdout.String(), "warning")
}

// The token can come from a file, so it is not visible in ps.
func TestServeTokenFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(file, []byte("  s3cret-from-file \nsecond line\n"), 0o600))
	rs := startServe(t, environment{Token: "env"}, "--quiet", "--token-file", file)
	out := rs.stdout.String()
	assert.Contains(t, out, "token: from --token-file")
	assert.NotContains(t, out, "s3cret")
	code, _, _ := serveGet(t, nil, http.MethodGet, rs.url+"/_downfor/mode", "s3cret-from-file")
	assert.Equal(t, 200, code)
	code, _, _ = serveGet(t, nil, http.MethodGet, rs.url+"/_downfor/mode", "env")
	assert.Equal(t, 401, code, "the file beats the environment")

	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	var fifoOut, fifoErr bytes.Buffer
	assert.Equal(t, exitUsage, serveCmd(t.Context(), []string{"--token-file", fifo}, environment{}, &fifoOut, &fifoErr), "a FIFO does not block")
	assert.Contains(t, fifoErr.String(), "not a regular file")

	for name, content := range map[string]string{"empty": "\n  \n", "huge": strings.Repeat("x", maxTokenFile+1), "control": "ab\x01c"} {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(f, []byte(content), 0o600))
			var out, errb bytes.Buffer
			assert.Equal(t, exitUsage, serveCmd(t.Context(), []string{"--token-file", f}, environment{}, &out, &errb))
			assert.Contains(t, errb.String(), "--token-file "+f)
			assert.Empty(t, out.String())
		})
	}
}

package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkTLS runs "downfor check" with args and a clean environment.
func checkTLS(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = checkCmd(t.Context(), append([]string{"--timeout", "10s", "--probe-path", "", "--health", "none", "--status-page", "none"}, args...), environment{}, &out, &errb)
	return code, out.String(), errb.String()
}

// The round trip the issue asks for: "serve --tls --tls-cert FILE" writes
// its certificate, and "check --cacert FILE" trusts it.
func TestTLSRoundTripWithServe(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "serve.pem")
	rs := startServe(t, environment{}, "--quiet", "--tls", "--tls-cert", certFile)

	code, out, errOut := checkTLS(t, "--cacert", certFile, rs.url+"/")
	assert.Equal(t, exitOK, code, "stdout %s stderr %s", out, errOut)
	assert.True(t, strings.HasPrefix(out, "ok "), out)
	assert.NotContains(t, errOut, "WARNING")

	// Without it, the self-signed certificate is not trusted: a network
	// error, not a verdict about the service.
	code, out, _ = checkTLS(t, rs.url+"/")
	assert.Equal(t, exitIOErr, code, out)
	assert.Contains(t, out, "network")

	// --insecure skips verification, and says so on every run.
	for range 2 {
		code, out, errOut = checkTLS(t, "--insecure", rs.url+"/")
		assert.Equal(t, exitOK, code, out)
		assert.Contains(t, errOut, "WARNING: --insecure")
	}
}

// A service that requires a client certificate accepts the one given with
// --cert and --key (or both in one file), and refuses a client without.
func TestTLSClientCertificate(t *testing.T) {
	dir := t.TempDir()
	clientCA, clientCAKey := newTestCA(t, "client CA")
	certPEM, keyPEM := newTestLeaf(t, clientCA, clientCAKey, "job-runner")
	certFile, keyFile, bothFile := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key"), filepath.Join(dir, "both.pem")
	require.NoError(t, os.WriteFile(certFile, certPEM, 0o600))
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))
	require.NoError(t, os.WriteFile(bothFile, append(append([]byte{}, certPEM...), keyPEM...), 0o600))

	var mu sync.Mutex
	var seen []string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.TLS.PeerCertificates[0].Subject.CommonName)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	pool := x509.NewCertPool()
	pool.AddCert(clientCA)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	serverCA := filepath.Join(dir, "server-ca.pem")
	require.NoError(t, os.WriteFile(serverCA, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))

	tests := []struct {
		name string
		args []string
		want int
	}{
		{"cert and key", []string{"--cert", certFile, "--key", keyFile}, exitOK},
		{"one file", []string{"--cert", bothFile}, exitOK},
		{"no certificate", nil, exitIOErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"--cacert", serverCA}, tt.args...), srv.URL+"/")
			code, out, errOut := checkTLS(t, args...)
			assert.Equal(t, tt.want, code, "stdout %s stderr %s", out, errOut)
		})
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"job-runner", "job-runner"}, seen)
}

func TestTLSFlagErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("hello"), 0o600))
	ca, caKey := newTestCA(t, "ca")
	certPEM, _ := newTestLeaf(t, ca, caKey, "c")
	certOnly := filepath.Join(dir, "cert.pem")
	require.NoError(t, os.WriteFile(certOnly, certPEM, 0o600))
	huge := filepath.Join(dir, "huge.pem")
	require.NoError(t, os.WriteFile(huge, bytes.Repeat([]byte("x"), maxPEMFile+1), 0o600))

	fifo := filepath.Join(dir, "fifo.pem")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"cacert is a FIFO", []string{"--cacert", fifo}, "not a regular file"},
		{"missing cacert", []string{"--cacert", filepath.Join(dir, "nope.pem")}, "--cacert: open"},
		{"cacert not PEM", []string{"--cacert", notPEM}, "no PEM certificate"},
		{"cacert huge", []string{"--cacert", huge}, "larger than 4 MiB"},
		{"key without cert", []string{"--key", notPEM}, "--key goes with --cert"},
		{"cert without key", []string{"--cert", certOnly}, "--cert " + certOnly},
		{"cert not PEM", []string{"--cert", notPEM, "--key", notPEM}, "--cert " + notPEM},
		{"missing key", []string{"--cert", certOnly, "--key", filepath.Join(dir, "nope.key")}, "--key: open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := checkTLS(t, append(tt.args, "https://127.0.0.1:1/")...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
		})
	}
}

// wait and run take the same flags, and warn about --insecure too.
func TestTLSFlagsOnWaitAndRun(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "serve.pem")
	rs := startServe(t, environment{}, "--quiet", "--tls", "--tls-cert", certFile)
	var out, errb bytes.Buffer
	code := waitCmd(t.Context(), []string{"--cacert", certFile, "--timeout", "10s", rs.url + "/"}, environment{}, &out, &errb)
	assert.Equal(t, exitOK, code, "stdout %s stderr %s", &out, &errb)

	out.Reset()
	errb.Reset()
	code = runCmd(t.Context(), []string{"--insecure", "--url", rs.url + "/", "--", "false"}, environment{}, process{}, strings.NewReader(""), &out, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "WARNING: --insecure")
	assert.Contains(t, errb.String(), "is ok", "the service was reached over TLS")
}

func newTestCA(t *testing.T, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

// newTestLeaf makes a client certificate signed by ca, in PEM, and its key.
func newTestLeaf(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, name string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}

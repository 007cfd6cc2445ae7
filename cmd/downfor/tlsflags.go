package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
)

// maxPEMFile bounds what --cacert, --cert and --key read: a bundle of a
// few hundred certificates fits.
const maxPEMFile = 4 << 20

// tlsFlags are the TLS flags of check, wait and run: whom to trust and
// which certificate to show. They apply to every request of a check (the
// service, its probe, health endpoint and status page); the zero value
// changes nothing.
type tlsFlags struct {
	caCert   string // --cacert: CA certificates (PEM) trusted besides the system's
	cert     string // --cert: client certificate (PEM)
	key      string // --key: its private key (PEM); if empty, read from cert
	insecure bool   // --insecure: no verification at all
}

// register adds the TLS flags to fs.
func (f *tlsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.caCert, "cacert", "", "also trust the CA certificates (PEM) in `FILE`, such as a private CA's; the system's come from SSL_CERT_FILE or SSL_CERT_DIR when set")
	fs.StringVar(&f.cert, "cert", "", "show the client certificate (PEM) in `FILE` to services that ask for one; its key comes from --key, or from the same file")
	fs.StringVar(&f.key, "key", "", "the private key (PEM) of --cert, in `FILE`")
	fs.BoolVar(&f.insecure, "insecure", false, "DANGEROUS: do not verify the service's TLS certificate (a warning is printed on every run)")
}

// config returns the TLS configuration the flags describe, or nil when
// they describe none (the transport's defaults apply). A file that cannot
// be read or holds no certificate is a usage error naming the flag.
func (f *tlsFlags) config() (*tls.Config, error) {
	if f.caCert == "" && f.cert == "" && f.key == "" && !f.insecure {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if f.caCert != "" {
		pemBytes, err := readPEMFile("--cacert", f.caCert)
		if err != nil {
			return nil, err
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pemBytes) {
			return nil, usagef("--cacert %s: no PEM certificate in it (want -----BEGIN CERTIFICATE-----)", f.caCert)
		}
		cfg.RootCAs = pool
	}
	switch {
	case f.key != "" && f.cert == "":
		return nil, usagef("--key goes with --cert")
	case f.cert != "":
		certPEM, err := readPEMFile("--cert", f.cert)
		if err != nil {
			return nil, err
		}
		keyPEM, keyFlag, keyFile := certPEM, "--cert", f.cert
		if f.key != "" {
			if keyPEM, err = readPEMFile("--key", f.key); err != nil {
				return nil, err
			}
			keyFlag, keyFile = "--key", f.key
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, usagef("--cert %s with the key in %s %s: %v", f.cert, keyFlag, keyFile, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	cfg.InsecureSkipVerify = f.insecure
	return cfg, nil
}

// warn says, loudly and on every run, that --insecure is on.
func (f *tlsFlags) warn(w io.Writer) {
	if f.insecure {
		fmt.Fprintln(w, "downfor: WARNING: --insecure: TLS certificates are not verified; anyone between here and the service can pose as it and read what downfor sends, headers included")
	}
}

// readPEMFile reads a PEM file of at most maxPEMFile bytes.
func readPEMFile(flagName, path string) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, usagef("%s: %v", flagName, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPEMFile+1))
	if err != nil {
		return nil, usagef("%s: %v", flagName, err)
	}
	if len(b) > maxPEMFile {
		return nil, usagef("%s %s: larger than %d MiB", flagName, path, maxPEMFile>>20)
	}
	return b, nil
}

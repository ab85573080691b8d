package loadtest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"
)

// ClientOptions configure the HTTPS client of a run.
type ClientOptions struct {
	// CAFile is the PEM CA bundle the server certificate must chain to.
	CAFile string
	// HTTP1 forces HTTP/1.1 keep-alive connections instead of HTTP/2.
	HTTP1 bool
	// Connections bounds concurrent HTTP/1.1 connections (HTTP/2
	// multiplexes requests on one).
	Connections int
	// Timeout bounds one request.
	Timeout time.Duration
}

// NewClient returns an HTTPS client for loopback load: TLS 1.2 or newer,
// the given CA only, keep-alive, HTTP/2 unless HTTP1.
func NewClient(o ClientOptions) (*http.Client, error) {
	pem, err := os.ReadFile(o.CAFile)
	if err != nil {
		return nil, fmt.Errorf("read CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("read CA: no PEM certificate in " + o.CAFile)
	}
	conns := o.Connections
	if conns <= 0 {
		conns = 64
	}
	t := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:   !o.HTTP1,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	if o.HTTP1 {
		t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &http.Client{Transport: t, Timeout: timeout}, nil
}

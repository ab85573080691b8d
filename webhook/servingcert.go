package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"sync/atomic"

	"sigs.k8s.io/controller-runtime/pkg/certwatcher"
)

// servingCert serves the certificate in a directory through a
// controller-runtime certwatcher, which reloads tls.crt and tls.key when
// they change: rotation needs no restart and fails no request. When the
// certificate is made at run time (certificate rotation), the watcher is
// only created once ready closes; until then handshakes fail and /readyz
// says why.
type servingCert struct {
	dir     string
	ready   <-chan struct{}
	onLoad  func(tls.Certificate)
	watcher atomic.Pointer[certwatcher.CertWatcher]
}

// newServingCert loads the certificate now when ready is nil, failing fast
// on a missing or bad pair; otherwise Start loads it once ready closes.
func newServingCert(dir string, ready <-chan struct{}, onLoad func(tls.Certificate)) (*servingCert, error) {
	c := &servingCert{dir: dir, ready: ready, onLoad: onLoad}
	if ready == nil {
		if err := c.load(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *servingCert) load() error {
	w, err := certwatcher.New(filepath.Join(c.dir, "tls.crt"), filepath.Join(c.dir, "tls.key"))
	if err != nil {
		return fmt.Errorf("load serving certificate from %s: %w", c.dir, err)
	}
	w.RegisterCallback(c.onLoad)
	if err := w.ReadCertificate(); err != nil { // runs the callback for the first pair
		return fmt.Errorf("read serving certificate: %w", err)
	}
	c.watcher.Store(w)
	return nil
}

// Start implements manager.Runnable: it waits for the certificate if it
// is made at run time, then watches the files until ctx ends.
func (c *servingCert) Start(ctx context.Context) error {
	if c.watcher.Load() == nil {
		select {
		case <-c.ready:
		case <-ctx.Done():
			return nil
		}
		if err := c.load(); err != nil {
			return err
		}
	}
	return c.watcher.Load().Start(ctx)
}

// GetCertificate is the tls.Config hook.
func (c *servingCert) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	w := c.watcher.Load()
	if w == nil {
		return nil, errors.New("serving certificate not ready yet")
	}
	return w.GetCertificate(hello)
}

// ReadyCheck fails until the certificate is loaded.
func (c *servingCert) ReadyCheck(_ *http.Request) error {
	if c.watcher.Load() == nil {
		return errors.New("serving certificate not ready yet")
	}
	return nil
}

// Leaf is the certificate served now, nil before one is loaded.
func (c *servingCert) Leaf() *x509.Certificate {
	w := c.watcher.Load()
	if w == nil {
		return nil
	}
	cert, err := w.GetCertificate(nil)
	if err != nil || cert == nil || len(cert.Certificate) == 0 {
		return nil
	}
	if cert.Leaf != nil {
		return cert.Leaf
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return nil
	}
	return leaf
}

package certs

import (
	"fmt"
	"os"
	"path/filepath"
)

const (
	// CertFile is the serving certificate's file and Secret key.
	CertFile = "tls.crt"
	// KeyFile is the serving key's file and Secret key.
	KeyFile = "tls.key"
	// CAFile is the CA certificate's file and Secret key.
	CAFile = "ca.crt"
)

// WriteFiles writes ca.crt, tls.key and tls.crt into dir (created 0700 if
// missing): certificates 0644, the key 0600. Each file is written to a
// temporary file in dir, synced and renamed over the old one, so a reader
// never sees a partly written file. The key goes before the certificate:
// a reader between the two renames (controller-runtime's certwatcher) finds
// a key that does not match the certificate, rejects the pair and keeps
// serving the previous one until the certificate's rename, which completes
// the new pair. The CA key is never written.
func (b *Bundle) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write certificates: %w", err)
	}
	files := []struct {
		name string
		data []byte
		mode os.FileMode
	}{
		{CAFile, b.CACert, 0o644},
		{KeyFile, b.Key, 0o600},
		{CertFile, b.Cert, 0o644},
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, f.name), f.data, f.mode); err != nil {
			return fmt.Errorf("write certificates: %w", err)
		}
	}
	return nil
}

// writeAtomic replaces path with data through a synced temporary file in
// the same directory and a rename.
func writeAtomic(path string, data []byte, mode os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(mode); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

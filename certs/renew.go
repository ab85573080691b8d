package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// Renew issues a new serving certificate and key for opts, signed by the
// bundle's CA, and returns a bundle with the same CA. Clients that trust
// the CA (the caBundle) accept the new certificate at once, which is what
// makes renewal seamless; the CA itself is not renewed here.
func (b *Bundle) Renew(opts Options) (*Bundle, error) {
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("renew certificate: %w", err)
	}
	ca, err := ParseCertificate(b.CACert)
	if err != nil {
		return nil, fmt.Errorf("renew certificate: %w", err)
	}
	caKey, err := parseSigner(b.CAKey)
	if err != nil {
		return nil, fmt.Errorf("renew certificate: CA key: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate serving key: %w", err)
	}
	tmpl, err := servingTemplate(opts, opts.now(), ca.NotAfter)
	if err != nil {
		return nil, fmt.Errorf("renew certificate: %w", err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("renew certificate: %w", err)
	}
	keyPEM, err := encodeKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode serving key: %w", err)
	}
	return &Bundle{CACert: b.CACert, CAKey: b.CAKey, Cert: encodeCert(der), Key: keyPEM}, nil
}

func parseSigner(keyPEM []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%T cannot sign", key)
	}
	return signer, nil
}

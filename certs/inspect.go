package certs

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"
)

// ParseCertificate decodes the first CERTIFICATE block of certPEM.
func ParseCertificate(certPEM []byte) (*x509.Certificate, error) {
	rest := certPEM
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("parse certificate: no CERTIFICATE PEM block")
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse certificate: %w", err)
		}
		return cert, nil
	}
}

// NotAfter returns the expiry time of the first certificate in certPEM,
// for the certificate-expiry metric and for `verify`.
func NotAfter(certPEM []byte) (time.Time, error) {
	cert, err := ParseCertificate(certPEM)
	if err != nil {
		return time.Time{}, err
	}
	return cert.NotAfter, nil
}

// ValidFor checks that certPEM chains to a CA in caPEM, is a server
// certificate for dnsName and is valid at now. Intermediates following the
// leaf in certPEM are used to build the chain.
func ValidFor(caPEM, certPEM []byte, dnsName string, now time.Time) error {
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return errors.New("verify certificate: no CA certificate in caBundle")
	}
	leaf, err := ParseCertificate(certPEM)
	if err != nil {
		return fmt.Errorf("verify certificate: %w", err)
	}
	intermediates := x509.NewCertPool()
	intermediates.AppendCertsFromPEM(certPEM)
	_, err = leaf.Verify(x509.VerifyOptions{
		DNSName:       dnsName,
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return fmt.Errorf("verify certificate: %w", err)
	}
	return nil
}

// NeedsRotation reports whether the first certificate in certPEM expires
// within threshold of now (or is not valid yet, or has already expired).
// A certificate that cannot be parsed needs rotation too; the error says why.
func NeedsRotation(certPEM []byte, now time.Time, threshold time.Duration) (bool, error) {
	cert, err := ParseCertificate(certPEM)
	if err != nil {
		return true, err
	}
	if now.Before(cert.NotBefore) {
		return true, nil
	}
	return !now.Add(threshold).Before(cert.NotAfter), nil
}

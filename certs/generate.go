package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

const (
	// DefaultCAValidity is how long a generated CA is valid. Replacing a CA
	// is the one rotation step that can race the API server (caBundle and
	// serving certificate change separately), so it is long and rare.
	DefaultCAValidity = 10 * 365 * 24 * time.Hour
	// DefaultCertValidity is how long a generated serving certificate is valid.
	DefaultCertValidity = 90 * 24 * time.Hour
	// DefaultRenewBefore is how long before expiry a certificate is renewed.
	DefaultRenewBefore = 30 * 24 * time.Hour
	// clockSkew backdates NotBefore so that nodes whose clocks lag a little
	// still accept a certificate issued a moment ago.
	clockSkew = time.Hour
)

// Options describe the certificates Generate creates.
type Options struct {
	// Service and Namespace name the Service in front of the webhook; the
	// serving certificate is valid for <svc>, <svc>.<ns>, <svc>.<ns>.svc
	// and <svc>.<ns>.svc.cluster.local.
	Service, Namespace string
	// ExtraDNSNames are added to the serving certificate (e.g. localhost).
	ExtraDNSNames []string
	// IPs are added to the serving certificate as IP SANs (e.g. 127.0.0.1).
	IPs []net.IP
	// CAValidity and CertValidity default to DefaultCAValidity and
	// DefaultCertValidity. The serving certificate never outlives the CA.
	CAValidity, CertValidity time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Bundle is a CA and a serving certificate it signed, all PEM-encoded.
type Bundle struct {
	// CACert is the CA certificate: the caBundle clients trust.
	CACert []byte
	// CAKey is the CA's PKCS#8 private key.
	CAKey []byte
	// Cert is the serving certificate (tls.crt).
	Cert []byte
	// Key is the serving certificate's PKCS#8 private key (tls.key).
	Key []byte
}

// ServiceDNSNames returns the names a Service is reached by from inside
// the cluster, most specific last: <svc>, <svc>.<ns>, <svc>.<ns>.svc and
// <svc>.<ns>.svc.cluster.local.
func ServiceDNSNames(service, namespace string) []string {
	return []string{
		service,
		service + "." + namespace,
		ServiceHost(service, namespace),
		ServiceHost(service, namespace) + ".cluster.local",
	}
}

// ServiceHost is the name the API server uses to call a webhook Service:
// <svc>.<ns>.svc.
func ServiceHost(service, namespace string) string {
	return service + "." + namespace + ".svc"
}

// Generate creates a self-signed ECDSA P-256 CA and a serving certificate
// it signs for the Service described by opts.
func Generate(opts Options) (*Bundle, error) {
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("generate certificates: %w", err)
	}
	now := opts.now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate CA key: %w", err)
	}
	caTmpl, err := caTemplate(opts, now)
	if err != nil {
		return nil, fmt.Errorf("generate CA: %w", err)
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("generate CA: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate serving key: %w", err)
	}
	tmpl, err := servingTemplate(opts, now, caTmpl.NotAfter)
	if err != nil {
		return nil, fmt.Errorf("generate serving certificate: %w", err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caTmpl, &key.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("generate serving certificate: %w", err)
	}
	caKeyPEM, err := encodeKey(caKey)
	if err != nil {
		return nil, fmt.Errorf("encode CA key: %w", err)
	}
	keyPEM, err := encodeKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode serving key: %w", err)
	}
	return &Bundle{
		CACert: encodeCert(caDER),
		CAKey:  caKeyPEM,
		Cert:   encodeCert(der),
		Key:    keyPEM,
	}, nil
}

func (o Options) validate() error {
	switch {
	case o.Service == "":
		return errors.New("service name is empty")
	case o.Namespace == "":
		return errors.New("namespace is empty")
	case o.CAValidity < 0 || o.CertValidity < 0:
		return errors.New("validity must not be negative")
	}
	return nil
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func caTemplate(opts Options, now time.Time) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: opts.Service + "-ca", Organization: []string{"feastflow"}},
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              now.Add(orDefault(opts.CAValidity, DefaultCAValidity)),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}, nil
}

func servingTemplate(opts Options, now, caNotAfter time.Time) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	notAfter := now.Add(orDefault(opts.CertValidity, DefaultCertValidity))
	if notAfter.After(caNotAfter) {
		notAfter = caNotAfter
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: ServiceHost(opts.Service, opts.Namespace)},
		DNSNames:              append(ServiceDNSNames(opts.Service, opts.Namespace), opts.ExtraDNSNames...),
		IPAddresses:           opts.IPs,
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}, nil
}

// randomSerial returns a positive 128-bit serial number, as RFC 5280 asks
// for unpredictable serials of at most 20 octets.
func randomSerial() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("serial number: %w", err)
	}
	return serial.Add(serial, big.NewInt(1)), nil
}

func encodeCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func encodeKey(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

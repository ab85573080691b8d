package verify

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/feastflow/kubectl-feastflow/certs"
	"github.com/feastflow/kubectl-feastflow/plugin/output"
)

// certWarnDays is how close to expiry the serving certificate makes the
// expiry check warn.
const certWarnDays = 30

// servingCert is the webhook's serving certificate as verify found it.
type servingCert struct {
	// PEM is the certificate chain, nil when it could not be fetched.
	PEM []byte
	// Source says where PEM came from.
	Source string
	// Host is the name the API server verifies the certificate for.
	Host string
	// URL is clientConfig.url; empty for Service-registered webhooks.
	URL string
	// DialErr is the TLS dial's error for URL-registered webhooks.
	DialErr error
	// SecretErr says why the Secret gave no certificate.
	SecretErr error
}

// fetchServingCert reads the serving certificate from the TLS Secret (its
// tls.crt only: the key is never kept) and, for a URL-registered webhook,
// dials the URL, which proves reachability and gives the certificate
// really served, preferred to the Secret's.
func (v *webhookVerifier) fetchServingCert(ctx context.Context, wh *admissionregistrationv1.ValidatingWebhook) servingCert {
	sc := servingCert{}
	if svc := wh.ClientConfig.Service; svc != nil {
		sc.Host = certs.ServiceHost(svc.Name, svc.Namespace)
	}
	sc.PEM, sc.SecretErr = v.secretCert(ctx)
	if sc.SecretErr == nil {
		sc.Source = fmt.Sprintf("from Secret %s/%s", v.secretNamespace, v.secretName)
	}
	if wh.ClientConfig.URL == nil {
		return sc
	}
	sc.URL = *wh.ClientConfig.URL
	chain, host, err := dialServingCert(ctx, sc.URL, v.dialTimeout)
	sc.Host, sc.DialErr = host, err
	if err == nil {
		// What the API server is served wins over what the Secret holds.
		sc.PEM, sc.Source = chain, "served at "+sc.URL
	}
	return sc
}

// secretCert returns the tls.crt of the webhook's TLS Secret.
func (v *webhookVerifier) secretCert(ctx context.Context) ([]byte, error) {
	secret, err := v.kube.CoreV1().Secrets(v.secretNamespace).Get(ctx, v.secretName, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("read Secret %s/%s: %w", v.secretNamespace, v.secretName, err)
	}
	crt := append([]byte(nil), secret.Data[certs.CertFile]...)
	if len(crt) == 0 {
		return nil, fmt.Errorf("secret %s/%s has no %s", v.secretNamespace, v.secretName, certs.CertFile)
	}
	return crt, nil
}

// dialServingCert opens a TLS connection to rawURL and returns the peer's
// certificate chain as PEM and the host the certificate must name. The
// chain is not verified here: the caBundle check does that, against the
// caBundle the API server uses rather than this machine's roots.
func dialServingCert(ctx context.Context, rawURL string, timeout time.Duration) ([]byte, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", fmt.Errorf("parse url: %w", err)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "443"
	}
	dialer := &tls.Dialer{
		NetDialer: &net.Dialer{Timeout: timeout},
		// #nosec G402 -- the chain is verified against the caBundle by ValidFor.
		Config: &tls.Config{InsecureSkipVerify: true, ServerName: host, MinVersion: tls.VersionTLS12},
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, host, fmt.Errorf("dial %s: %w", rawURL, err)
	}
	defer conn.Close()
	state := conn.(*tls.Conn).ConnectionState()
	if len(state.PeerCertificates) == 0 {
		return nil, host, errors.New("dial " + rawURL + ": no certificate presented")
	}
	var chain []byte
	for _, c := range state.PeerCertificates {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return chain, host, nil
}

// caBundleCheck verifies the serving certificate against the caBundle for
// the host the API server calls.
func caBundleCheck(name string, wh *admissionregistrationv1.ValidatingWebhook, sc servingCert, now time.Time) Check {
	c := Check{Section: SectionWebhook, Name: name}
	switch {
	case len(wh.ClientConfig.CABundle) == 0:
		c.Status, c.Message = StatusFail, "caBundle is empty: the API server cannot trust the webhook's self-signed certificate"
	case sc.PEM == nil:
		c.Status, c.Message = StatusWarn, "serving certificate not found, caBundle not checked"
		c.Details = certErrors(sc)
	default:
		if err := certs.ValidFor(wh.ClientConfig.CABundle, sc.PEM, sc.Host, now); err != nil {
			c.Status, c.Message = StatusFail, fmt.Sprintf("caBundle does not verify the serving certificate (%s) for %s: %v", sc.Source, sc.Host, err)
			return c
		}
		c.Status, c.Message = StatusPass, fmt.Sprintf("caBundle verifies the serving certificate (%s) for %s", sc.Source, sc.Host)
	}
	return c
}

// expiryCheck reports the days left on the serving certificate: it warns
// under certWarnDays and fails once expired.
func expiryCheck(name string, sc servingCert, now time.Time) Check {
	c := Check{Section: SectionWebhook, Name: name}
	if sc.PEM == nil {
		c.Status, c.Message, c.Details = StatusWarn, "serving certificate not found, expiry unknown", certErrors(sc)
		return c
	}
	notAfter, err := certs.NotAfter(sc.PEM)
	if err != nil {
		c.Status, c.Message = StatusFail, err.Error()
		return c
	}
	days := int(notAfter.Sub(now).Hours() / 24)
	date := notAfter.UTC().Format(time.RFC3339)
	switch {
	case !now.Before(notAfter):
		c.Status, c.Message = StatusFail, "serving certificate expired on "+date
	case days < certWarnDays:
		c.Status, c.Message = StatusWarn, fmt.Sprintf("serving certificate expires in %s (%s), under %d days", output.Plural(days, "day"), date, certWarnDays)
	default:
		c.Status, c.Message = StatusPass, fmt.Sprintf("serving certificate expires in %s (%s)", output.Plural(days, "day"), date)
	}
	return c
}

func certErrors(sc servingCert) []string {
	var out []string
	for _, err := range []error{sc.SecretErr, sc.DialErr} {
		if err != nil {
			out = append(out, err.Error())
		}
	}
	if sc.URL == "" {
		out = append(out, "the webhook is registered by Service, so there is no URL to dial")
	}
	return out
}

package certs

import (
	"errors"
	"fmt"
	"time"

	"github.com/open-policy-agent/cert-controller/pkg/rotator"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/manager"
)

// DefaultCheckInterval is how often the rotator checks the Secret's
// certificates when nothing else makes it look.
const DefaultCheckInterval = time.Hour

// RotationOptions configure AddRotation.
type RotationOptions struct {
	// SecretName and Namespace name the Secret holding the certificates;
	// it must exist (see EnsureSecret), the rotator fills and renews it.
	SecretName, Namespace string
	// Service is the webhook's Service in Namespace; the certificate is
	// valid for the names ServiceDNSNames returns, plus ExtraDNSNames.
	Service       string
	ExtraDNSNames []string
	// WebhookConfigName is the ValidatingWebhookConfiguration whose
	// webhooks get the CA as caBundle.
	WebhookConfigName string
	// CertDir is where the Secret is mounted (tls.crt, tls.key); ready
	// waits for the kubelet to project the certificate there.
	CertDir string
	// CAValidity, CertValidity and RenewBefore default to
	// DefaultCAValidity, DefaultCertValidity and DefaultRenewBefore. A
	// certificate (CA included) is renewed once it expires within RenewBefore.
	CAValidity, CertValidity, RenewBefore time.Duration
	// CheckInterval defaults to DefaultCheckInterval; Secret and webhook
	// configuration changes are acted on at once, whatever the interval.
	CheckInterval time.Duration
	// RequireLeaderElection runs the rotator only in the elected replica.
	// Off by default: every replica may renew, and the API server's
	// optimistic concurrency keeps one writer's Secret.
	RequireLeaderElection bool
}

// AddRotation adds github.com/open-policy-agent/cert-controller's rotator
// to mgr. Once the manager runs, the rotator generates a CA and a serving
// certificate into the Secret (RSA 2048 keys: the library's choice), keeps
// the CA in the ValidatingWebhookConfiguration's caBundle and renews
// certificates before they expire. The returned channel closes when the
// certificate is in CertDir and the caBundle is injected: start the
// webhook server (whose certwatcher reads CertDir) and report ready only
// after that. Replacing the CA is not seamless (the caBundle and the
// mounted files change at different moments), which is why the CA lives
// far longer than the serving certificate.
//
// RBAC: get, list, watch and update on Secrets in Namespace and on
// ValidatingWebhookConfigurations.
func AddRotation(mgr manager.Manager, opts RotationOptions) (<-chan struct{}, error) {
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("add certificate rotation: %w", err)
	}
	ready := make(chan struct{})
	names := ServiceDNSNames(opts.Service, opts.Namespace)
	extra := append([]string{names[0], names[1], names[3]}, opts.ExtraDNSNames...)
	cr := &rotator.CertRotator{
		SecretKey:              types.NamespacedName{Namespace: opts.Namespace, Name: opts.SecretName},
		CertDir:                opts.CertDir,
		CAName:                 opts.Service + "-ca",
		CAOrganization:         "feastflow",
		DNSName:                ServiceHost(opts.Service, opts.Namespace),
		ExtraDNSNames:          extra,
		IsReady:                ready,
		Webhooks:               []rotator.WebhookInfo{{Name: opts.WebhookConfigName, Type: rotator.Validating}},
		FieldOwner:             opts.Service,
		RequireLeaderElection:  opts.RequireLeaderElection,
		CaCertDuration:         orDefault(opts.CAValidity, DefaultCAValidity),
		ServerCertDuration:     orDefault(opts.CertValidity, DefaultCertValidity),
		LookaheadInterval:      orDefault(opts.RenewBefore, DefaultRenewBefore),
		RotationCheckFrequency: orDefault(opts.CheckInterval, DefaultCheckInterval),
		CertName:               CertFile,
		KeyName:                KeyFile,
		EnableReadinessCheck:   true,
		ControllerName:         "cert-rotator-" + opts.SecretName,
	}
	if err := rotator.AddRotator(mgr, cr); err != nil {
		return nil, fmt.Errorf("add certificate rotation: %w", err)
	}
	return ready, nil
}

func (o RotationOptions) validate() error {
	for _, f := range []struct{ name, value string }{
		{"secret name", o.SecretName},
		{"namespace", o.Namespace},
		{"service", o.Service},
		{"webhook configuration name", o.WebhookConfigName},
		{"cert dir", o.CertDir},
	} {
		if f.value == "" {
			return fmt.Errorf("%s is empty", f.name)
		}
	}
	renew := orDefault(o.RenewBefore, DefaultRenewBefore)
	if renew >= orDefault(o.CertValidity, DefaultCertValidity) || renew >= orDefault(o.CAValidity, DefaultCAValidity) {
		return errors.New("renew-before must be shorter than the certificate and CA validity")
	}
	return nil
}

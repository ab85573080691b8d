package main

import (
	"fmt"

	"github.com/spf13/pflag"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"

	"github.com/feastflow/kubectl-feastflow/webhook"
)

// registrationOptions are the flags of webhook.RegistrationOptions; the
// configuration's name and the namespace are --webhook-config and
// --namespace, shared with certificate rotation.
type registrationOptions struct {
	failurePolicy string
	deployment    string
}

// AddFlags registers the registration flags.
func (o *registrationOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.failurePolicy, "failure-policy", "",
		"failurePolicy (Fail or Ignore) the webhooks of --webhook-config get once this server serves and their caBundle trusts it; "+
			"the shipped configuration starts as Ignore so an install that never serves blocks nothing (empty: leave it alone)")
	fs.StringVar(&o.deployment, "deployment", "",
		"This server's Deployment in --namespace: when the server stops and it is gone or being deleted, --webhook-config is deleted "+
			"before the server stops serving; when it is scaled to zero, its webhooks get failurePolicy Ignore (empty: off)")
}

// Validate checks the failure policy and what it needs.
func (o *registrationOptions) Validate(rotation *rotationOptions) error {
	switch admissionregistrationv1.FailurePolicyType(o.failurePolicy) {
	case "", admissionregistrationv1.Fail, admissionregistrationv1.Ignore:
	default:
		return fmt.Errorf("--failure-policy: %q is neither Fail nor Ignore", o.failurePolicy)
	}
	if o.deployment != "" && rotation.namespace == "" {
		return fmt.Errorf("--deployment needs --namespace (or $POD_NAMESPACE)")
	}
	if (o.failurePolicy != "" || o.deployment != "") && rotation.webhookConfig == "" {
		return fmt.Errorf("--failure-policy and --deployment need --webhook-config")
	}
	return nil
}

// options is the registration to run, or nil when it is off.
func (o *registrationOptions) options(rotation *rotationOptions) *webhook.RegistrationOptions {
	if o.failurePolicy == "" && o.deployment == "" {
		return nil
	}
	return &webhook.RegistrationOptions{
		WebhookConfigName: rotation.webhookConfig,
		FailurePolicy:     admissionregistrationv1.FailurePolicyType(o.failurePolicy),
		Namespace:         rotation.namespace, Deployment: o.deployment,
	}
}

package main

import (
	"errors"
	"os"

	"github.com/spf13/pflag"

	"github.com/feastflow/kubectl-feastflow/certs"
)

// rotationOptions are the flags of in-cluster certificate rotation.
type rotationOptions struct {
	enabled       bool
	secretName    string
	namespace     string
	service       string
	webhookConfig string
}

// AddFlags registers the certificate rotation flags.
func (o *rotationOptions) AddFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.enabled, "cert-rotation", false, "Make, store and renew the serving certificate in a Secret and keep the CA in the webhook configuration's caBundle (in-cluster mode)")
	fs.StringVar(&o.secretName, "cert-secret", "feastflow-webhook-tls", "Secret holding the certificates (--cert-rotation)")
	fs.StringVar(&o.namespace, "namespace", os.Getenv("POD_NAMESPACE"), "Namespace of the webhook's Service and Secret (default $POD_NAMESPACE)")
	fs.StringVar(&o.service, "service", "feastflow-webhook", "Service the API server calls the webhook through (--cert-rotation)")
	fs.StringVar(&o.webhookConfig, "webhook-config", "feastflow-webhook", "ValidatingWebhookConfiguration whose caBundle is kept current (--cert-rotation)")
}

// Validate checks that rotation has what it needs.
func (o *rotationOptions) Validate() error {
	if o.enabled && (o.namespace == "" || o.secretName == "" || o.service == "" || o.webhookConfig == "") {
		return errors.New("--cert-rotation needs --namespace (or $POD_NAMESPACE), --cert-secret, --service and --webhook-config")
	}
	return nil
}

// options is the rotation to run, or nil when it is off.
func (o *rotationOptions) options() *certs.RotationOptions {
	if !o.enabled {
		return nil
	}
	return &certs.RotationOptions{
		SecretName: o.secretName, Namespace: o.namespace,
		Service: o.service, WebhookConfigName: o.webhookConfig,
	}
}

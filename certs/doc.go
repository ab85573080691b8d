// Package certs creates, stores, inspects and rotates the TLS material of
// the feastflow-webhook: a self-signed CA, a serving certificate it signs
// for the webhook's Service, the files controller-runtime's certwatcher
// reloads, the Secret that holds them in a cluster, and the caBundle the
// API server uses to trust the webhook.
//
// Two ways to run:
//
//   - Static: Generate a Bundle once, WriteFiles for a local process or
//     ApplySecret for a cluster, and InjectCABundle into the
//     ValidatingWebhookConfiguration.
//   - In cluster: AddRotation registers github.com/open-policy-agent/cert-controller's
//     rotator with a controller-runtime manager; it fills the Secret,
//     injects the caBundle and renews both before they expire.
package certs

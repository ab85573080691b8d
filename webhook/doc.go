// Package webhook is feastflow-webhook: a validating admission webhook that
// enforces the policies of package policies cluster-wide, with the same
// engine and catalog as `kubectl feastflow lint`.
//
// One small file per concern: review.go decodes AdmissionReviews over HTTP,
// handler.go evaluates a request, response.go maps findings to an admission
// response, exemption.go checks who may exempt, controllers.go recognises
// objects created by built-in controllers, inventory.go keeps the engine's
// inventory in step with the cluster, metrics.go counts, server.go wires it
// all into a controller-runtime manager.
package webhook

package webhook

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/go-logr/logr"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// RegistrationOptions make the server own the failure policy of its
// ValidatingWebhookConfiguration. The shipped configuration starts with
// failurePolicy Ignore, so an install whose pods never serve (a broken
// image, a NetworkPolicy in the way) blocks no write. Once this server is
// ready and the configuration's caBundle trusts the certificate it
// serves, it sets every webhook's failurePolicy to FailurePolicy; when it
// stops because its Deployment was deleted (uninstall) it deletes the
// configuration before it stops serving, and when the Deployment was
// scaled to zero it sets Ignore again.
type RegistrationOptions struct {
	// WebhookConfigName is the ValidatingWebhookConfiguration to manage.
	WebhookConfigName string
	// FailurePolicy is what the webhooks get once the server serves.
	FailurePolicy admissionregistrationv1.FailurePolicyType
	// Namespace and Deployment name the server's own Deployment; empty
	// Deployment (a local process) turns the stop-time checks off.
	Namespace, Deployment string
}

// registration is the controller that applies RegistrationOptions.
type registration struct {
	opts  RegistrationOptions
	c     client.Client
	api   client.Reader
	ready func() bool
	// leaf is the certificate served now, nil before it is loaded.
	leaf func() *x509.Certificate
	log  logr.Logger
}

// notReadyRequeue is how soon a reconcile that found the server not ready
// (or the caBundle not trusting it yet) looks again.
const notReadyRequeue = time.Second

// addRegistration registers the controller with the server's manager; it
// watches only the named configuration.
func (s *Server) addRegistration(opts RegistrationOptions) error {
	if opts.WebhookConfigName == "" {
		return errors.New("add webhook registration: webhook configuration name is empty")
	}
	s.registration = &registration{
		opts: opts, c: s.mgr.GetClient(), api: s.mgr.GetAPIReader(), ready: s.Ready,
		leaf: s.cert.Leaf, log: s.cfg.Log.WithName("registration"),
	}
	if opts.FailurePolicy == "" {
		return nil // stop-time checks only
	}
	named := predicate.NewPredicateFuncs(func(o client.Object) bool { return o.GetName() == opts.WebhookConfigName })
	err := builder.ControllerManagedBy(s.mgr).
		Named("webhook-registration").
		For(&admissionregistrationv1.ValidatingWebhookConfiguration{}, builder.WithPredicates(named)).
		WithOptions(controller.Options{SkipNameValidation: ptr.To(true)}).
		Complete(s.registration)
	if err != nil {
		return fmt.Errorf("add webhook registration: %w", err)
	}
	return nil
}

// Reconcile sets the desired failure policy on every webhook of the
// configuration, once the server is ready and the caBundle trusts it.
func (r *registration) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	if !r.ready() {
		return reconcile.Result{RequeueAfter: notReadyRequeue}, nil
	}
	vwc := &admissionregistrationv1.ValidatingWebhookConfiguration{}
	if err := r.c.Get(ctx, req.NamespacedName, vwc); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if !setFailurePolicy(vwc, r.opts.FailurePolicy) {
		return reconcile.Result{}, nil
	}
	if err := trusted(vwc, r.leaf()); err != nil {
		r.log.Info("keeping the failure policy until the caBundle trusts the served certificate", "reason", err.Error())
		return reconcile.Result{RequeueAfter: notReadyRequeue}, nil
	}
	if err := r.c.Update(ctx, vwc); err != nil {
		return reconcile.Result{}, fmt.Errorf("set failurePolicy of %s: %w", vwc.Name, err)
	}
	r.log.Info("serving: webhook configuration updated", "name", vwc.Name, "failurePolicy", r.opts.FailurePolicy)
	return reconcile.Result{}, nil
}

// setFailurePolicy sets policy on every webhook and reports whether
// anything changed.
func setFailurePolicy(vwc *admissionregistrationv1.ValidatingWebhookConfiguration, policy admissionregistrationv1.FailurePolicyType) bool {
	changed := false
	for i := range vwc.Webhooks {
		if p := vwc.Webhooks[i].FailurePolicy; p == nil || *p != policy {
			vwc.Webhooks[i].FailurePolicy = ptr.To(policy)
			changed = true
		}
	}
	return changed
}

// trusted checks that every webhook's caBundle verifies leaf for the host
// the API server calls: without that, failurePolicy Fail would refuse
// every write the webhook covers.
func trusted(vwc *admissionregistrationv1.ValidatingWebhookConfiguration, leaf *x509.Certificate) error {
	if leaf == nil {
		return errors.New("no serving certificate loaded")
	}
	for _, wh := range vwc.Webhooks {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(wh.ClientConfig.CABundle) {
			return fmt.Errorf("webhook %s: caBundle holds no certificate", wh.Name)
		}
		host, err := calledHost(wh.ClientConfig)
		if err != nil {
			return fmt.Errorf("webhook %s: %w", wh.Name, err)
		}
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: host}); err != nil {
			return fmt.Errorf("webhook %s: %w", wh.Name, err)
		}
	}
	return nil
}

// calledHost is the name the API server checks the certificate against:
// <service>.<namespace>.svc, or the host of the URL.
func calledHost(cc admissionregistrationv1.WebhookClientConfig) (string, error) {
	if cc.Service != nil {
		return cc.Service.Name + "." + cc.Service.Namespace + ".svc", nil
	}
	if cc.URL == nil {
		return "", errors.New("clientConfig has neither service nor url")
	}
	u, err := url.Parse(*cc.URL)
	if err != nil {
		return "", fmt.Errorf("parse clientConfig.url: %w", err)
	}
	if host, _, err := net.SplitHostPort(u.Host); err == nil {
		return host, nil
	}
	return u.Host, nil
}

// onStop runs when the server is told to stop, before it drains. If its
// Deployment is gone or being deleted, the install is being removed: the
// configuration goes first, so no write waits for (or, with Fail, is
// refused by) a webhook about to disappear. If the Deployment was scaled
// to zero, the configuration stays with failurePolicy Ignore. Any other
// stop (a rollout, an eviction) leaves the configuration alone.
func (r *registration) onStop(ctx context.Context) {
	if r.opts.Deployment == "" {
		return
	}
	d := &appsv1.Deployment{}
	err := r.api.Get(ctx, types.NamespacedName{Namespace: r.opts.Namespace, Name: r.opts.Deployment}, d)
	switch {
	case apierrors.IsNotFound(err) || (err == nil && d.DeletionTimestamp != nil):
		vwc := &admissionregistrationv1.ValidatingWebhookConfiguration{ObjectMeta: metav1.ObjectMeta{Name: r.opts.WebhookConfigName}}
		err = client.IgnoreNotFound(r.c.Delete(ctx, vwc))
		r.log.Info("deployment removed: webhook configuration deleted", "name", r.opts.WebhookConfigName, "error", errString(err))
	case err != nil:
		r.log.Error(err, "cannot tell whether the install is being removed; webhook configuration left alone")
	case d.Spec.Replicas != nil && *d.Spec.Replicas == 0:
		err = r.relax(ctx)
		r.log.Info("deployment scaled to zero: failurePolicy Ignore", "name", r.opts.WebhookConfigName, "error", errString(err))
	}
}

// relax sets failurePolicy Ignore on every webhook of the configuration.
func (r *registration) relax(ctx context.Context) error {
	vwc := &admissionregistrationv1.ValidatingWebhookConfiguration{}
	if err := r.api.Get(ctx, types.NamespacedName{Name: r.opts.WebhookConfigName}, vwc); err != nil {
		return client.IgnoreNotFound(err)
	}
	if !setFailurePolicy(vwc, admissionregistrationv1.Ignore) {
		return nil
	}
	return r.c.Update(ctx, vwc)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

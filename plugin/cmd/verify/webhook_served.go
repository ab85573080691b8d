package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	admissionv1 "k8s.io/api/admission/v1"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/uuid"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// reviewProber sends an AdmissionReview to a Service-registered webhook
// the way the API server does (to one of its endpoints, over TLS) and
// returns an error unless the webhook answers it.
type reviewProber func(ctx context.Context, svc *admissionregistrationv1.ServiceReference) error

// serviceProxyProber probes through the API server's service proxy
// (services/proxy, create): the request goes from the API server to a
// ready endpoint of the Service, so it fails exactly when pods look ready
// but serve nothing (a broken image, a wrong port, a NetworkPolicy).
// A fake clientset, which has no REST client, gets no prober.
func serviceProxyProber(kube kubernetes.Interface) reviewProber {
	if rc, ok := kube.CoreV1().RESTClient().(*rest.RESTClient); !ok || rc == nil {
		return nil
	}
	return func(ctx context.Context, svc *admissionregistrationv1.ServiceReference) error {
		port, path := int32(443), "/"
		if svc.Port != nil {
			port = *svc.Port
		}
		if svc.Path != nil {
			path = *svc.Path
		}
		uid := uuid.NewUUID()
		body, err := json.Marshal(probeReview(uid))
		if err != nil {
			return err
		}
		raw, err := kube.CoreV1().RESTClient().Post().
			Namespace(svc.Namespace).Resource("services").
			Name("https:"+svc.Name+":"+strconv.Itoa(int(port))).
			SubResource("proxy").Suffix(path).
			SetHeader("Content-Type", "application/json").
			Body(body).Do(ctx).Raw()
		if err != nil {
			return err
		}
		var resp admissionv1.AdmissionReview
		if err := json.Unmarshal(raw, &resp); err != nil || resp.Response == nil || resp.Response.UID != uid {
			return fmt.Errorf("the answer is not an AdmissionReview for the probe: %s", cmdutil.Shorten(string(raw), 200))
		}
		return nil
	}
}

// probeReview asks about creating an empty ConfigMap; only the answer's
// existence matters.
func probeReview(uid types.UID) *admissionv1.AdmissionReview {
	cm := []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"feastflow-verify-probe","namespace":"default"}}`)
	return &admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request: &admissionv1.AdmissionRequest{
			UID:       uid,
			Kind:      metav1.GroupVersionKind{Version: "v1", Kind: "ConfigMap"},
			Resource:  metav1.GroupVersionResource{Version: "v1", Resource: "configmaps"},
			Name:      "feastflow-verify-probe",
			Namespace: "default",
			Operation: admissionv1.Create,
			Object:    runtime.RawExtension{Raw: cm},
			DryRun:    ptr.To(true),
		},
	}
}

// notServed explains a webhook that is registered but not served, and
// how to get out: with Fail the cluster is blocked (remove it or relax
// it); with Ignore writes pass unchecked (remove it if it will not come).
func (v *webhookVerifier) notServed(vwc *admissionregistrationv1.ValidatingWebhookConfiguration) []string {
	for _, wh := range vwc.Webhooks {
		if wh.FailurePolicy == nil || *wh.FailurePolicy == admissionregistrationv1.Fail {
			return append([]string{"registered but not served, with failurePolicy Fail:"}, v.unblockCommands(vwc)...)
		}
	}
	return []string{
		"registered but not served, with failurePolicy Ignore: the writes it covers pass unchecked (the server sets its failure policy once it serves);",
		"if it will not serve again (uninstalled, broken image), remove the registration:",
		"  " + v.kubectl + " delete validatingwebhookconfiguration " + vwc.Name,
	}
}

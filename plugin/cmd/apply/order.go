package apply

import (
	"io"
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/plugin/source"
)

// applyOrder ranks kinds so that what others depend on exists first:
// NetworkPolicies come before any workload, so a policy-enforcing webhook
// (ours) admits the workloads. Kinds not listed go after the workloads
// and before Ingresses, in input order.
var applyOrder = map[string]int{
	"Namespace":                0,
	"CustomResourceDefinition": 1,
	"ServiceAccount":           2, "ClusterRole": 2, "ClusterRoleBinding": 2, "Role": 2, "RoleBinding": 2,
	"NetworkPolicy": 3,
	"ConfigMap":     4, "Secret": 4, "LimitRange": 4, "ResourceQuota": 4,
	"StorageClass": 5, "PersistentVolume": 5, "PersistentVolumeClaim": 5,
	"Service":    6,
	"Deployment": 7, "StatefulSet": 7, "DaemonSet": 7, "ReplicaSet": 7, "Job": 7, "CronJob": 7, "Pod": 7,
	"HorizontalPodAutoscaler": 8, "PodDisruptionBudget": 8,
	"Ingress": 10, "IngressClass": 10,
}

const otherKindsRank = 9

func applyRank(u *unstructured.Unstructured) int {
	if r, ok := applyOrder[u.GetKind()]; ok {
		return r
	}
	return otherKindsRank
}

// sortForApply orders objects for applying; stable within a rank.
func sortForApply(objects []*unstructured.Unstructured) []*unstructured.Unstructured {
	out := append([]*unstructured.Unstructured(nil), objects...)
	sort.SliceStable(out, func(i, j int) bool { return applyRank(out[i]) < applyRank(out[j]) })
	return out
}

// documentsToObjects turns linted documents into objects to apply; List
// items were already expanded by the loader.
func documentsToObjects(docs []*source.Document) []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, 0, len(docs))
	for _, d := range docs {
		out = append(out, &unstructured.Unstructured{Object: d.Object})
	}
	return out
}

// printObjects writes objects as a YAML stream (--dry-run=client).
func printObjects(w io.Writer, objects []*unstructured.Unstructured) error {
	for _, u := range objects {
		raw, err := yaml.Marshal(redactSecret(u).Object)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, "---\n"+string(raw)); err != nil {
			return err
		}
	}
	return nil
}

// redactSecret hides Secret values: output never carries one.
func redactSecret(u *unstructured.Unstructured) *unstructured.Unstructured {
	if u.GetKind() != "Secret" {
		return u
	}
	c := u.DeepCopy()
	for _, field := range []string{"data", "stringData"} {
		values, ok := c.Object[field].(map[string]any)
		if !ok {
			continue
		}
		for k := range values {
			values[k] = "<redacted>"
		}
	}
	return c
}

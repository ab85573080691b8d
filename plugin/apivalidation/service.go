package apivalidation

import (
	"net"

	api "k8s.io/kubernetes/pkg/apis/core"
)

// Placeholder cluster IPs the allocation below assigns, one per family.
var placeholderClusterIP = map[api.IPFamily]string{api.IPv4Protocol: "10.96.0.10", api.IPv6Protocol: "fd00:10:96::a"}

// allocateService does to a Service what the Service REST storage's
// BeginCreate does before validation (pkg/registry/core/service/storage:
// normalizeClusterIPs, then initIPFamilyFields and allocClusterIPs), as on a
// single-stack IPv4 cluster: cluster IPs kept in sync, IP family policy and
// families defaulted, and a placeholder cluster IP where the server would
// allocate one. Without it every Service would fail validation for a
// missing spec.clusterIPs. Node ports are left unallocated (validation
// accepts 0).
func allocateService(svc *api.Service) {
	spec := &svc.Spec
	if len(spec.ClusterIPs) == 0 && spec.ClusterIP != "" {
		spec.ClusterIPs = []string{spec.ClusterIP}
	}
	if spec.ClusterIP == "" && len(spec.ClusterIPs) > 0 {
		spec.ClusterIP = spec.ClusterIPs[0]
	}
	if spec.Type == api.ServiceTypeExternalName {
		return
	}
	headlessWithoutSelector := spec.ClusterIP == api.ClusterIPNone && len(spec.Selector) == 0
	if spec.IPFamilyPolicy == nil {
		policy := api.IPFamilyPolicySingleStack
		if headlessWithoutSelector {
			policy = api.IPFamilyPolicyRequireDualStack
		}
		spec.IPFamilyPolicy = &policy
	}
	for i, ip := range spec.ClusterIPs {
		if ip == api.ClusterIPNone {
			break
		}
		if fam, ok := familyOf(ip); ok && i >= len(spec.IPFamilies) {
			spec.IPFamilies = append(spec.IPFamilies, fam)
		}
	}
	if len(spec.IPFamilies) == 0 {
		spec.IPFamilies = []api.IPFamily{api.IPv4Protocol}
	}
	if headlessWithoutSelector {
		if len(spec.IPFamilies) < 2 && *spec.IPFamilyPolicy != api.IPFamilyPolicySingleStack {
			spec.IPFamilies = append(spec.IPFamilies, other(spec.IPFamilies[0]))
		}
		return
	}
	if len(spec.ClusterIPs) == 0 {
		for _, fam := range spec.IPFamilies {
			spec.ClusterIPs = append(spec.ClusterIPs, placeholderClusterIP[fam])
		}
		spec.ClusterIP = spec.ClusterIPs[0]
	}
}

func familyOf(ip string) (api.IPFamily, bool) {
	parsed := net.ParseIP(ip)
	switch {
	case parsed == nil:
		return "", false
	case parsed.To4() != nil:
		return api.IPv4Protocol, true
	}
	return api.IPv6Protocol, true
}

func other(f api.IPFamily) api.IPFamily {
	if f == api.IPv4Protocol {
		return api.IPv6Protocol
	}
	return api.IPv4Protocol
}

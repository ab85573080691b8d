package policies

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
	sigsjson "sigs.k8s.io/json"
)

// podGenerator makes random pod specs for the differential tests. Half
// start from a spec that passes restricted and get a few mutations (so
// each control is often the only one violated); the others are random
// throughout. The same seed gives the same specs.
type podGenerator struct {
	r *rand.Rand
}

func newPodGenerator(seed uint64) *podGenerator {
	return &podGenerator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func pick[T any](g *podGenerator, items ...T) T { return items[g.r.IntN(len(items))] }

func (g *podGenerator) chance(p float64) bool { return g.r.Float64() < p }

// optBool is nil, true or false.
func (g *podGenerator) optBool() *bool { return pick(g, nil, ptr.To(true), ptr.To(false)) }

var (
	genCapabilities = []corev1.Capability{"NET_BIND_SERVICE", "CHOWN", "KILL", "SYS_ADMIN", "NET_RAW", "NET_ADMIN", "ALL", "", "all", "SYS_CHROOT"}
	genSysctls      = []string{
		"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports",
		"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_rmem", "net.ipv4.tcp_slow_start_after_idle",
		"net.ipv4.tcp_notsent_lowat", "kernel.msgmax", "net.core.somaxconn", "",
	}
	genSELinuxTypes = []string{"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t", "spc_t", "unconfined_t"}
	genSeccomp      = []corev1.SeccompProfileType{corev1.SeccompProfileTypeRuntimeDefault, corev1.SeccompProfileTypeLocalhost, corev1.SeccompProfileTypeUnconfined, ""}
	genAppArmor     = []corev1.AppArmorProfileType{corev1.AppArmorProfileTypeRuntimeDefault, corev1.AppArmorProfileTypeLocalhost, corev1.AppArmorProfileTypeUnconfined, ""}
	genAnnotations  = []string{"runtime/default", "docker/default", "localhost/profile", "unconfined", "", "runtime/other"}
	genProcMounts   = []corev1.ProcMountType{corev1.DefaultProcMount, corev1.UnmaskedProcMount, ""}
)

// sample returns the i-th kind of sample: hardened-and-mutated or random.
func (g *podGenerator) sample(withEphemeral bool) podSample {
	var meta map[string]string
	var spec *corev1.PodSpec
	if g.chance(0.5) {
		meta, spec = g.hardened(withEphemeral)
		for n := g.r.IntN(4); n > 0; n-- {
			g.mutate(meta, spec)
		}
	} else {
		meta, spec = g.random(withEphemeral)
	}
	return toSample(meta, spec)
}

// toSample converts a typed pod to the JSON form the engine reads.
func toSample(annotations map[string]string, spec *corev1.PodSpec) podSample {
	raw, err := json.Marshal(spec)
	if err != nil {
		panic(err)
	}
	s := podSample{Spec: map[string]any{}}
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(raw, &s.Spec); err != nil {
		panic(err)
	}
	if len(annotations) > 0 {
		s.Annotations = map[string]any{}
		for k, v := range annotations {
			s.Annotations[k] = v
		}
	}
	return s
}

func restrictedContext() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr.To(false),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

// hardened is a spec that passes restricted at every version.
func (g *podGenerator) hardened(withEphemeral bool) (map[string]string, *corev1.PodSpec) {
	spec := &corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot:   ptr.To(true),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		Containers: []corev1.Container{{Name: "app", Image: "app:1", SecurityContext: restrictedContext()}},
		Volumes:    []corev1.Volume{{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
	}
	if g.chance(0.4) {
		spec.InitContainers = []corev1.Container{{Name: "init", Image: "init:1", SecurityContext: restrictedContext()}}
		if g.chance(0.5) {
			spec.InitContainers[0].RestartPolicy = ptr.To(corev1.ContainerRestartPolicyAlways)
		}
	}
	if withEphemeral && g.chance(0.3) {
		spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
			Name: "debug", Image: "busybox", SecurityContext: restrictedContext(),
		}}}
	}
	return map[string]string{}, spec
}

// containers are pointers to every container of spec, ephemeral ones included.
func containers(spec *corev1.PodSpec) []*corev1.Container {
	var out []*corev1.Container
	for i := range spec.InitContainers {
		out = append(out, &spec.InitContainers[i])
	}
	for i := range spec.Containers {
		out = append(out, &spec.Containers[i])
	}
	for i := range spec.EphemeralContainers {
		out = append(out, (*corev1.Container)(&spec.EphemeralContainers[i].EphemeralContainerCommon))
	}
	return out
}

// mutate changes one thing PSS looks at.
func (g *podGenerator) mutate(meta map[string]string, spec *corev1.PodSpec) {
	cs := containers(spec)
	c := cs[g.r.IntN(len(cs))]
	if c.SecurityContext == nil {
		c.SecurityContext = &corev1.SecurityContext{}
	}
	if spec.SecurityContext == nil {
		spec.SecurityContext = &corev1.PodSecurityContext{}
	}
	sc, psc := c.SecurityContext, spec.SecurityContext
	switch g.r.IntN(24) {
	case 0:
		sc.Privileged = g.optBool()
	case 1:
		switch g.r.IntN(3) {
		case 0:
			spec.HostNetwork = true
		case 1:
			spec.HostPID = true
		default:
			spec.HostIPC = true
		}
	case 2:
		spec.Volumes = append(spec.Volumes, g.volume())
	case 3:
		c.Ports = append(c.Ports, corev1.ContainerPort{ContainerPort: 8080, HostPort: pick[int32](g, 0, 8080)})
	case 4:
		c.LivenessProbe = g.probe()
	case 5:
		c.Lifecycle = &corev1.Lifecycle{PreStop: g.handler(), PostStart: pick(g, nil, g.handler())}
	case 6:
		sc.AppArmorProfile = &corev1.AppArmorProfile{Type: pick(g, genAppArmor...)}
	case 7:
		psc.AppArmorProfile = &corev1.AppArmorProfile{Type: pick(g, genAppArmor...)}
	case 8:
		meta["container.apparmor.security.beta.kubernetes.io/"+c.Name] = pick(g, genAnnotations...)
	case 9:
		sc.SELinuxOptions = g.seLinux()
	case 10:
		psc.SELinuxOptions = g.seLinux()
	case 11:
		sc.ProcMount = ptr.To(pick(g, genProcMounts...))
		if g.chance(0.5) {
			spec.HostUsers = g.optBool()
		}
	case 12:
		sc.SeccompProfile = &corev1.SeccompProfile{Type: pick(g, genSeccomp...)}
	case 13:
		psc.SeccompProfile = pick(g, nil, &corev1.SeccompProfile{Type: pick(g, genSeccomp...)})
	case 14:
		key := pick(g, "seccomp.security.alpha.kubernetes.io/pod", "container.seccomp.security.alpha.kubernetes.io/"+c.Name)
		meta[key] = pick(g, genAnnotations...)
	case 15:
		psc.Sysctls = append(psc.Sysctls, corev1.Sysctl{Name: pick(g, genSysctls...), Value: "1"})
	case 16:
		sc.WindowsOptions = &corev1.WindowsSecurityContextOptions{HostProcess: g.optBool()}
	case 17:
		if sc.Capabilities == nil {
			sc.Capabilities = &corev1.Capabilities{}
		}
		sc.Capabilities.Add = append(sc.Capabilities.Add, pick(g, genCapabilities...))
	case 18:
		sc.Capabilities = pick(g, nil, &corev1.Capabilities{Drop: []corev1.Capability{pick(g, genCapabilities...)}})
	case 19:
		sc.AllowPrivilegeEscalation = g.optBool()
	case 20:
		if g.chance(0.5) {
			sc.RunAsNonRoot = g.optBool()
		} else {
			psc.RunAsNonRoot = g.optBool()
		}
	case 21:
		if g.chance(0.5) {
			sc.RunAsUser = pick(g, nil, ptr.To[int64](0), ptr.To[int64](1000))
		} else {
			psc.RunAsUser = pick(g, nil, ptr.To[int64](0), ptr.To[int64](1000))
		}
	case 22:
		spec.OS = &corev1.PodOS{Name: pick[corev1.OSName](g, corev1.Windows, corev1.Linux)}
	default:
		spec.HostUsers = g.optBool()
	}
}

func (g *podGenerator) volume() corev1.Volume {
	v := corev1.Volume{Name: fmt.Sprintf("v%d", g.r.IntN(1000))}
	switch g.r.IntN(14) {
	case 0:
		v.HostPath = &corev1.HostPathVolumeSource{Path: "/"}
	case 1:
		v.EmptyDir = &corev1.EmptyDirVolumeSource{}
	case 2:
		v.ConfigMap = &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "cm"}}
	case 3:
		v.Secret = &corev1.SecretVolumeSource{SecretName: "s"}
	case 4:
		v.NFS = &corev1.NFSVolumeSource{Server: "nfs", Path: "/x"}
	case 5:
		v.PersistentVolumeClaim = &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}
	case 6:
		v.Projected = &corev1.ProjectedVolumeSource{}
	case 7:
		v.GitRepo = &corev1.GitRepoVolumeSource{Repository: "https://example.com/r.git"}
	case 8:
		v.CSI = &corev1.CSIVolumeSource{Driver: "csi.example.com"}
	case 9:
		v.Ephemeral = &corev1.EphemeralVolumeSource{}
	case 10:
		v.Image = &corev1.ImageVolumeSource{Reference: "img:1"}
	case 11:
		v.ISCSI = &corev1.ISCSIVolumeSource{TargetPortal: "t", IQN: "i"}
	case 12:
		v.DownwardAPI = &corev1.DownwardAPIVolumeSource{}
	default:
		// no source at all: PSA calls it "unknown"
	}
	return v
}

func (g *podGenerator) probe() *corev1.Probe {
	h := g.handler()
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: h.HTTPGet, TCPSocket: h.TCPSocket, Exec: h.Exec}}
}

func (g *podGenerator) handler() *corev1.LifecycleHandler {
	host := pick(g, "", "", "10.0.0.1", "metadata.internal")
	switch g.r.IntN(3) {
	case 0:
		return &corev1.LifecycleHandler{HTTPGet: &corev1.HTTPGetAction{Host: host, Path: "/healthz"}}
	case 1:
		return &corev1.LifecycleHandler{TCPSocket: &corev1.TCPSocketAction{Host: host}}
	default:
		return &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}
	}
}

func (g *podGenerator) seLinux() *corev1.SELinuxOptions {
	o := &corev1.SELinuxOptions{Type: pick(g, genSELinuxTypes...), Level: pick(g, "", "s0:c1,c2")}
	if g.chance(0.2) {
		o.User = "system_u"
	}
	if g.chance(0.2) {
		o.Role = "system_r"
	}
	return o
}

// random is a spec with every field drawn at random.
func (g *podGenerator) random(withEphemeral bool) (map[string]string, *corev1.PodSpec) {
	meta := map[string]string{}
	spec := &corev1.PodSpec{
		HostNetwork: g.chance(0.1), HostPID: g.chance(0.1), HostIPC: g.chance(0.1),
		HostUsers: pick(g, nil, nil, ptr.To(false), ptr.To(true)),
	}
	if g.chance(0.15) {
		spec.OS = &corev1.PodOS{Name: pick[corev1.OSName](g, corev1.Windows, corev1.Linux)}
	}
	if g.chance(0.7) {
		psc := &corev1.PodSecurityContext{RunAsNonRoot: g.optBool()}
		if g.chance(0.3) {
			psc.RunAsUser = pick(g, ptr.To[int64](0), ptr.To[int64](1000))
		}
		if g.chance(0.6) {
			psc.SeccompProfile = &corev1.SeccompProfile{Type: pick(g, genSeccomp...)}
		}
		if g.chance(0.15) {
			psc.AppArmorProfile = &corev1.AppArmorProfile{Type: pick(g, genAppArmor...)}
		}
		if g.chance(0.15) {
			psc.SELinuxOptions = g.seLinux()
		}
		for n := g.r.IntN(3); g.chance(0.3) && n > 0; n-- {
			psc.Sysctls = append(psc.Sysctls, corev1.Sysctl{Name: pick(g, genSysctls...), Value: "1"})
		}
		if g.chance(0.1) {
			psc.WindowsOptions = &corev1.WindowsSecurityContextOptions{HostProcess: g.optBool()}
		}
		spec.SecurityContext = psc
	}
	for i := g.r.IntN(3); i >= 0; i-- {
		spec.Containers = append(spec.Containers, g.container(fmt.Sprintf("c%d", i)))
	}
	for i := g.r.IntN(3) - 1; i >= 0; i-- {
		c := g.container(fmt.Sprintf("i%d", i))
		if g.chance(0.4) {
			c.RestartPolicy = ptr.To(corev1.ContainerRestartPolicyAlways)
		}
		spec.InitContainers = append(spec.InitContainers, c)
	}
	if withEphemeral {
		for i := g.r.IntN(3) - 1; i >= 0; i-- {
			spec.EphemeralContainers = append(spec.EphemeralContainers, corev1.EphemeralContainer{
				EphemeralContainerCommon: corev1.EphemeralContainerCommon(g.container(fmt.Sprintf("e%d", i))),
			})
		}
	}
	for i := g.r.IntN(4) - 1; i >= 0; i-- {
		spec.Volumes = append(spec.Volumes, g.volume())
	}
	for _, c := range containers(spec) {
		if g.chance(0.1) {
			meta["container.apparmor.security.beta.kubernetes.io/"+c.Name] = pick(g, genAnnotations...)
		}
		if g.chance(0.1) {
			meta["container.seccomp.security.alpha.kubernetes.io/"+c.Name] = pick(g, genAnnotations...)
		}
	}
	if g.chance(0.1) {
		meta["seccomp.security.alpha.kubernetes.io/pod"] = pick(g, genAnnotations...)
	}
	return meta, spec
}

func (g *podGenerator) container(name string) corev1.Container {
	c := corev1.Container{Name: name, Image: "img:1"}
	if g.chance(0.2) {
		c.Ports = []corev1.ContainerPort{{ContainerPort: 80, HostPort: pick[int32](g, 0, 80)}}
	}
	if g.chance(0.15) {
		c.ReadinessProbe = g.probe()
	}
	if g.chance(0.1) {
		c.Lifecycle = &corev1.Lifecycle{PostStart: g.handler()}
	}
	if g.chance(0.2) {
		return c
	}
	sc := &corev1.SecurityContext{
		Privileged:               pick(g, nil, nil, nil, ptr.To(true), ptr.To(false)),
		AllowPrivilegeEscalation: g.optBool(),
		RunAsNonRoot:             g.optBool(),
	}
	if g.chance(0.2) {
		sc.RunAsUser = pick(g, ptr.To[int64](0), ptr.To[int64](1000))
	}
	if g.chance(0.7) {
		caps := &corev1.Capabilities{}
		for n := g.r.IntN(3); n > 0; n-- {
			caps.Add = append(caps.Add, pick(g, genCapabilities...))
		}
		for n := g.r.IntN(3); n > 0; n-- {
			caps.Drop = append(caps.Drop, pick(g, genCapabilities...))
		}
		sc.Capabilities = caps
	}
	if g.chance(0.2) {
		sc.ProcMount = ptr.To(pick(g, genProcMounts...))
	}
	if g.chance(0.4) {
		sc.SeccompProfile = &corev1.SeccompProfile{Type: pick(g, genSeccomp...)}
	}
	if g.chance(0.15) {
		sc.AppArmorProfile = &corev1.AppArmorProfile{Type: pick(g, genAppArmor...)}
	}
	if g.chance(0.15) {
		sc.SELinuxOptions = g.seLinux()
	}
	if g.chance(0.1) {
		sc.WindowsOptions = &corev1.WindowsSecurityContextOptions{HostProcess: g.optBool()}
	}
	c.SecurityContext = sc
	return c
}

// shrink removes parts of s (map keys, list elements) while fails still
// holds, and returns the smallest sample found.
func shrink(s podSample, fails func(podSample) bool) podSample {
	for changed := true; changed; {
		changed = false
		for _, cand := range smaller(s) {
			if fails(cand) {
				s, changed = cand, true
				break
			}
		}
	}
	return s
}

// smaller lists the samples with one part of s removed.
func smaller(s podSample) []podSample {
	var out []podSample
	for k := range s.Annotations {
		c := podSample{Annotations: map[string]any{}, Spec: s.Spec}
		for k2, v := range s.Annotations {
			if k2 != k {
				c.Annotations[k2] = v
			}
		}
		out = append(out, c)
	}
	for _, spec := range smallerValues(s.Spec) {
		out = append(out, podSample{Annotations: s.Annotations, Spec: spec.(map[string]any)})
	}
	return out
}

// smallerValues lists copies of v with one key or element removed, at any depth.
func smallerValues(v any) []any {
	var out []any
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			without := map[string]any{}
			for k2, v2 := range t {
				if k2 != k {
					without[k2] = v2
				}
			}
			out = append(out, without)
			for _, c := range smallerValues(child) {
				with := map[string]any{}
				for k2, v2 := range t {
					with[k2] = v2
				}
				with[k] = c
				out = append(out, with)
			}
		}
	case []any:
		for i := range t {
			without := append(append([]any{}, t[:i]...), t[i+1:]...)
			out = append(out, without)
			for _, c := range smallerValues(t[i]) {
				with := append([]any{}, t...)
				with[i] = c
				out = append(out, with)
			}
		}
	}
	return out
}

// sampleYAML renders a sample for a failure message.
func sampleYAML(t testing.TB, s podSample, kind string) string {
	t.Helper()
	raw, err := json.MarshalIndent(s.object(kind, "NAMESPACE"), "", "  ")
	require.NoError(t, err)
	return string(raw)
}

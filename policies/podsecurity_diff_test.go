package policies

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"k8s.io/pod-security-admission/api"

	"github.com/feastflow/kubectl-feastflow/internal/parallel"
)

// The pod-security rules are proven equal to Kubernetes' own Pod Security
// Admission (k8s.io/pod-security-admission, the library the API server
// runs): for the same pod, each rule denies exactly when PSA's check for
// the same control fails, at each level and version. Every disagreement
// fails the test with the smallest pod spec that still disagrees.

// pssSamples is how many generated pod specs TestPodSecurityMatchesPSA
// checks; PSS_SAMPLES overrides it (the seed: PSS_SEED).
const pssSamples = 10000

// pssKinds are the workload kinds samples are wrapped in, in turn.
var pssKinds = []string{"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}

type pssHarness struct {
	full, fast ruleVerdicts
	ref        *psaReference
}

func newPSSHarness(t testing.TB) *pssHarness {
	t.Helper()
	e := newTestEngine(t, Options{})
	require.NoError(t, e.SetInventory(context.Background(), pssInventory(e)))
	return &pssHarness{full: viaEngine(e), fast: viaPodSecurityQuery(t, e), ref: newPSAReference(t)}
}

// check fails t with the minimal disagreeing spec when s's verdicts differ
// at lv, evaluated with ours.
func (h *pssHarness) check(t testing.TB, ours ruleVerdicts, s podSample, kind string, lv api.LevelVersion, what string) bool {
	t.Helper()
	if msg := disagreement(t, ours, h.ref, s, kind, lv); msg == "" {
		return true
	}
	min := shrink(s, func(c podSample) bool { return disagreement(t, ours, h.ref, c, kind, lv) != "" })
	t.Errorf("%s: pod-security rules and PSA disagree %s\nminimal spec:\n%s",
		what, disagreement(t, ours, h.ref, min, kind, lv), sampleYAML(t, min, kind))
	return false
}

// checkBoth is check for both levels at v from one evaluation of the
// pod-security rules alone (bothDisagreement).
func (h *pssHarness) checkBoth(t testing.TB, s podSample, kind string, v api.Version, what string) bool {
	t.Helper()
	if msg := bothDisagreement(t, h.fast, h.ref, s, kind, v); msg == "" {
		return true
	}
	min := shrink(s, func(c podSample) bool { return bothDisagreement(t, h.fast, h.ref, c, kind, v) != "" })
	t.Errorf("%s: pod-security rules and PSA disagree %s\nminimal spec:\n%s",
		what, bothDisagreement(t, h.fast, h.ref, min, kind, v), sampleYAML(t, min, kind))
	return false
}

func envInt(t *testing.T, name string, def uint64) uint64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseUint(v, 10, 64)
	require.NoError(t, err, name)
	return n
}

// TestPodSecurityMatchesPSA compares >= 10,000 seeded, generated pod specs.
// Each is checked at both levels, at a version taken in turn from v1.0 ..
// v1.37 and latest, wrapped in a workload kind taken in turn (ephemeral
// containers only in Pods, the only kind that has them).
func TestPodSecurityMatchesPSA(t *testing.T) {
	samples := envInt(t, "PSS_SAMPLES", pssSamples)
	seed := envInt(t, "PSS_SEED", 20261130)
	h := newPSSHarness(t)
	gen := newPodGenerator(seed)
	versions := psaVersions()
	type job struct {
		i    int
		kind string
		s    podSample
		v    api.Version
	}
	jobs := make([]job, samples)
	for i := range jobs {
		kind := pssKinds[i%len(pssKinds)]
		jobs[i] = job{i, kind, gen.sample(kind == "Pod"), versions[(i/len(pssKinds))%len(versions)]}
	}
	// Every tenth sample goes through Engine.Evaluate (the whole catalog)
	// once per level, in a namespace enforcing and warning that level; the
	// others through the pod-security rules alone (same compiled rules,
	// store and input) once for both levels, in a namespace enforcing
	// baseline and warning restricted (the defaults). Workers share the
	// engine.
	var failures atomic.Int32
	parallel.For(len(jobs), func(n int) {
		j := jobs[n]
		if failures.Load() >= 3 {
			return
		}
		what := "sample " + strconv.Itoa(j.i) + " (seed " + strconv.FormatUint(seed, 10) + ")"
		if j.i%10 != 0 {
			if !h.checkBoth(t, j.s, j.kind, j.v, what) {
				failures.Add(1)
			}
			return
		}
		for _, level := range psaLevels {
			if !h.check(t, h.full, j.s, j.kind, api.LevelVersion{Level: level, Version: j.v}, what) {
				failures.Add(1)
			}
		}
	})
}

// psaFixturesDir is PSA's own test fixtures in the module cache:
// test/testdata/<level>/v1.<minor>/{pass,fail}/*.yaml.
func psaFixturesDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "k8s.io/pod-security-admission").Output()
	require.NoError(t, err, "locate k8s.io/pod-security-admission")
	dir := filepath.Join(strings.TrimSpace(string(out)), "test", "testdata")
	require.DirExists(t, dir)
	return dir
}

// TestPodSecurityPSAFixtures compares every pod of PSA's own fixtures, at
// the level and version they were written for, per control.
func TestPodSecurityPSAFixtures(t *testing.T) {
	dir := psaFixturesDir(t)
	h := newPSSHarness(t)
	files, err := filepath.Glob(filepath.Join(dir, "*", "v1.*", "*", "*.yaml"))
	require.NoError(t, err)
	require.Greater(t, len(files), 1000, "PSA's fixtures")
	// Every tenth file goes through Engine.Evaluate, the others through
	// the pod-security rules alone; workers share the engine.
	var failures atomic.Int32
	parallel.For(len(files), func(n int) {
		f := files[n]
		if failures.Load() >= 3 {
			return
		}
		rel, _ := filepath.Rel(dir, f)
		parts := strings.Split(rel, string(filepath.Separator))
		level, err := api.ParseLevel(parts[0])
		require.NoError(t, err, rel)
		version, err := api.ParseVersion(parts[1])
		require.NoError(t, err, rel)
		ours := h.fast
		if n%10 == 0 {
			ours = h.full
		}
		for _, obj := range readObjects(t, f) {
			spec, _ := obj["spec"].(map[string]any)
			meta, _ := obj["metadata"].(map[string]any)
			ann, _ := meta["annotations"].(map[string]any)
			s := toSampleFromMaps(t, ann, spec)
			if !h.check(t, ours, s, "Pod", api.LevelVersion{Level: level, Version: version}, rel) {
				failures.Add(1)
			}
		}
	})
}

// toSampleFromMaps normalises a decoded YAML pod through the typed form,
// as the API server stores it.
func toSampleFromMaps(t *testing.T, annotations, spec map[string]any) podSample {
	t.Helper()
	s := podSample{Annotations: annotations, Spec: spec}
	meta, typed := s.typed(t)
	return toSample(meta.Annotations, typed)
}

// FuzzPodSecurity compares verdicts on pod specs the fuzzer derives from a
// seed and a few choice bytes (the level, version and kind).
//
//	go test -run '^$' -fuzz FuzzPodSecurity ./policies/
func FuzzPodSecurity(f *testing.F) {
	for i := range 16 {
		f.Add(uint64(i), uint8(i), uint8(i*7))
	}
	h := newPSSHarness(f)
	versions := psaVersions()
	f.Fuzz(func(t *testing.T, seed uint64, version, kind uint8) {
		k := pssKinds[int(kind)%len(pssKinds)]
		s := newPodGenerator(seed).sample(k == "Pod")
		v := versions[int(version)%len(versions)]
		for _, level := range psaLevels {
			h.check(t, h.full, s, k, api.LevelVersion{Level: level, Version: v}, "fuzz")
		}
	})
}

package policies

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"k8s.io/pod-security-admission/api"
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
	e   *Engine
	ref *psaReference
}

func newPSSHarness(t testing.TB) *pssHarness {
	t.Helper()
	e := newTestEngine(t, Options{})
	require.NoError(t, e.SetInventory(context.Background(), pssInventory(e)))
	return &pssHarness{e: e, ref: newPSAReference(t)}
}

// check fails t with the minimal disagreeing spec when s's verdicts differ at lv.
func (h *pssHarness) check(t testing.TB, s podSample, kind string, lv api.LevelVersion, what string) bool {
	t.Helper()
	if msg := disagreement(t, h.e, h.ref, s, kind, lv); msg == "" {
		return true
	}
	min := shrink(s, func(c podSample) bool { return disagreement(t, h.e, h.ref, c, kind, lv) != "" })
	t.Errorf("%s: pod-security rules and PSA disagree %s\nminimal spec:\n%s",
		what, disagreement(t, h.e, h.ref, min, kind, lv), sampleYAML(t, min, kind))
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
	failures := 0
	for i := range int(samples) {
		kind := pssKinds[i%len(pssKinds)]
		s := gen.sample(kind == "Pod")
		v := versions[(i/len(pssKinds))%len(versions)]
		for _, level := range psaLevels {
			lv := api.LevelVersion{Level: level, Version: v}
			if !h.check(t, s, kind, lv, "sample "+strconv.Itoa(i)+" (seed "+strconv.FormatUint(seed, 10)+")") {
				failures++
			}
		}
		if failures >= 3 {
			t.Fatalf("stopping after %d disagreements", failures)
		}
	}
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
	failures := 0
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		parts := strings.Split(rel, string(filepath.Separator))
		level, err := api.ParseLevel(parts[0])
		require.NoError(t, err, rel)
		version, err := api.ParseVersion(parts[1])
		require.NoError(t, err, rel)
		for _, obj := range readObjects(t, f) {
			spec, _ := obj["spec"].(map[string]any)
			meta, _ := obj["metadata"].(map[string]any)
			ann, _ := meta["annotations"].(map[string]any)
			s := toSampleFromMaps(t, ann, spec)
			if !h.check(t, s, "Pod", api.LevelVersion{Level: level, Version: version}, rel) {
				failures++
			}
			if failures >= 3 {
				t.Fatalf("stopping after %d disagreements", failures)
			}
		}
	}
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
			h.check(t, s, k, api.LevelVersion{Level: level, Version: v}, "fuzz")
		}
	})
}

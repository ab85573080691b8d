package policyflags

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// configMapVolume lays files out as kubelet does for a ConfigMap volume:
// the data in a timestamped directory, ..data a symlink to it, and each
// key a symlink through ..data. update swaps ..data atomically (a new
// directory, a temporary symlink renamed over ..data), as kubelet's
// AtomicWriter does.
type configMapVolume struct {
	dir string
	gen int
}

func newConfigMapVolume(t *testing.T, key, content string) (*configMapVolume, string) {
	v := &configMapVolume{dir: t.TempDir()}
	v.update(t, key, content)
	require.NoError(t, os.Symlink(filepath.Join("..data", key), filepath.Join(v.dir, key)))
	return v, filepath.Join(v.dir, key)
}

func (v *configMapVolume) update(t *testing.T, key, content string) {
	t.Helper()
	v.gen++
	ts := fmt.Sprintf("..2026_11_30_12_00_%02d.%d", v.gen, v.gen)
	require.NoError(t, os.Mkdir(filepath.Join(v.dir, ts), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(v.dir, ts, key), []byte(content), 0o644))
	tmp := filepath.Join(v.dir, "..data_tmp")
	require.NoError(t, os.Symlink(ts, tmp))
	require.NoError(t, os.Rename(tmp, filepath.Join(v.dir, "..data")))
}

const cfgHeader = "apiVersion: config.feastflow.io/v1alpha1\nkind: Configuration\n"

func deployment() map[string]any {
	return map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "api", "namespace": "shop"},
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": map[string]any{"app": "api"}},
			"template": map[string]any{
				"metadata": map[string]any{"labels": map[string]any{"app": "api"}},
				"spec": map[string]any{"containers": []any{
					map[string]any{"name": "api", "image": "registry.example.com/api:1.0"},
				}},
			},
		},
	}
}

func severities(t *testing.T, e *policies.Engine) map[string]policies.Severity {
	t.Helper()
	fs, err := e.Evaluate(context.Background(), deployment())
	require.NoError(t, err)
	out := map[string]policies.Severity{}
	for _, f := range fs {
		out[f.RuleID] = f.Severity
	}
	return out
}

// TestReloadAfterConfigMapSwap: the webhook's configuration, mounted from
// a ConfigMap, is applied again when kubelet swaps the volume's ..data
// symlink; a broken update is refused and the last good one kept.
func TestReloadAfterConfigMapSwap(t *testing.T) {
	ctx := context.Background()
	vol, path := newConfigMapVolume(t, "config.yaml", cfgHeader+"rules:\n  disable: [cpu-limit]\n")
	f := &Flags{Config: path}
	e, err := f.Engine(ctx, policies.ModeAdmission, "default")
	require.NoError(t, err)
	assert.NotContains(t, severities(t, e), "cpu-limit")

	reloaded, err := f.ReloadIfChanged(ctx, e, policies.ModeAdmission, "default")
	require.NoError(t, err)
	assert.False(t, reloaded, "nothing changed")

	vol.update(t, "config.yaml", cfgHeader+"severity:\n  cpu-limit: deny\nparams:\n  cpu_limit: warn\n")
	reloaded, err = f.ReloadIfChanged(ctx, e, policies.ModeAdmission, "default")
	require.NoError(t, err)
	assert.True(t, reloaded)
	assert.Equal(t, policies.SeverityDeny, severities(t, e)["cpu-limit"], "the rule is back, with the new severity")

	vol.update(t, "config.yaml", cfgHeader+"rules:\n  disable: [cpu-limits]\n")
	_, err = f.ReloadIfChanged(ctx, e, policies.ModeAdmission, "default")
	require.ErrorContains(t, err, `config.yaml:4: "cpu-limits" is neither a rule id nor an area`)
	assert.Equal(t, policies.SeverityDeny, severities(t, e)["cpu-limit"], "a broken update keeps the last good configuration")

	vol.update(t, "config.yaml", cfgHeader+"params:\n  cpu_limit: dney\n")
	_, err = f.ReloadIfChanged(ctx, e, policies.ModeAdmission, "default")
	require.ErrorContains(t, err, `parameter "cpu_limit"`)

	vol.update(t, "config.yaml", cfgHeader+"rules:\n  disable: [resources]\n")
	reloaded, err = f.ReloadIfChanged(ctx, e, policies.ModeAdmission, "default")
	require.NoError(t, err)
	assert.True(t, reloaded)
	got := severities(t, e)
	assert.NotContains(t, got, "cpu-limit")
	assert.NotContains(t, got, "memory-limit-required")
	assert.Contains(t, got, "liveness-probe-required")
}

// TestWatchReloads: Watch polls and reconfigures without being asked.
func TestWatchReloads(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	vol, path := newConfigMapVolume(t, "config.yaml", cfgHeader)
	f := &Flags{Config: path}
	e, err := f.Engine(ctx, policies.ModeAdmission, "default")
	require.NoError(t, err)
	require.Contains(t, severities(t, e), "cpu-limit")
	var reloads atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Watch(ctx, e, policies.ModeAdmission, "default", 10*time.Millisecond, func(reloaded bool, err error) {
			assert.NoError(t, err)
			if reloaded {
				reloads.Add(1)
			}
		})
	}()
	vol.update(t, "config.yaml", cfgHeader+"rules:\n  disable: [cpu-limit]\n")
	require.Eventually(t, func() bool { return reloads.Load() == 1 }, 10*time.Second, 10*time.Millisecond)
	assert.NotContains(t, severities(t, e), "cpu-limit")
	cancel()
	<-done
}

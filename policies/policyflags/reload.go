package policyflags

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// digest fingerprints the content of the configuration and params files
// (read through symlinks, so a ConfigMap volume's atomic ..data swap
// changes it); a missing file counts as empty.
func (f *Flags) digest() (string, error) {
	h := sha256.New()
	for _, path := range []string{f.Config, f.ParamsFile} {
		if path == "" {
			continue
		}
		raw, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(raw))
		h.Write(raw)
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}

// ReloadIfChanged re-reads the configuration (--config) and params
// (--params-file) files and, when their content changed since the engine
// was built or last reconfigured, applies them to e with
// Engine.Reconfigure. It reports whether e was reconfigured. A file that
// does not parse, or a setting the catalog refuses, is an error and e
// keeps its configuration; the same content is not retried until it
// changes again.
func (f *Flags) ReloadIfChanged(ctx context.Context, e *policies.Engine, mode, defaultNamespace string) (bool, error) {
	d, err := f.digest()
	if err != nil {
		return false, fmt.Errorf("read configuration: %w", err)
	}
	if d == f.lastDigest {
		return false, nil
	}
	f.lastDigest = d
	opts, err := f.Options(mode, defaultNamespace)
	if err != nil {
		return false, err
	}
	if err := e.Reconfigure(ctx, opts); err != nil {
		return false, fmt.Errorf("reconfigure policies: %w", err)
	}
	return true, nil
}

// Watch polls the configuration and params files every interval until ctx
// ends and reconfigures e when they change (see ReloadIfChanged); report,
// when set, hears of every reload and every error. Polling the content
// follows kubelet's update of a ConfigMap volume (a new directory and an
// atomic swap of the ..data symlink) and any editor's rename.
func (f *Flags) Watch(ctx context.Context, e *policies.Engine, mode, defaultNamespace string, interval time.Duration, report func(reloaded bool, err error)) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			reloaded, err := f.ReloadIfChanged(ctx, e, mode, defaultNamespace)
			if report != nil && (reloaded || err != nil) {
				report(reloaded, err)
			}
		}
	}
}

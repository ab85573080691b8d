package certs

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/controller-runtime/pkg/certwatcher"
)

func TestWriteFiles(t *testing.T) {
	first, err := Generate(testOptions())
	require.NoError(t, err)
	second, err := Generate(testOptions())
	require.NoError(t, err)

	tests := []struct {
		name   string
		dir    func(t *testing.T) string
		before *Bundle
	}{
		{"new nested dir", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a", "certs") }, nil},
		{"existing dir", func(t *testing.T) string { return t.TempDir() }, nil},
		{"replaces earlier files", func(t *testing.T) string { return t.TempDir() }, first},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir(t)
			if tt.before != nil {
				require.NoError(t, tt.before.WriteFiles(dir))
			}
			require.NoError(t, second.WriteFiles(dir))

			want := map[string]struct {
				data []byte
				mode os.FileMode
			}{
				CertFile: {second.Cert, 0o644},
				KeyFile:  {second.Key, 0o600},
				CAFile:   {second.CACert, 0o644},
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			assert.ElementsMatch(t, []string{CertFile, KeyFile, CAFile}, names, "no temporary files and no CA key left behind")
			for name, w := range want {
				got, err := os.ReadFile(filepath.Join(dir, name))
				require.NoError(t, err)
				assert.Equal(t, w.data, got, name)
				info, err := os.Stat(filepath.Join(dir, name))
				require.NoError(t, err)
				assert.Equal(t, w.mode, info.Mode().Perm(), name)
			}
		})
	}
}

func TestWriteFilesFailsOnUnwritableDir(t *testing.T) {
	b, err := Generate(testOptions())
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	err = b.WriteFiles(filepath.Join(file, "certs"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "write certificates: ")
}

// TestWriteFilesReadersNeverSeeAPartialFile rewrites the files while a
// reader keeps reading them: every read is one whole certificate of one
// of the bundles, never a mix or a truncated file.
func TestWriteFilesReadersNeverSeeAPartialFile(t *testing.T) {
	dir := t.TempDir()
	bundles := make([]*Bundle, 4)
	for i := range bundles {
		b, err := Generate(testOptions())
		require.NoError(t, err)
		bundles[i] = b
	}
	require.NoError(t, bundles[0].WriteFiles(dir))

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	var reads, bad int
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			got, err := os.ReadFile(filepath.Join(dir, CertFile))
			reads++
			if err != nil || !isOneOf(got, bundles) {
				bad++
			}
		}
	}()
	for i := 0; i < 200; i++ {
		require.NoError(t, bundles[i%len(bundles)].WriteFiles(dir))
	}
	close(done)
	wg.Wait()
	assert.Positive(t, reads)
	assert.Zero(t, bad, "partial or unreadable reads out of %d", reads)
}

func isOneOf(cert []byte, bundles []*Bundle) bool {
	for _, b := range bundles {
		if bytes.Equal(cert, b.Cert) {
			return true
		}
	}
	return false
}

// TestWriteFilesReloadsCertWatcher uses controller-runtime's certwatcher,
// which the webhook server uses, to read the files after each rewrite.
func TestWriteFilesReloadsCertWatcher(t *testing.T) {
	dir := t.TempDir()
	first, err := Generate(testOptions())
	require.NoError(t, err)
	require.NoError(t, first.WriteFiles(dir))
	cw, err := certwatcher.New(filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile))
	require.NoError(t, err)

	for i := 0; i < 3; i++ {
		next, err := Generate(testOptions())
		require.NoError(t, err)
		require.NoError(t, next.WriteFiles(dir))
		require.NoError(t, cw.ReadCertificate())
		served, err := cw.GetCertificate(nil)
		require.NoError(t, err)
		leaf, err := ParseCertificate(next.Cert)
		require.NoError(t, err)
		assert.Equal(t, leaf.Raw, served.Certificate[0], "rewrite %d", i)
	}
}

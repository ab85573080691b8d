package source

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/cli-runtime/pkg/resource"
)

// TestLoadIgnoringReadsNothingIgnored checks that an ignored file is not
// read and an ignored directory is not walked: what ignore is asked about
// is recorded, and an unreadable file (a dangling symlink) under an
// ignored tree, which would be an error if read, costs nothing.
func TestLoadIgnoringReadsNothingIgnored(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("app.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n")
	write("skip.yaml", "apiVersion: v1\nkind: [\n")
	write("vendor/lib.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: lib}\n")
	write("vendor/deep/x.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
	require.NoError(t, os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "vendor", "dangling.yaml")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "broken.yaml")))

	var mu sync.Mutex
	var asked []string
	ignored := map[string]bool{"skip.yaml": true, "vendor": true, "broken.yaml": true}
	ignore := func(p string) bool {
		rel, err := filepath.Rel(dir, p)
		require.NoError(t, err)
		mu.Lock()
		asked = append(asked, filepath.ToSlash(rel))
		mu.Unlock()
		return ignored[filepath.ToSlash(rel)]
	}

	tests := []struct {
		name      string
		filenames []string
		wantNames []string
		wantAsked []string
	}{
		{"recursive walk", []string{dir}, []string{"app.yaml"}, []string{".", "app.yaml", "broken.yaml", "skip.yaml", "vendor"}},
		{"named paths", []string{filepath.Join(dir, "app.yaml"), filepath.Join(dir, "vendor"), filepath.Join(dir, "broken.yaml")}, []string{"app.yaml"}, []string{"app.yaml", "broken.yaml", "vendor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asked = nil
			res := Load(context.Background(), resource.FilenameOptions{Filenames: tt.filenames, Recursive: true}, nil, Ignoring(ignore))
			assert.Empty(t, res.Errors, "nothing ignored is read, so nothing ignored fails")
			var names []string
			for _, d := range res.Documents {
				rel, _ := filepath.Rel(dir, d.File)
				names = append(names, filepath.ToSlash(rel))
			}
			assert.Equal(t, tt.wantNames, names)
			assert.Equal(t, len(tt.wantNames), res.Inputs)
			sort.Strings(asked)
			assert.Equal(t, tt.wantAsked, asked, "ignore is never asked about what lies under an ignored directory")
		})
	}

	// Without the option the same tree is read whole: the broken file and
	// the dangling symlinks are errors.
	res := Load(context.Background(), resource.FilenameOptions{Filenames: []string{dir}, Recursive: true}, nil)
	assert.Len(t, res.Errors, 3)
}

package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/cli-runtime/pkg/resource"
)

// TestSkipKustomizations: a kustomization is skipped with the -k command
// that renders it, and a kustomize Component, which cannot be rendered on
// its own, with a pointer to an overlay instead; whether met by -R, named,
// or recognised by content under another name.
func TestSkipKustomizations(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	overlay := write("overlay/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\n")
	component := write("policy/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n")
	renamed := write("extra/component.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n")

	tests := []struct {
		name  string
		input string
		file  string
		want  string
	}{
		{"kustomization met by -R", dir, overlay, "lint what it renders with `kubectl feastflow lint -k " + filepath.Dir(overlay) + "`"},
		{"component met by -R", dir, component, skipComponent},
		{"component by content", dir, renamed, skipComponent},
		{"kustomization named", overlay, overlay, "lint what it renders with `kubectl feastflow lint -k " + filepath.Dir(overlay) + "`"},
		{"component named", component, component, skipComponent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(context.Background(), resource.FilenameOptions{Filenames: []string{tt.input}, Recursive: true}, nil)
			reasons := map[string]string{}
			for _, s := range res.Skipped {
				reasons[s.File] = s.Reason
			}
			require.Contains(t, reasons, tt.file, "skipped: %v", reasons)
			assert.Contains(t, reasons[tt.file], tt.want)
		})
	}
}

package charttest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// root is the repository root.
var root = filepath.Join("..", "..")

// chartCase is one rendering of a chart: release, namespace and values
// files (relative to the chart).
type chartCase struct {
	name, chart, release, namespace string
	valuesFiles                     []string
	// set and setFile are --set and --set-file.
	set, setFile []string
}

// render renders the chart as `helm template` does (client only, the
// values schema checked) and returns the manifest text.
func render(t *testing.T, c chartCase) string {
	t.Helper()
	out, err := tryRender(c)
	require.NoError(t, err)
	return out
}

func tryRender(c chartCase) (string, error) {
	chartDir := filepath.Join(root, "charts", c.chart)
	chrt, err := loader.Load(chartDir)
	if err != nil {
		return "", err
	}
	vals, err := chartValues(c)
	if err != nil {
		return "", err
	}
	install := action.NewInstall(&action.Configuration{})
	install.DryRun, install.ClientOnly, install.Replace = true, true, true
	install.ReleaseName, install.Namespace = c.release, c.namespace
	install.KubeVersion = &chartutil.KubeVersion{Version: "v1.37.2", Major: "1", Minor: "37"}
	rel, err := install.Run(chrt, vals)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(rel.Manifest)
	for _, h := range rel.Hooks {
		fmt.Fprintf(&b, "\n---\n%s", h.Manifest)
	}
	return b.String(), nil
}

func chartValues(c chartCase) (map[string]any, error) {
	opts := values.Options{Values: c.set, FileValues: c.setFile}
	for _, f := range c.valuesFiles {
		opts.ValueFiles = append(opts.ValueFiles, filepath.Join(root, "charts", c.chart, f))
	}
	return opts.MergeValues(getter.Providers{})
}

// kustomizeBuild renders a kustomization with kustomize's own library.
func kustomizeBuild(t *testing.T, dir string) string {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(filesys.MakeFsOnDisk(), filepath.Join(root, dir))
	require.NoError(t, err)
	out, err := m.AsYaml()
	require.NoError(t, err)
	return string(out)
}

// object is one decoded Kubernetes object.
type object = map[string]any

// objects decodes a multi-document manifest into objects keyed by
// kind/namespace/name (sigs.k8s.io/yaml, as kubectl reads them).
func objects(t *testing.T, manifest string) map[string]object {
	t.Helper()
	out := map[string]object{}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(manifest)))
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var o object
		require.NoError(t, yaml.Unmarshal(doc, &o))
		if o == nil {
			continue
		}
		meta, _ := o["metadata"].(map[string]any)
		key := fmt.Sprintf("%s/%v/%v", o["kind"], meta["namespace"], meta["name"])
		require.NotContains(t, out, key, "object rendered twice")
		out[key] = o
	}
	return out
}

func keys(m map[string]object) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package source

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// Skip is an input lint does not read as manifests, and why. Repositories
// hold YAML that is not a Kubernetes object (Helm charts, kustomizations,
// CI workflows, tool configuration); `-R` meets it. It is skipped with a
// note saying how to lint what it stands for, rather than reported as a
// broken manifest (exit 2) or read as an object it is not. A file that
// holds objects and also a document without apiVersion and kind stays an
// error: that is a broken manifest.
type Skip struct {
	File   string
	Reason string
}

// Reasons a file is skipped.
const (
	skipHelmChart     = "a Helm chart, not manifests: its templates become manifests when rendered; lint them with `helm template %s | kubectl feastflow lint -f -`"
	skipKustomization = "a kustomization, not a manifest: lint what it renders with `kubectl feastflow lint -k %s`"
	skipComponent     = "a kustomize Component, not a manifest: it renders only within an overlay; lint an overlay that lists it under components with `kubectl feastflow lint -k OVERLAY`"
	skipNotManifest   = "not a Kubernetes manifest: no document has an apiVersion or a kind"
)

// kustomizationNames are the file names kustomize reads as a kustomization.
var kustomizationNames = map[string]bool{"kustomization.yaml": true, "kustomization.yml": true, "Kustomization": true}

// isHelmChart reports whether dir is a Helm chart's root.
func isHelmChart(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil
}

// chartOf returns the chart root a file named on the command line belongs
// to (Chart.yaml, values files, anything under templates/), or "".
func chartOf(file string) string {
	dir := filepath.Dir(file)
	if isHelmChart(dir) {
		return dir
	}
	for d := dir; ; {
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		if filepath.Base(d) == "templates" && isHelmChart(parent) {
			return parent
		}
		d = parent
	}
}

// skipFile says why a file found by name is skipped, or "".
func skipFile(path string) string {
	if kustomizationNames[filepath.Base(path)] {
		return kustomizationSkip(path)
	}
	if chart := chartOf(path); chart != "" {
		return strings.Replace(skipHelmChart, "%s", chart, 1)
	}
	return ""
}

// skipContent says why parsed content is skipped, or "": no document is
// an object and each failed only for lacking apiVersion and kind (or for
// not being a mapping), or every object is kustomize's configuration.
func skipContent(name string, docs []*Document, errs []error) string {
	if len(docs) == 0 && len(errs) > 0 {
		for _, err := range errs {
			var pe *ParseError
			if !errors.As(err, &pe) || !pe.notObject {
				return ""
			}
		}
		return skipNotManifest
	}
	if len(docs) == 0 || len(errs) > 0 {
		return ""
	}
	component := true
	for _, d := range docs {
		apiVersion, _ := d.Object["apiVersion"].(string)
		if !strings.HasPrefix(apiVersion, "kustomize.config.k8s.io/") {
			return ""
		}
		component = component && d.Object["kind"] == "Component"
	}
	if component {
		return skipComponent
	}
	return strings.Replace(skipKustomization, "%s", filepath.Dir(name), 1)
}

// kustomizationSkip says why the kustomization file at path is skipped:
// a Component (kind: Component, kustomize.config.k8s.io/v1alpha1) cannot
// be built on its own, so it points at an overlay instead of -k its dir.
func kustomizationSkip(path string) string {
	var head struct {
		Kind string `json:"kind"`
	}
	if data, err := os.ReadFile(path); err == nil && yaml.Unmarshal(data, &head) == nil && head.Kind == "Component" {
		return skipComponent
	}
	return strings.Replace(skipKustomization, "%s", filepath.Dir(path), 1)
}

package output

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/policies"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixtureRules is the catalog the fixture reports were checked with.
func fixtureRules() []policies.Rule {
	return []policies.Rule{
		{
			ID: "liveness-probe-required", Title: "Containers of long-running workloads need a liveness probe",
			Severity: policies.SeverityDeny, Area: "probes",
			Description: "Without a liveness probe the kubelet cannot tell a hung process from a healthy one.",
			Remediation: "Add livenessProbe to the container: an httpGet on a health endpoint,\na tcpSocket on the serving port, or an exec command.",
			DocsURL:     "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
		},
		{
			ID: "memory-request-required", Title: "Containers should request memory",
			Severity: policies.SeverityWarn, Area: "resources",
			Description: "Without a memory request the scheduler may place the Pod on a full node.",
			Remediation: "Set resources.requests.memory on the container.",
			DocsURL:     "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
		},
		{
			ID: "schema-strict", Title: "Built-in objects must match their schema",
			Severity: policies.SeverityDeny, Area: "schema",
			Description: "Unknown fields and wrong types in built-in kinds are found with strict decoding.",
			Remediation: "Fix the field name or type; `kubectl explain <kind>.<field>` shows the schema.",
			DocsURL:     "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation",
		},
	}
}

// fixtureReport has deny and warn findings in two files, a finding without
// a location, an exempted finding, an input error and the rule catalog.
// Findings are deliberately out of order: printers must sort them.
func fixtureReport() *Report {
	rules := fixtureRules()
	finding := func(rule policies.Rule, kind, name, msg string, loc *policies.Location) policies.Finding {
		return policies.Finding{
			RuleID: rule.ID, Severity: rule.Severity, Message: msg,
			Object:      policies.ObjectRef{APIVersion: "apps/v1", Kind: kind, Namespace: "feastflow", Name: name},
			Field:       "spec.template.spec.containers[0]",
			Location:    loc,
			Remediation: rule.Remediation, DocsURL: rule.DocsURL,
		}
	}
	at := func(file string, line, column int) *policies.Location {
		return &policies.Location{File: file, Line: line, Column: column}
	}
	exempted := finding(rules[0], "Deployment", "frontend", `container "proxy" has no livenessProbe`, at("manifests/frontend.yaml", 30, 9))
	exempted.Exemption = &policies.Exemption{Reason: "the mesh sidecar is probed by the mesh", Until: "2030-01-31"}
	return &Report{
		Findings: []policies.Finding{
			finding(rules[2], "Deployment", "frontend", `unknown field "spec.template.spec.containers[0].livenesProbe"`, at("manifests/frontend.yaml", 9, 5)),
			finding(rules[1], "StatefulSet", "postgres", `container "postgres" sets no memory request`, nil),
			exempted,
			finding(rules[1], "Deployment", "backend", `container "api" requests <none> & "0" memory, 100% of nothing`, at("manifests/backend.yaml", 24, 13)),
			finding(rules[0], "Deployment", "backend", `container "api" has no livenessProbe`, at("manifests/backend.yaml", 21, 11)),
		},
		Errors: []InputError{
			{File: "manifests/broken.yaml", Line: 3, Message: "yaml: line 3: mapping values are not allowed in this context"},
		},
		Rules:   rules,
		Files:   5,
		Objects: 12,
		CheckedFiles: []string{
			"manifests/backend.yaml", "manifests/broken.yaml", "manifests/frontend.yaml",
			"manifests/namespace.yaml", "manifests/postgres.yaml",
		},
		ToolVersion: "v0.1.0-test",
	}
}

// cleanReport is a run that found nothing.
func cleanReport() *Report {
	r := fixtureReport()
	r.Findings, r.Errors = nil, nil
	return r
}

// goldenCases are the reports every format is golden-tested with.
var goldenCases = []struct {
	name   string
	report func() *Report
}{
	{"report", fixtureReport},
	{"clean", cleanReport},
}

// assertGolden compares got with testdata/name, rewriting it under -update.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run `go test ./plugin/output -update` to create it")
	assert.Equal(t, string(want), string(got))
}

// printGolden prints every golden case with p and compares it with
// testdata/<case>.<ext>.golden.
func printGolden(t *testing.T, p Printer, ext string) {
	t.Helper()
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			assertGolden(t, tc.name+"."+ext+".golden", render(t, p, tc.report()))
		})
	}
}

func render(t *testing.T, p Printer, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, p.Print(&buf, r))
	return buf.Bytes()
}

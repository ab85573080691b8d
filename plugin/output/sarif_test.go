package output

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSARIFGolden(t *testing.T) {
	printGolden(t, SARIF{}, "sarif")
}

// TestSARIFSchema checks the output against the constraints of the SARIF
// 2.1.0 schema that matter here and against GitHub code scanning's own
// ingestion rules (every result has a file URI; startLine >= 1).
func TestSARIFSchema(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			var log map[string]any
			require.NoError(t, json.Unmarshal(render(t, SARIF{}, tc.report()), &log))
			for _, problem := range sarifProblems(log) {
				t.Error(problem)
			}
		})
	}
}

// TestSARIFContent checks how report entries map onto SARIF objects.
func TestSARIFContent(t *testing.T) {
	log := newSARIFLog(fixtureReport())
	run := log.Runs[0]
	assert.Equal(t, "v0.1.0-test", run.Tool.Driver.Version)
	require.Len(t, run.Tool.Driver.Rules, 3)
	assert.Equal(t, "LivenessProbeRequired", run.Tool.Driver.Rules[0].Name)
	assert.Equal(t, "warning", run.Tool.Driver.Rules[1].DefaultConfiguration.Level)

	require.Len(t, run.Results, 4, "the finding without a file is not a result")
	var suppressed []sarifResult
	for _, res := range run.Results {
		if len(res.Suppressions) > 0 {
			suppressed = append(suppressed, res)
		}
	}
	require.Len(t, suppressed, 1)
	assert.Equal(t, "error", suppressed[0].Level)
	assert.Equal(t, []sarifSuppression{{Kind: "external", Justification: "the mesh sidecar is probed by the mesh",
		Properties: &sarifProperties{Until: "2030-01-31"}}}, suppressed[0].Suppressions)

	inv := run.Invocations[0]
	assert.False(t, inv.ExecutionSuccessful, "an input could not be read")
	require.Len(t, inv.Notifications, 2)
	assert.Equal(t, "yaml: line 3: mapping values are not allowed in this context", inv.Notifications[0].Message.Text)
	assert.Equal(t, "memory-request-required", inv.Notifications[1].AssociatedRule.ID)
	assert.Equal(t, "warning", inv.Notifications[1].Level)

	assert.True(t, newSARIFLog(cleanReport()).Runs[0].Invocations[0].ExecutionSuccessful)
}

func TestSARIFArtifactLocation(t *testing.T) {
	tests := []struct {
		file string
		want sarifArtifactLocation
	}{
		{"manifests/app.yaml", sarifArtifactLocation{URI: "manifests/app.yaml", URIBaseID: srcRoot}},
		{"deploy/my app.yaml", sarifArtifactLocation{URI: "deploy/my%20app.yaml", URIBaseID: srcRoot}},
		{"a:b.yaml", sarifArtifactLocation{URI: "./a:b.yaml", URIBaseID: srcRoot}},
		{"/srv/manifests/app.yaml", sarifArtifactLocation{URI: "file:///srv/manifests/app.yaml"}},
		{"https://example.com/deploy/app.yaml", sarifArtifactLocation{URI: "https://example.com/deploy/app.yaml"}},
		{"http://example.com/a b.yaml?ref=main", sarifArtifactLocation{URI: "http://example.com/a b.yaml?ref=main"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			assert.Equal(t, tc.want, artifactLocation(tc.file))
		})
	}
}

func TestSARIFMessageBraces(t *testing.T) {
	r := fixtureReport()
	r.Findings[0].Message = `field "spec" is {"a": 1}, want {0}`
	log := newSARIFLog(r)
	var texts []string
	for _, res := range log.Runs[0].Results {
		texts = append(texts, res.Message.Text)
	}
	assert.Contains(t, texts, `feastflow/Deployment/frontend: field "spec" is {{"a": 1}}, want {{0}}`)
}

// TestSARIFProblemsCatchesViolations proves the checker above is not blind.
func TestSARIFProblemsCatchesViolations(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(res map[string]any)
		want   string
	}{
		{"bad level", func(res map[string]any) { res["level"] = "fatal" }, `level "fatal" is not a SARIF level`},
		{"no locations", func(res map[string]any) { delete(res, "locations") }, "has no location"},
		{"line 0", func(res map[string]any) {
			dig(res, "locations").([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["region"] = map[string]any{"startLine": 0.0}
		}, "startLine is 0"},
		{"no message", func(res map[string]any) { delete(res, "message") }, "message.text is required"},
		{"wrong rule index", func(res map[string]any) { res["ruleIndex"] = 2.0 }, "does not point at rule"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var log map[string]any
			require.NoError(t, json.Unmarshal(render(t, SARIF{}, fixtureReport()), &log))
			res := dig(log, "runs").([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
			tc.mutate(res)
			assert.Contains(t, fmt.Sprint(sarifProblems(log)), tc.want)
		})
	}
}

var sarifLevels = []string{"none", "note", "warning", "error"}

// sarifProblems lists the ways log breaks the schema's required
// properties and enums, or GitHub's ingestion rules.
func sarifProblems(log map[string]any) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if log["version"] != "2.1.0" {
		fail("version is %v, want 2.1.0", log["version"])
	}
	if log["$schema"] != sarifSchema {
		fail("$schema is %v", log["$schema"])
	}
	runs, _ := log["runs"].([]any)
	if len(runs) != 1 {
		return append(problems, fmt.Sprintf("want one run, got %d", len(runs)))
	}
	run := runs[0].(map[string]any)
	driver, _ := dig(run, "tool", "driver").(map[string]any)
	if driver == nil || driver["name"] == "" || driver["name"] == nil {
		fail("runs[0].tool.driver.name is required")
	}
	rules, _ := driver["rules"].([]any)
	var ruleIDs []string
	for i, v := range rules {
		rule := v.(map[string]any)
		id, _ := rule["id"].(string)
		if id == "" {
			fail("rules[%d].id is required", i)
		}
		ruleIDs = append(ruleIDs, id)
		for _, msg := range []string{"shortDescription", "fullDescription", "help"} {
			if m, ok := rule[msg]; ok && dig(m, "text") == nil {
				fail("rules[%d].%s.text is required", i, msg)
			}
		}
		if lvl := dig(rule, "defaultConfiguration", "level"); lvl != nil && !slices.Contains(sarifLevels, lvl.(string)) {
			fail("rules[%d].defaultConfiguration.level %v is not a SARIF level", i, lvl)
		}
	}
	results, ok := run["results"].([]any)
	if !ok {
		fail("runs[0].results must be an array")
	}
	for i, v := range results {
		res := v.(map[string]any)
		where := fmt.Sprintf("results[%d]", i)
		if s, _ := dig(res, "message", "text").(string); s == "" {
			fail("%s.message.text is required", where)
		}
		if lvl, _ := res["level"].(string); !slices.Contains(sarifLevels, lvl) {
			fail("%s.level %q is not a SARIF level", where, lvl)
		}
		if idx, ok := res["ruleIndex"].(float64); ok && (int(idx) >= len(ruleIDs) || ruleIDs[int(idx)] != res["ruleId"]) {
			fail("%s.ruleIndex %v does not point at rule %v", where, idx, res["ruleId"])
		}
		locs, _ := res["locations"].([]any)
		if len(locs) == 0 {
			fail("%s has no location (GitHub rejects the whole log)", where)
		}
		for j, loc := range locs {
			problems = append(problems, physicalLocationProblems(fmt.Sprintf("%s.locations[%d]", where, j), loc, true)...)
		}
		sups, _ := res["suppressions"].([]any)
		for j, s := range sups {
			if k := dig(s, "kind"); k != "inSource" && k != "external" {
				fail("%s.suppressions[%d].kind %v is not inSource or external", where, j, k)
			}
		}
	}
	invs, _ := run["invocations"].([]any)
	for i, v := range invs {
		inv := v.(map[string]any)
		if _, ok := inv["executionSuccessful"].(bool); !ok {
			fail("invocations[%d].executionSuccessful is required", i)
		}
		notes, _ := inv["toolExecutionNotifications"].([]any)
		for j, n := range notes {
			where := fmt.Sprintf("invocations[%d].toolExecutionNotifications[%d]", i, j)
			if s, _ := dig(n, "message", "text").(string); s == "" {
				fail("%s.message.text is required", where)
			}
			if lvl, _ := dig(n, "level").(string); !slices.Contains(sarifLevels, lvl) {
				fail("%s.level %q is not a SARIF level", where, lvl)
			}
			locs, _ := dig(n, "locations").([]any)
			for k, loc := range locs {
				problems = append(problems, physicalLocationProblems(fmt.Sprintf("%s.locations[%d]", where, k), loc, false)...)
			}
		}
	}
	return problems
}

// physicalLocationProblems checks a location's artifact URI and region;
// GitHub requires the URI on result locations.
func physicalLocationProblems(where string, loc any, needURI bool) []string {
	var problems []string
	if uri, _ := dig(loc, "physicalLocation", "artifactLocation", "uri").(string); uri == "" && needURI {
		problems = append(problems, where+".physicalLocation.artifactLocation.uri is required")
	}
	region, ok := dig(loc, "physicalLocation", "region").(map[string]any)
	if !ok {
		return problems
	}
	for _, key := range []string{"startLine", "startColumn"} {
		if n, ok := region[key].(float64); ok && n < 1 {
			problems = append(problems, fmt.Sprintf("%s region.%s is %v, must be >= 1", where, key, n))
		}
	}
	if _, ok := region["startLine"]; !ok {
		problems = append(problems, where+" region.startLine is required")
	}
	return problems
}

// dig walks nested JSON objects by key; nil when a step is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

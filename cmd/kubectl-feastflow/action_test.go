package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/plugin"
)

// actionDef is the part of action.yml the test runs.
type actionDef struct {
	Inputs map[string]struct {
		Default string `json:"default"`
	} `json:"inputs"`
	Runs struct {
		Using string `json:"using"`
		Steps []struct {
			ID    string            `json:"id"`
			Shell string            `json:"shell"`
			Run   string            `json:"run"`
			Env   map[string]string `json:"env"`
		} `json:"steps"`
	} `json:"runs"`
}

var inputRef = regexp.MustCompile(`\$\{\{\s*inputs\.([a-z-]+)\s*\}\}`)

// actionRun is one run of the action as a runner would do it.
type actionRun struct {
	code                  int
	stdout                string
	summary, outputs      string
	sarif                 string
	installed, githubPath string
}

// runAction runs action.yml's steps in order with bash, the way a GitHub
// runner runs a composite action: inputs substituted (defaults unless
// given), GITHUB_* files in a temporary directory, GITHUB_PATH entries put
// on PATH for later steps. The install step downloads release v9.9.9 from
// a file:// "release" whose archive holds a shim of this test binary.
func runAction(t *testing.T, release string, inputs map[string]string) actionRun {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	require.NoError(t, err)
	var action actionDef
	require.NoError(t, yaml.Unmarshal(b, &action), "action.yml")
	require.Equal(t, "composite", action.Runs.Using)
	for name := range inputs {
		require.Contains(t, action.Inputs, name, "action.yml has no input %q", name)
	}

	work := t.TempDir()
	files := map[string]string{}
	for _, f := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_PATH"} {
		files[f] = filepath.Join(work, f)
		require.NoError(t, os.WriteFile(files[f], nil, 0o644))
	}
	runner := filepath.Join(work, "runner")
	require.NoError(t, os.Mkdir(runner, 0o755))
	run := actionRun{}
	var stdout bytes.Buffer
	for _, step := range action.Runs.Steps {
		require.Equal(t, "bash", step.Shell)
		env := append(os.Environ(),
			"GITHUB_ACTIONS=true", "GITHUB_ACTION_PATH="+root, "RUNNER_TEMP="+runner,
			"FEASTFLOW_RELEASES="+release,
			"PATH="+githubPath(t, files["GITHUB_PATH"])+os.Getenv("PATH"))
		for k, f := range files {
			env = append(env, k+"="+f)
		}
		for k, v := range step.Env {
			env = append(env, k+"="+inputRef.ReplaceAllStringFunc(v, func(ref string) string {
				name := inputRef.FindStringSubmatch(ref)[1]
				require.Contains(t, action.Inputs, name, "%s refers to an undeclared input", ref)
				if v, ok := inputs[name]; ok {
					return v
				}
				return action.Inputs[name].Default
			}))
		}
		cmd := exec.Command("bash", "-e", "-c", step.Run)
		cmd.Dir = filepath.Join(root, "cmd", "kubectl-feastflow")
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = &stdout, &stdout
		err := cmd.Run()
		if err != nil {
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "step %s", step.ID)
			run.code = exit.ExitCode()
			break
		}
	}
	run.stdout = stdout.String()
	run.summary = readString(t, files["GITHUB_STEP_SUMMARY"])
	run.outputs = readString(t, files["GITHUB_OUTPUT"])
	run.githubPath = readString(t, files["GITHUB_PATH"])
	run.installed = filepath.Join(runner, "feastflow", "kubectl-feastflow")
	return run
}

func githubPath(t *testing.T, file string) string {
	var path string
	for _, dir := range strings.Fields(readString(t, file)) {
		path += dir + string(os.PathListSeparator)
	}
	return path
}

func readString(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return ""
	}
	require.NoError(t, err)
	return string(b)
}

// fakeRelease writes release v9.9.9 for this machine under a new directory,
// laid out as GitHub serves releases (download/TAG/ASSET), and returns its
// file:// URL. corrupt breaks the archive's checksum.
func fakeRelease(t *testing.T, corrupt bool) string {
	t.Helper()
	shim, err := os.ReadFile(pluginShim(t))
	require.NoError(t, err)
	var archive bytes.Buffer
	gz := gzip.NewWriter(&archive)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{"kubectl-feastflow", 0o755, shim}, {"LICENSE", 0o644, []byte("Apache License\n")}} {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data))}))
		_, err := tw.Write(f.data)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	require.NoError(t, gz.Close())

	name := fmt.Sprintf("kubectl-feastflow_v9.9.9_%s_%s.tar.gz", runtime.GOOS, runtime.GOARCH)
	sum := sha256.Sum256(archive.Bytes())
	if corrupt {
		sum[0] ^= 0xff
	}
	dir := t.TempDir()
	download := filepath.Join(dir, "download", "v9.9.9")
	require.NoError(t, os.MkdirAll(download, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(download, name), archive.Bytes(), 0o644))
	checksums := hex.EncodeToString(sum[:]) + "  " + name + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(download, "checksums.txt"), []byte(checksums), 0o644))
	return "file://" + dir
}

// sarifResults counts the results of a SARIF log, failing on anything that
// is not SARIF 2.1.0.
func sarifResults(t *testing.T, file string) int {
	t.Helper()
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(readString(t, file)), &log), "SARIF")
	require.Equal(t, "2.1.0", log.Version)
	require.Len(t, log.Runs, 1)
	return len(log.Runs[0].Results)
}

// summaryCounts reads the per-rule table of the job summary: rule ->
// denied+warnings+exempted.
func summaryCounts(summary string) map[string]int {
	row := regexp.MustCompile("(?m)^\\| \\[?`([a-z0-9-]+)`.*?\\| (\\d+) \\| (\\d+) \\| (\\d+) \\|$")
	counts := map[string]int{}
	for _, m := range row.FindAllStringSubmatch(summary, -1) {
		for _, n := range m[2:] {
			v, _ := strconv.Atoi(n)
			counts[m[1]] += v
		}
	}
	return counts
}

func TestAction(t *testing.T) {
	release := fakeRelease(t, false)
	tests := []struct {
		name     string
		inputs   map[string]string
		code     int
		problems int // SARIF results, exempted findings included
		rules    map[string]int
	}{
		{name: "shipped manifests pass", inputs: map[string]string{"files": "../../manifests"}},
		{name: "shipped prod overlay passes", inputs: map[string]string{"kustomize": "../../manifests/feastflow/overlays/prod"}},
		{
			name: "before copy fails with counts per rule", inputs: map[string]string{"files": "../../testdata/before", "version": "v9.9.9"},
			code: 1, problems: lintFindings(t, "../../testdata/before"),
			rules: map[string]int{"secret-values-in-manifest": 2, "netpol-default-deny-required": 0},
		},
		{name: "warnings pass by default", inputs: map[string]string{"files": "../../plugin/cmd/lint/testdata/warn-only.yaml"}, problems: -1},
		{name: "warnings fail with fail-on warn", inputs: map[string]string{"files": "../../plugin/cmd/lint/testdata/warn-only.yaml", "fail-on": "warn"}, code: 1, problems: -1},
		{name: "bad flag is a usage error", inputs: map[string]string{"args": "--fail-on=never"}, code: 2, problems: -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sarif := filepath.Join(t.TempDir(), "out.sarif")
			inputs := map[string]string{"sarif-file": sarif, "version": "v9.9.9"}
			for k, v := range tt.inputs {
				inputs[k] = v
			}
			run := runAction(t, release, inputs)
			require.Equal(t, tt.code, run.code, "exit code; output:\n%s", run.stdout)
			assert.Contains(t, run.stdout, "feastflow install: kubectl-feastflow ", "the install step ran the installed binary")
			assert.Equal(t, filepath.Dir(run.installed)+"\n", run.githubPath)
			if tt.problems == -2 {
				return
			}
			assert.Contains(t, run.outputs, fmt.Sprintf("exit-code=%d\n", tt.code))
			assert.Contains(t, run.outputs, "sarif-file="+sarif+"\n")
			assert.Contains(t, run.summary, "### kubectl feastflow lint")

			results := sarifResults(t, sarif)
			counts := summaryCounts(run.summary)
			total := 0
			for _, n := range counts {
				total += n
			}
			assert.Equal(t, results, total, "the summary's counts per rule add up to the SARIF results")
			switch {
			case tt.problems == 0:
				assert.Zero(t, results)
				assert.Contains(t, run.summary, "✔")
			case tt.problems > 0:
				assert.Equal(t, tt.problems, results, "as many results as lint -o json has findings")
				assert.Contains(t, run.stdout, "::error file=")
			}
			for rule, n := range tt.rules {
				if n > 0 {
					assert.Equal(t, n, counts[rule], "findings of %s", rule)
				} else {
					assert.Contains(t, counts, rule)
				}
			}
		})
	}
}

func TestActionInstallChecksSHA256(t *testing.T) {
	run := runAction(t, fakeRelease(t, true), map[string]string{"version": "v9.9.9", "files": "../../manifests"})
	assert.Equal(t, 1, run.code)
	assert.Contains(t, run.stdout, "sha256")
	assert.NotContains(t, run.stdout, "feastflow install: kubectl-feastflow ")
	assert.Empty(t, run.githubPath)
}

// lintFindings counts the findings of lint -o json on path, run in process.
func lintFindings(t *testing.T, path string) int {
	t.Helper()
	var out bytes.Buffer
	cmd := plugin.NewCmdFeastflow(genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: io.Discard})
	cmd.SetArgs([]string{"lint", "-R", "-f", path, "-o", "json"})
	_ = cmd.Execute() // exit 1: findings
	var doc struct {
		Findings []json.RawMessage `json:"findings"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	require.NotEmpty(t, doc.Findings)
	return len(doc.Findings)
}

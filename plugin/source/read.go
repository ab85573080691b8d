package source

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/feastflow/kubectl-feastflow/internal/parallel"
	"k8s.io/cli-runtime/pkg/resource"
)

// Extensions are the file extensions read from directories, as kubectl does.
var Extensions = []string{".json", ".yaml", ".yml"}

// StdinName names standard input in findings.
const StdinName = "<stdin>"

// Input is one named stream of manifests.
type Input struct {
	Name string
	Data []byte
	// origins are kustomize's, one per document, for a rendered kustomization.
	origins []*Origin
}

// Result is what Load read: documents in input order, per-input errors
// and the inputs skipped as not Kubernetes manifests.
type Result struct {
	Inputs    int
	Documents []*Document
	Errors    []error
	Skipped   []Skip
}

// LoadOption changes how Load reads its inputs.
type LoadOption func(*loadSettings)

type loadSettings struct {
	ignore func(path string) bool
}

// Ignoring makes Load pass over the local paths ignore matches before
// reading them: a matching file is neither read nor parsed, and a
// matching directory is not descended into, so ignored trees cost
// nothing and their errors are not reported. URLs, stdin and
// kustomizations are never passed to ignore. A nil ignore ignores nothing.
func Ignoring(ignore func(path string) bool) LoadOption {
	return func(s *loadSettings) { s.ignore = ignore }
}

// Load reads every input named by opts (files, directories, URLs, "-" for
// stdin, or a kustomize directory) and parses them in parallel, each once.
// A bad input is an error in the result; the others are still returned.
func Load(ctx context.Context, opts resource.FilenameOptions, stdin io.Reader, options ...LoadOption) Result {
	var settings loadSettings
	for _, o := range options {
		o(&settings)
	}
	if settings.ignore == nil {
		settings.ignore = func(string) bool { return false }
	}
	inputs, skipped, errs := collect(ctx, opts, stdin, settings.ignore)
	parsed := make([][]*Document, len(inputs))
	parseErrs := make([][]error, len(inputs))
	parallel.For(len(inputs), func(i int) {
		parsed[i], parseErrs[i] = Parse(inputs[i].Name, inputs[i].Data)
		attachOrigins(parsed[i], inputs[i].origins)
	})
	res := Result{Errors: errs, Skipped: skipped}
	for i, in := range inputs {
		if reason := skipContent(in.Name, parsed[i], parseErrs[i]); reason != "" && opts.Kustomize == "" {
			res.Skipped = append(res.Skipped, Skip{File: in.Name, Reason: reason})
			continue
		}
		res.Inputs++
		res.Documents = append(res.Documents, parsed[i]...)
		res.Errors = append(res.Errors, parseErrs[i]...)
	}
	return res
}

// collect expands opts into named inputs.
func collect(ctx context.Context, opts resource.FilenameOptions, stdin io.Reader, ignore func(string) bool) ([]Input, []Skip, []error) {
	var inputs []Input
	var skipped []Skip
	var errs []error
	if opts.Kustomize != "" {
		in, origins, err := kustomize(opts.Kustomize)
		if err != nil {
			return nil, nil, []error{err}
		}
		in.origins = origins
		return []Input{in}, nil, nil
	}
	for _, name := range opts.Filenames {
		switch {
		case name == "-":
			data, err := io.ReadAll(stdin)
			if err != nil {
				errs = append(errs, &ParseError{File: StdinName, Message: err.Error()})
				continue
			}
			inputs = append(inputs, Input{Name: StdinName, Data: data})
		case strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://"):
			in, err := fetch(ctx, name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			inputs = append(inputs, in)
		default:
			in, skip, err := readPath(name, opts.Recursive, ignore)
			errs = append(errs, err...)
			skipped = append(skipped, skip...)
			inputs = append(inputs, in...)
		}
	}
	return inputs, skipped, errs
}

// readPath reads a file, or the manifest files of a directory (its
// subdirectories too when recursive), sorted by path. Helm charts and
// kustomization files are skipped (see Skip); paths ignore matches are
// passed over unread.
func readPath(path string, recursive bool, ignore func(string) bool) ([]Input, []Skip, []error) {
	if ignore(path) {
		return nil, nil, nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, []error{&ParseError{File: path, Message: "the path does not exist or cannot be read"}}
	}
	if !info.IsDir() {
		if reason := skipFile(path); reason != "" {
			return nil, []Skip{{File: path, Reason: reason}}, nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, []error{&ParseError{File: path, Message: err.Error()}}
		}
		return []Input{{Name: path, Data: data}}, nil, nil
	}
	var files []string
	var skipped []Skip
	walkErr := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && ignore(p) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != path && !recursive {
				return filepath.SkipDir
			}
			if isHelmChart(p) {
				skipped = append(skipped, Skip{File: p, Reason: strings.Replace(skipHelmChart, "%s", p, 1)})
				return filepath.SkipDir
			}
			return nil
		}
		if !hasExtension(p) && !kustomizationNames[d.Name()] {
			return nil
		}
		if kustomizationNames[d.Name()] {
			skipped = append(skipped, Skip{File: p, Reason: kustomizationSkip(p)})
			return nil
		}
		files = append(files, p)
		return nil
	})
	if walkErr != nil {
		return nil, skipped, []error{&ParseError{File: path, Message: walkErr.Error()}}
	}
	sort.Strings(files)
	var inputs []Input
	var errs []error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, &ParseError{File: f, Message: err.Error()})
			continue
		}
		inputs = append(inputs, Input{Name: f, Data: data})
	}
	return inputs, skipped, errs
}

func hasExtension(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range Extensions {
		if ext == e {
			return true
		}
	}
	return false
}

// fetchTimeout bounds reading a manifest URL.
const fetchTimeout = 30 * time.Second

func fetch(ctx context.Context, url string) (Input, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Input{}, &ParseError{File: url, Message: err.Error()}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Input{}, &ParseError{File: url, Message: "fetch: " + err.Error()}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Input{}, &ParseError{File: url, Message: fmt.Sprintf("fetch: %s", resp.Status)}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return Input{}, &ParseError{File: url, Message: "fetch: " + err.Error()}
	}
	return Input{Name: url, Data: data}, nil
}

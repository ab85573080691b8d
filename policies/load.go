package policies

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// builtin holds the embedded catalog: the Rego library and every rule.
//
//go:embed lib rules
var builtin embed.FS

// builtinPrefix names embedded modules in messages the way the repository lays them out.
const builtinPrefix = "policies/"

// catalogSource is the parsed catalog: the modules to compile, which of
// them came from policy directories, and which built-in rules they replace.
type catalogSource struct {
	modules map[string]*ast.Module
	// custom are the names of modules read from policy directories.
	custom map[string]bool
	// replaced maps a rule id to the built-in (or earlier directory's) file
	// that a policy directory's rule of that id replaced.
	replaced map[string]string
	// sources are the modules' texts, by file name.
	sources map[string]string
}

// loadModules parses the embedded catalog plus every .rego file (tests
// excluded) under dirs. A rule in dirs replaces the built-in rule (or the
// rule of an earlier dir) with the same id.
func loadModules(dirs []string) (*catalogSource, error) {
	src := &catalogSource{
		modules: map[string]*ast.Module{}, custom: map[string]bool{},
		replaced: map[string]string{}, sources: map[string]string{},
	}
	err := fs.WalkDir(builtin, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !isPolicyFile(path, d) {
			return err
		}
		raw, err := builtin.ReadFile(path)
		if err != nil {
			return err
		}
		src.sources[builtinPrefix+path] = string(raw)
		return parseInto(src.modules, builtinPrefix+path, raw)
	})
	if err != nil {
		return nil, err
	}
	for _, dir := range dirs {
		fromDir := map[string]*ast.Module{}
		if err := loadDir(fromDir, src.sources, dir); err != nil {
			return nil, err
		}
		if err := src.overrideByID(fromDir); err != nil {
			return nil, err
		}
	}
	for name := range src.sources {
		if src.modules[name] == nil {
			delete(src.sources, name) // a built-in rule a custom one replaced
		}
	}
	return src, nil
}

func isPolicyFile(path string, d fs.DirEntry) bool {
	return !d.IsDir() && strings.HasSuffix(path, ".rego") && !strings.HasSuffix(path, "_test.rego")
}

func loadDir(into map[string]*ast.Module, sources map[string]string, dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("policy dir: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("policy dir %s: not a directory", dir)
	}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !isPolicyFile(path, d) {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sources[path] = string(src)
		return parseInto(into, path, src)
	})
}

func parseInto(into map[string]*ast.Module, name string, src []byte) error {
	m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{
		ProcessAnnotation: true,
		RegoVersion:       ast.RegoV1,
	})
	if err != nil {
		return fmt.Errorf("parse policy: %w", err)
	}
	into[name] = m
	return nil
}

// overrideByID adds a directory's modules, first dropping the rule
// modules whose id one of them reuses. Every module that looks like a
// rule but is not one is reported, not only the first.
func (src *catalogSource) overrideByID(fromDir map[string]*ast.Module) error {
	customIDs := map[string]bool{}
	var errs []error
	for _, name := range sortedKeys(fromDir) {
		r, ok, err := ruleFromModule(fromDir[name], true)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			customIDs[r.ID] = true
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for name, m := range src.modules {
		if r, ok, _ := ruleFromModule(m, src.custom[name]); ok && customIDs[r.ID] {
			delete(src.modules, name)
			delete(src.custom, name)
			src.replaced[r.ID] = name
		}
	}
	for name, m := range fromDir {
		src.modules[name] = m
		src.custom[name] = true
	}
	return nil
}

// catalog reads the rules of the modules and checks ids are unique.
func (src *catalogSource) catalog() ([]Rule, error) {
	var rules []Rule
	seen := map[string]string{}
	var errs []error
	for _, name := range sortedKeys(src.modules) {
		r, ok, err := ruleFromModule(src.modules[name], src.custom[name])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue
		}
		if prev, dup := seen[r.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: rule id %q is already used by %s", r.File, r.ID, prev))
			continue
		}
		seen[r.ID] = r.File
		r.Replaces = src.replaced[r.ID]
		r.Custom = src.custom[name]
		rules = append(rules, r)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sortRules(rules)
	return rules, nil
}

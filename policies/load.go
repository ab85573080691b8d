package policies

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// builtin holds the embedded catalog: the Rego library and every rule.
//
//go:embed lib rules
var builtin embed.FS

// builtinPrefix names embedded modules in messages the way the repository lays them out.
const builtinPrefix = "policies/"

// loadModules parses the embedded catalog plus every .rego file (tests
// excluded) under dirs, and returns the modules with their sources, by
// file name. A rule in dirs replaces the built-in rule with the same id.
func loadModules(dirs []string) (modules map[string]*ast.Module, sources map[string]string, err error) {
	modules = map[string]*ast.Module{}
	sources = map[string]string{}
	err = fs.WalkDir(builtin, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !isPolicyFile(path, d) {
			return err
		}
		src, err := builtin.ReadFile(path)
		if err != nil {
			return err
		}
		sources[builtinPrefix+path] = string(src)
		return parseInto(modules, builtinPrefix+path, src)
	})
	if err != nil {
		return nil, nil, err
	}
	for _, dir := range dirs {
		fromDir := map[string]*ast.Module{}
		if err := loadDir(fromDir, sources, dir); err != nil {
			return nil, nil, err
		}
		if err := overrideByID(modules, fromDir); err != nil {
			return nil, nil, err
		}
	}
	for name := range sources {
		if modules[name] == nil {
			delete(sources, name) // a built-in rule a custom one replaced
		}
	}
	return modules, sources, nil
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

// overrideByID adds custom modules, first dropping built-in rule modules
// whose id a custom rule reuses.
func overrideByID(modules, custom map[string]*ast.Module) error {
	customIDs := map[string]bool{}
	for _, m := range custom {
		r, ok, err := ruleFromModule(m)
		if err != nil {
			return err
		}
		if ok {
			customIDs[r.ID] = true
		}
	}
	for name, m := range modules {
		if r, ok, _ := ruleFromModule(m); ok && customIDs[r.ID] {
			delete(modules, name)
		}
	}
	for name, m := range custom {
		modules[name] = m
	}
	return nil
}

// catalogFrom reads the rules of the compiled modules and checks ids are unique.
func catalogFrom(modules map[string]*ast.Module) ([]Rule, error) {
	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	sort.Strings(names)
	var rules []Rule
	seen := map[string]string{}
	for _, name := range names {
		r, ok, err := ruleFromModule(modules[name])
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, fmt.Errorf("%s: rule id %q is already used by %s", r.File, r.ID, prev)
		}
		seen[r.ID] = r.File
		rules = append(rules, r)
	}
	sortRules(rules)
	return rules, nil
}

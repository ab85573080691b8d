package config

import (
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Ignores reports whether lint skips file: when an ignore pattern (a
// doublestar glob such as vendor/** or **/*.generated.yaml, relative to
// the configuration's directory, '/'-separated) matches its path or the
// path of one of its parent directories, as .gitignore patterns do.
// Files outside the configuration's directory, URLs and stdin are never
// ignored.
func (f *File) Ignores(file string) bool {
	if f == nil || len(f.Ignore) == 0 || strings.Contains(file, "://") || file == "-" || strings.HasPrefix(file, "<") {
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(f.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, pattern := range f.Ignore {
		pattern = strings.TrimPrefix(strings.TrimSuffix(pattern, "/"), "./")
		for p := rel; p != "." && p != ""; p = parent(p) {
			if ok, _ := doublestar.Match(pattern, p); ok {
				return true
			}
		}
	}
	return false
}

func parent(p string) string {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return ""
	}
	return p[:i]
}

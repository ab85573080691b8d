package apivalidation

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Kubernetes minor release, such as 1.37.
type Version struct{ Major, Minor int }

// Built is the Kubernetes release whose API types, defaulting and
// validation this package links (k8s.io/kubernetes v1.37.2).
var Built = Version{1, 37}

// ParseVersion reads "1.37", "v1.37" or "1.37.2" (the patch is ignored).
// Only major version 1 exists.
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimPrefix(strings.TrimSpace(s), "v"), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("invalid Kubernetes version %q: want MAJOR.MINOR, e.g. %s", s, Built)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p != strconv.Itoa(v) {
			return Version{}, fmt.Errorf("invalid Kubernetes version %q: want MAJOR.MINOR, e.g. %s", s, Built)
		}
		n[i] = v
	}
	if n[0] != 1 {
		return Version{}, fmt.Errorf("invalid Kubernetes version %q: only 1.x releases exist", s)
	}
	return Version{n[0], n[1]}, nil
}

// String renders 1.37.
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Before reports whether v is an earlier release than o.
func (v Version) Before(o Version) bool {
	return v.Major < o.Major || v.Major == o.Major && v.Minor < o.Minor
}

func (v Version) isZero() bool { return v == Version{} }

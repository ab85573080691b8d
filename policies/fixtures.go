package policies

import (
	"fmt"
	"path/filepath"
	"strings"
)

// A rule's fixtures sit beside its Rego source, in its folder
// rules/<area>/<rule-id>/: pass.yaml must give no finding of the rule,
// fail.yaml at least one, each file evaluated as one run (its objects
// forming the inventory). The catalog test and `kubectl feastflow test`
// judge them with CheckFixture.
const (
	FixturePass = "pass"
	FixtureFail = "fail"
)

// FixturePath returns the path of a rule's fixture (FixturePass or
// FixtureFail) beside its Rego source; for a built-in rule it is relative
// to the policies directory.
func FixturePath(r Rule, name string) string {
	return filepath.Join(filepath.Dir(strings.TrimPrefix(r.File, builtinPrefix)), name+".yaml")
}

// CheckFixture judges the findings of one fixture run of rule r: a fail
// fixture needs at least one finding of r with a message, a pass fixture
// none. It returns how many findings of r there were and, when the
// fixture does not behave, an error saying how.
func CheckFixture(r Rule, name string, findings []Finding) (int, error) {
	var got []Finding
	for _, f := range findings {
		if f.RuleID == r.ID {
			if f.Message == "" {
				return len(got), fmt.Errorf("%s.yaml: a %s finding has no message", name, r.ID)
			}
			got = append(got, f)
		}
	}
	switch {
	case name == FixtureFail && len(got) == 0:
		return 0, fmt.Errorf("%s.yaml should produce %s findings, produced none", name, r.ID)
	case name == FixturePass && len(got) > 0:
		msgs := make([]string, len(got))
		for i, f := range got {
			msgs[i] = f.Object.String() + ": " + f.Message
		}
		return len(got), fmt.Errorf("%s.yaml should produce no %s findings, produced %d: %s", name, r.ID, len(got), strings.Join(msgs, "; "))
	}
	return len(got), nil
}

package policies

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
)

// WorkloadKinds are the built-in kinds with a pod template, which rules
// reach through lib/workload.rego; the kind group "workloads" names them.
var WorkloadKinds = []string{
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
	"ReplicationController", "Job", "CronJob",
}

// Kind groups a rule's custom.kinds and custom.inventory may name besides
// kinds: KindGroupWorkloads stands for WorkloadKinds and KindGroupAll
// (custom.kinds only) for every kind, custom resources included.
const (
	KindGroupWorkloads = "workloads"
	KindGroupAll       = "all"
)

var kindGroups = map[string][]string{KindGroupWorkloads: WorkloadKinds}

var workloadKindSet = setOf(WorkloadKinds)

// IsWorkload reports whether kind is checked through its pod template.
func IsWorkload(kind string) bool { return workloadKindSet[kind] }

// kindNamePattern is what a Kubernetes kind looks like (UpperCamelCase).
var kindNamePattern = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)

// expandKinds resolves a metadata list of kinds and groups (field names
// it in errors) to sorted, distinct kinds; all reports the group "all".
func expandKinds(field string, raw any, allowAll bool) (kinds []string, all bool, err error) {
	list, ok := raw.([]any)
	if !ok {
		return nil, false, fmt.Errorf("%s must be a list of kinds or groups (%s), got %v", field, groupNames(allowAll), raw)
	}
	set := map[string]bool{}
	for _, item := range list {
		name, _ := item.(string)
		switch {
		case name == KindGroupAll && allowAll:
			all = true
		case kindGroups[name] != nil:
			for _, k := range kindGroups[name] {
				set[k] = true
			}
		case kindNamePattern.MatchString(name):
			set[name] = true
		default:
			return nil, false, fmt.Errorf("%s: %v is neither a kind (UpperCamelCase) nor a group (%s)", field, item, groupNames(allowAll))
		}
	}
	if all {
		return nil, true, nil
	}
	if len(set) == 0 {
		return nil, false, fmt.Errorf("%s is empty", field)
	}
	for k := range set {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds, false, nil
}

func groupNames(allowAll bool) string {
	if allowAll {
		return KindGroupAll + ", " + KindGroupWorkloads
	}
	return KindGroupWorkloads
}

func setOf(list []string) map[string]bool {
	out := make(map[string]bool, len(list))
	for _, s := range list {
		out[s] = true
	}
	return out
}

// Kinds returns the kinds the engine's rules (those of its mode) name in
// custom.kinds, sorted; rules for every kind add none. A front end that
// chooses what to evaluate (verify, the webhook configuration) reads these.
func (e *Engine) Kinds() []string {
	set := map[string]bool{}
	for _, r := range e.cur().inMode {
		for _, k := range r.Kinds {
			set[k] = true
		}
	}
	return sortedKindSet(set)
}

// InventoryKinds returns the kinds the engine's rules (those of its mode)
// read from data.inventory (custom.inventory), sorted: what lint keeps of
// the other files, verify lists and the webhook watches.
func (e *Engine) InventoryKinds() []string {
	set := map[string]bool{}
	for _, r := range e.cur().inMode {
		for _, k := range r.Inventory {
			set[k] = true
		}
	}
	return sortedKindSet(set)
}

func sortedKindSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

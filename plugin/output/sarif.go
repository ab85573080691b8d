package output

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// SARIF prints the report as a SARIF 2.1.0 log that GitHub code scanning
// accepts: the rule catalog as the driver's rules, findings with a source
// file as results (exempted ones suppressed), and input errors as tool
// execution notifications.
//
// GitHub rejects a whole log when any result lacks a physical location, so
// findings without a source file (objects read from a cluster) are
// reported as notifications tied to their rule instead of as results.
type SARIF struct{}

// SARIF constants: the schema, the tool's identity and %SRCROOT%, the base
// that relative artifact URIs resolve against.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	toolName     = "kubectl-feastflow"
	toolURI      = "https://github.com/feastflow/kubectl-feastflow"
	srcRoot      = "%SRCROOT%"
)

// Print writes the report as SARIF.
func (SARIF) Print(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(newSARIFLog(r)); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

func newSARIFLog(r *Report) sarifLog {
	rules := sortedRules(r)
	index := make(map[string]int, len(rules))
	driver := sarifDriver{Name: toolName, Version: r.ToolVersion, InformationURI: toolURI, Rules: []sarifRule{}}
	for i, rule := range rules {
		index[rule.ID] = i
		driver.Rules = append(driver.Rules, newSARIFRule(rule))
	}
	errs := sortedErrors(r)
	inv := sarifInvocation{ExecutionSuccessful: len(errs) == 0, Notifications: []sarifNotification{}}
	for _, e := range errs {
		n := sarifNotification{Level: "error", Message: sarifText(e.Message)}
		if e.File != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: physicalLocation(e.File, e.Line, 0)}}
		}
		inv.Notifications = append(inv.Notifications, n)
	}
	for _, s := range r.Skipped {
		inv.Notifications = append(inv.Notifications, sarifNotification{
			Level: "note", Message: sarifText("skipped: " + s.Message),
			Locations: []sarifLocation{{PhysicalLocation: physicalLocation(s.File, 0, 0)}},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, f := range sortedFindings(r) {
		ref := ruleRef(f.RuleID, index)
		if f.Location == nil || f.Location.File == "" {
			inv.Notifications = append(inv.Notifications, sarifNotification{
				Level: notificationLevel(f), Message: sarifText(findingText(f)), AssociatedRule: &ref,
			})
			continue
		}
		run.Results = append(run.Results, newSARIFResult(f, ref))
	}
	run.Invocations = []sarifInvocation{inv}
	return sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
}

func newSARIFRule(rule policies.Rule) sarifRule {
	out := sarifRule{
		ID:                   rule.ID,
		Name:                 ruleName(rule.ID),
		ShortDescription:     sarifMessage{Text: firstNonEmpty(rule.Title, rule.ID)},
		FullDescription:      sarifMessage{Text: firstNonEmpty(rule.Description, rule.Title, rule.ID)},
		HelpURI:              rule.DocsURL,
		DefaultConfiguration: sarifConfiguration{Level: severityLevel(rule.Severity)},
	}
	if rule.Remediation != "" {
		out.Help = &sarifMessage{Text: rule.Remediation}
	}
	if rule.Area != "" {
		out.Properties = &sarifProperties{Tags: []string{rule.Area}}
	}
	return out
}

func newSARIFResult(f policies.Finding, ref sarifRuleReference) sarifResult {
	res := sarifResult{
		RuleID:    f.RuleID,
		RuleIndex: ref.Index,
		Level:     severityLevel(f.Severity),
		Message:   sarifText(objectMessage(f)),
		Locations: []sarifLocation{{
			PhysicalLocation: physicalLocation(f.Location.File, f.Location.Line, f.Location.Column),
			LogicalLocations: []sarifLogicalLocation{{
				Name: f.Object.Name, FullyQualifiedName: f.Object.String(), Kind: "resource",
			}},
		}},
	}
	if f.Exempted() {
		s := sarifSuppression{Kind: "external", Justification: f.Exemption.Reason}
		if f.Exemption.Until != "" {
			s.Properties = &sarifProperties{Until: f.Exemption.Until}
		}
		res.Suppressions = []sarifSuppression{s}
	}
	return res
}

// sarifBraces doubles braces: in SARIF message text a single brace starts
// a {0} placeholder (SARIF 2.1.0, 3.11.5).
var sarifBraces = strings.NewReplacer("{", "{{", "}", "}}")

// sarifText is a plain-text message.
func sarifText(s string) sarifMessage {
	return sarifMessage{Text: sarifBraces.Replace(s)}
}

// ruleRef points at the rule's entry in the driver's rules, by id alone
// when the catalog lacks it.
func ruleRef(id string, index map[string]int) sarifRuleReference {
	ref := sarifRuleReference{ID: id}
	if i, ok := index[id]; ok {
		ref.Index = &i
	}
	return ref
}

// physicalLocation points at a file, relative to %SRCROOT% unless the path
// is absolute, and at line:column when they are known.
func physicalLocation(file string, line, column int) *sarifPhysicalLocation {
	loc := &sarifPhysicalLocation{ArtifactLocation: artifactLocation(file)}
	if line > 0 {
		loc.Region = &sarifRegion{StartLine: line}
		if column > 0 {
			loc.Region.StartColumn = column
		}
	}
	return loc
}

func artifactLocation(file string) sarifArtifactLocation {
	p := filepath.ToSlash(file)
	if filepath.IsAbs(file) || strings.HasPrefix(p, "/") {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive: file:///C:/...
		}
		return sarifArtifactLocation{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	return sarifArtifactLocation{URI: (&url.URL{Path: p}).String(), URIBaseID: srcRoot}
}

// notificationLevel is the level of a finding reported as a notification:
// notifications have no suppressions, so exempted findings become notes.
func notificationLevel(f policies.Finding) string {
	if f.Exempted() {
		return "note"
	}
	return severityLevel(f.Severity)
}

// severityLevel maps deny to error and warn to warning. Exempted results
// keep their level; their suppression marks them.
func severityLevel(s policies.Severity) string {
	if s == policies.SeverityDeny {
		return "error"
	}
	return "warning"
}

// ruleName turns a kebab-case rule id into the PascalCase name SARIF
// readers show: liveness-probe-required becomes LivenessProbeRequired.
func ruleName(id string) string {
	var b strings.Builder
	for _, word := range strings.Split(id, "-") {
		if word != "" {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

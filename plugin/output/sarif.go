package output

import (
	"crypto/sha256"
	"encoding/hex"
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
// findings without a source file (objects read from a cluster or from
// standard input, objects of a remote kustomize base) are reported as
// notifications tied to their rule instead of as results. A manifest read
// from a URL is located by that absolute URL, never under %SRCROOT%.
//
// Each result carries partialFingerprints (see fingerprint) so code
// scanning follows an alert across runs and line moves, and the secrets
// rules carry GitHub's security-severity (see securitySeverity).
//
// The log is written with this package's own small object model: the Go
// SARIF libraries checked (github.com/owenrumney/go-sarif v2.3.3 and
// v3.3.1) write "location": null, "status": null and "guid": null in every
// suppression (v2), which the SARIF 2.1.0 schema refuses, or dozens of
// placeholder properties per result (v3).
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
		n := sarifNotification{Level: "note", Message: sarifText("skipped: " + s.Message)}
		if isFile(s.File) {
			n.Locations = []sarifLocation{{PhysicalLocation: physicalLocation(s.File, 0, 0)}}
		}
		inv.Notifications = append(inv.Notifications, n)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	fingerprints := map[string]int{}
	for _, f := range sortedFindings(r) {
		ref := ruleRef(f.RuleID, index)
		if f.Location == nil || !isFile(f.Location.File) {
			text := findingText(f)
			if f.Location != nil && f.Location.File != "" { // standard input
				text = f.Location.File + ": " + text
			}
			inv.Notifications = append(inv.Notifications, sarifNotification{
				Level: notificationLevel(f), Message: sarifText(text), AssociatedRule: &ref,
			})
			continue
		}
		res := newSARIFResult(f, ref)
		fp := fingerprint(f)
		if n := fingerprints[fp]; n > 0 { // the same rule on the same field twice: keep both alerts
			fingerprints[fp] = n + 1
			fp = fmt.Sprintf("%s:%d", fp, n+1)
		} else {
			fingerprints[fp] = 1
		}
		res.PartialFingerprints = map[string]string{fingerprintKey: fp}
		run.Results = append(run.Results, res)
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
	if sev := securitySeverity(rule); sev != "" {
		out.Properties.Tags = append(out.Properties.Tags, "security")
		out.Properties.SecuritySeverity = sev
	}
	return out
}

// securitySeverity is GitHub code scanning's security-severity (a CVSS-like
// score, 0.0 to 10.0, that GitHub shows as low < 4.0 <= medium < 7.0 <=
// high < 9.0 <= critical) for the secrets rules, "" for the others (GitHub
// then shows their level). A credential written into a manifest is
// readable by everyone who can read the repository and its history, and
// stays valid until rotated: high (8.0) for deny rules. It is not critical:
// the value still has to be used against a service that accepts it. A
// warn rule flags a likely but unconfirmed secret: medium (5.0).
func securitySeverity(rule policies.Rule) string {
	if rule.Area != "secrets" {
		return ""
	}
	if rule.Severity == policies.SeverityDeny {
		return "8.0"
	}
	return "5.0"
}

// fingerprintKey names this tool's partial fingerprint, versioned so a
// change of what it hashes starts new alerts instead of merging old ones.
const fingerprintKey = "feastflowFinding/v1"

// fingerprint identifies a finding across runs, file renames and line
// moves: a hash of the rule id, the object's identity (API group, kind,
// namespace, name) and the field path. The message is left out, so a
// changed value (a limit lowered further) stays the same alert.
func fingerprint(f policies.Finding) string {
	group, _, found := strings.Cut(f.Object.APIVersion, "/")
	if !found {
		group = "" // the core group: "v1"
	}
	field := f.Field
	if field == "" {
		field = policies.FieldPath(f.Path)
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{f.RuleID, group, f.Object.Kind, f.Object.Namespace, f.Object.Name, field}, "\x00")))
	return hex.EncodeToString(sum[:16])
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
	if f.Location.Note != "" {
		m := sarifText(f.Location.Note)
		res.Locations[0].Message = &m
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

// isFile reports whether name is a file or URL a SARIF location can
// point at: not empty, not standard input.
func isFile(name string) bool {
	return name != "" && !(strings.HasPrefix(name, "<") && strings.HasSuffix(name, ">"))
}

// isURL reports whether name is a manifest read from an http(s) URL.
func isURL(name string) bool {
	return strings.HasPrefix(name, "https://") || strings.HasPrefix(name, "http://")
}

// artifactLocation is a URL as itself (an absolute URI, SARIF 2.1.0
// 3.4.3), an absolute path as a file: URI, anything else relative to
// %SRCROOT%.
func artifactLocation(file string) sarifArtifactLocation {
	if isURL(file) {
		return sarifArtifactLocation{URI: file}
	}
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

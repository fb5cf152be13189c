package stix

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The export of a case (R16): what one viewer may see of it, as a STIX 2.1
// bundle. The case and each national report are incidents (with the
// incident-core extension), organisations are identities, ladder decisions
// and signals are notes on the case's incident, and published situation
// reports are reports. Every object carries the TLP 2.0 marking of the item
// it comes from; an item above the chosen ceiling is left out and counted.

// IncidentCoreID is the incident-core extension this node writes, pinned to
// the object in oasis-open/cti-stix-common-objects that says version 1.1.0
// (STANDARDS.md §2.6); its determination values are those of that version's
// JSON schema.
const IncidentCoreID = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"

// identityCreated is the created time of the organisations' identities: the
// directory does not keep when an organisation was registered, and a fixed
// time keeps an identity the same object across exports.
var identityCreated = time.Date(2025, 6, 6, 0, 0, 0, 0, time.UTC)

// PublishedSitrep is a published situation report version the viewer may see.
type PublishedSitrep struct {
	Case         string
	Kind         string
	Version      int
	Title        string
	Markdown     string // the document as the node renders it in Markdown
	Marking      tlp.Marking
	Organisation string
	PublishedAt  time.Time
}

// ExportInput is what the viewer may see of a case, and how to export it.
type ExportInput struct {
	Case    crisis.Case
	Reports []crisis.NationalReport
	Sitreps []PublishedSitrep
	// OrganisationName names an organisation for its identity.
	OrganisationName func(id string) string
	// Ceiling is the most restrictive label the export may hold.
	Ceiling tlp.Label
}

// Export is a bundle and what was left out of it, by reason.
type Export struct {
	Bundle   map[string]any
	Withheld map[string]int
}

type exporter struct {
	in      ExportInput
	objects []map[string]any
	labels  map[tlp.Label]bool
	orgs    map[string]bool
	// incidents: an incident was written, so incident-core's definition goes too.
	incidents bool
	withheld  map[string]int
}

// ExportCase builds the bundle. Its objects are valid STIX 2.1 (the tests
// check them against the OASIS schemas).
func ExportCase(in ExportInput) (Export, error) {
	if !in.Ceiling.Valid() {
		return Export{}, fmt.Errorf("the export's TLP ceiling %q is not a TLP 2.0 label", in.Ceiling)
	}
	e := &exporter{in: in, labels: map[tlp.Label]bool{}, orgs: map[string]bool{}, withheld: map[string]int{}}
	c := in.Case
	caseRef := ID("incident", "case", c.ID)
	caseIn := e.admit(c.Marking.TLP, "the case")
	if caseIn {
		e.add(c.Marking.TLP, e.incident(caseRef, c.Title, c.Summary, c.Organisation, c.OpenedAt, lastChange(c), caseLabels(c),
			incidentCore(c.Closed, in.Reports)))
	}
	for _, r := range in.Reports {
		if !e.admit(r.Content.Marking.TLP, "national reports") {
			continue
		}
		ref := ID("incident", "national-report", r.ID)
		e.add(r.Content.Marking.TLP, e.incident(ref, r.Content.Title, r.Content.Summary, r.Organisation, r.FiledAt, r.AmendedAt,
			reportLabels(r), incidentCore(r.Content.Status == crisis.StatusResolved || r.Content.Status == crisis.StatusWithdrawn, []crisis.NationalReport{r})))
		if caseIn {
			// The link is as restricted as the stricter of its two ends.
			l := stricter(c.Marking.TLP, r.Content.Marking.TLP)
			e.add(l, sdo("relationship", ID("relationship", "link", c.ID+"/"+r.ID), r.FiledAt, r.FiledAt, map[string]any{
				"relationship_type": "related-to", "source_ref": ref, "target_ref": caseRef,
				"description": "national report of " + r.MemberState + " linked to the Union-level case (§49)",
			}))
		}
	}
	if caseIn {
		for _, d := range c.Decisions {
			if e.admit(d.Marking.TLP, "decisions") {
				e.add(d.Marking.TLP, e.note(ID("note", "case-event", d.Event), d.At, decisionAbstract(d), d.Reason, d.Organisation, caseRef))
			}
		}
		for _, s := range c.Signals {
			if e.admit(s.Marking.TLP, "signals") {
				e.add(s.Marking.TLP, e.note(ID("note", "case-event", s.Event), s.At, "Signal: "+string(s.Kind), s.Detail, s.Organisation, caseRef))
			}
		}
	}
	for _, s := range in.Sitreps {
		if !e.admit(s.Marking.TLP, "situation reports") {
			continue
		}
		refs := []string{}
		if caseIn {
			refs = append(refs, caseRef)
		} else {
			// object_refs may not be empty: the report then points at its
			// author, which is always exported with it.
			refs = append(refs, e.identity(s.Organisation))
		}
		e.add(s.Marking.TLP, sdo("report", ID("report", "sitrep", fmt.Sprintf("%s/%s/%d", s.Case, s.Kind, s.Version)), s.PublishedAt, s.PublishedAt, map[string]any{
			"name": fmt.Sprintf("%s, version %d", s.Title, s.Version), "published": Timestamp(s.PublishedAt), "report_types": []string{"incident"},
			"description": s.Markdown, "object_refs": refs, "created_by_ref": e.identity(s.Organisation),
		}))
	}
	e.addIdentities()
	if caseIn {
		e.addGrouping(c)
	}
	return Export{Bundle: e.bundle(), Withheld: e.withheld}, nil
}

// addGrouping gathers everything exported of the case in one grouping (the
// STIX container for an ongoing investigation), marked with the most
// restrictive label of what it refers to: a grouping that lists an AMBER
// object's id is itself for AMBER recipients.
func (e *exporter) addGrouping(c crisis.Case) {
	var refs []string
	label := c.Marking.TLP
	for _, o := range e.objects {
		refs = append(refs, o["id"].(string))
		for _, ref := range o["object_marking_refs"].([]string) {
			if l, ok := LabelOf(ref); ok {
				label = stricter(label, l)
			}
		}
	}
	e.add(label, sdo("grouping", ID("grouping", "case", c.ID), c.OpenedAt, lastChange(c), map[string]any{
		"name": c.Title, "context": "unspecified", "object_refs": refs,
		"description":    "Everything this export holds of the Union-level case",
		"created_by_ref": ID("identity", "organisation", c.Organisation),
	}))
}

// admit says whether an item with the label fits under the ceiling; if not,
// it counts what was left out.
func (e *exporter) admit(l tlp.Label, what string) bool {
	if l.Rank() <= e.in.Ceiling.Rank() {
		return true
	}
	e.withheld[fmt.Sprintf("%s marked %s, above the export's %s", what, l, e.in.Ceiling)]++
	return false
}

func (e *exporter) add(l tlp.Label, obj map[string]any) {
	obj["object_marking_refs"] = []string{MarkingID(l)}
	e.labels[l] = true
	e.objects = append(e.objects, obj)
}

func stricter(a, b tlp.Label) tlp.Label {
	if a.Rank() >= b.Rank() {
		return a
	}
	return b
}

// sdo is an object with the common properties of an SDO or SRO.
func sdo(stixType, id string, created, modified time.Time, props map[string]any) map[string]any {
	if modified.Before(created) {
		modified = created
	}
	obj := map[string]any{"type": stixType, "spec_version": SpecVersion, "id": id, "created": Timestamp(created), "modified": Timestamp(modified)}
	for k, v := range props {
		if s, ok := v.(string); ok && s == "" {
			continue
		}
		obj[k] = v
	}
	return obj
}

// identity is the identity of an organisation, exported once.
func (e *exporter) identity(org string) string {
	e.orgs[org] = true
	return ID("identity", "organisation", org)
}

// addIdentities writes the identities the objects refer to. The directory is
// shared with every user of the platform, so they are TLP:GREEN.
func (e *exporter) addIdentities() {
	if !e.admit(tlp.Green, "organisations") {
		// Nothing above CLEAR leaves: the references to identities stay
		// dangling, which STIX allows.
		return
	}
	orgs := make([]string, 0, len(e.orgs))
	for o := range e.orgs {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	for _, o := range orgs {
		name := o
		if e.in.OrganisationName != nil {
			name = e.in.OrganisationName(o)
		}
		e.add(tlp.Green, sdo("identity", ID("identity", "organisation", o), identityCreated, identityCreated, map[string]any{
			"name": name, "identity_class": "organization",
		}))
	}
}

func (e *exporter) incident(id, name, description, org string, created, modified time.Time, labels []string, core map[string]any) map[string]any {
	props := map[string]any{"name": name, "description": description, "created_by_ref": e.identity(org),
		"extensions": map[string]any{IncidentCoreID: core}}
	if len(labels) > 0 {
		props["labels"] = labels
	}
	e.incidents = true
	return sdo("incident", id, created, modified, props)
}

func (e *exporter) note(id string, at time.Time, abstract, content, org, ref string) map[string]any {
	name := org
	if e.in.OrganisationName != nil {
		name = e.in.OrganisationName(org)
	}
	return sdo("note", id, at, at, map[string]any{"abstract": abstract, "content": content, "authors": []string{name},
		"object_refs": []string{ref}, "created_by_ref": e.identity(org)})
}

// incidentCore is the incident-core extension of an incident. The
// investigation is closed with the case (or when a report is resolved or
// withdrawn). The determination reads the reports: withdrawn ones are false
// positives; one reporting any impact is a successful attempt; otherwise the
// incident is suspected. Criticality is the highest severity score (0–100).
func incidentCore(closed bool, reps []crisis.NationalReport) map[string]any {
	status := "open"
	if closed {
		status = "closed"
	}
	determination := "suspected"
	criticality := 0
	withdrawn := len(reps) > 0
	for _, r := range reps {
		if r.Content.Status != crisis.StatusWithdrawn {
			withdrawn = false
			for _, level := range r.Content.Impact {
				if level > 0 {
					determination = "successful-attempt"
				}
			}
			criticality = max(criticality, r.Severity.Score)
		}
	}
	if withdrawn {
		determination = "false-positive"
	}
	return map[string]any{"extension_type": "property-extension", "investigation_status": status,
		"determination": determination, "criticality": criticality}
}

// lastChange is the time of the case's latest record the viewer may see.
func lastChange(c crisis.Case) time.Time {
	t := c.OpenedAt
	for _, d := range c.Decisions {
		t = later(t, d.At)
	}
	for _, s := range c.Signals {
		t = later(t, s.At)
	}
	for _, l := range c.Reports {
		t = later(t, l.LinkedAt)
	}
	return t
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// caseLabels carry the decided level as a machine tag.
func caseLabels(c crisis.Case) []string {
	return []string{fmt.Sprintf("blueprint:ladder-level=%q", string(c.Level))}
}

// reportLabels carry the report's RSIT classification and its nis2 root
// cause and outlook as MISP machine tags (rsit, nis2 taxonomies).
func reportLabels(r crisis.NationalReport) []string {
	var out []string
	if class, typ, ok := strings.Cut(r.Content.Classification, ":"); ok {
		out = append(out, fmt.Sprintf("rsit:%s=%q", class, typ))
	} else if r.Content.Classification != "" {
		out = append(out, "rsit:"+r.Content.Classification)
	}
	if r.Content.RootCause != "" {
		out = append(out, fmt.Sprintf("nis2:nature-root-cause=%q", r.Content.RootCause))
	}
	if r.Content.Outlook != "" {
		out = append(out, fmt.Sprintf("nis2:impact-outlook=%q", r.Content.Outlook))
	}
	return out
}

func decisionAbstract(d crisis.Decision) string {
	switch {
	case d.Closure:
		return "Case closed"
	case d.Reopening:
		return "Case reopened"
	}
	return fmt.Sprintf("Decided %s (%s)", strings.ReplaceAll(string(d.Level), "-", " "), d.Authority)
}

// bundle wraps the objects with the definitions they use: the TLP 2.0
// marking definitions and their extension, and incident-core's definition.
func (e *exporter) bundle() map[string]any {
	var defs []any
	if len(e.objects) > 0 {
		defs = append(defs, TLP2Extension())
	}
	for _, l := range tlp.Labels() {
		if e.labels[l] {
			defs = append(defs, MarkingDefinition(l))
		}
	}
	if e.incidents {
		defs = append(defs, incidentCoreDefinition())
	}
	objects := defs
	for _, o := range e.objects {
		objects = append(objects, o)
	}
	b := map[string]any{"type": "bundle", "id": "bundle--" + uuid.NewString()}
	if len(objects) > 0 {
		b["objects"] = objects
	}
	return b
}

// incidentCoreDefinition is the extension-definition object of incident-core
// as the common-objects repository holds it (version 1.1.0).
func incidentCoreDefinition() map[string]any {
	return map[string]any{
		"type": "extension-definition", "spec_version": SpecVersion, "id": IncidentCoreID,
		"name": "Incident Core Extension", "description": "This extension adds the core properties of an incident to the STIX 2.1 incident object.",
		"created": "2020-10-19T00:00:00.000Z", "modified": "2022-10-27T00:00:00.000Z",
		"created_by_ref": "identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a",
		"schema":         "https://github.com/oasis-open/cti-stix-common-objects/tree/main/extension-definition-specifications/incident-core",
		"version":        "1.1.0", "extension_types": []string{"property-extension"},
	}
}

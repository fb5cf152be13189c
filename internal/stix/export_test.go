package stix_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/tlp"
)

var (
	at     = time.Date(2026, 12, 1, 2, 40, 0, 123_000_000, time.UTC)
	green  = tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}}
	amber  = tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}}
	redFor = tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Users, IDs: []string{"u-sanne"}}}
)

// fixture is a case as ENISA sees it: a GREEN case with a GREEN report from
// NL, an AMBER one from BE, a RED one, decisions of each label, and a
// published GREEN situation report.
func fixture() stix.ExportInput {
	report := func(id, org, ms, title string, m tlp.Marking, impact int) crisis.NationalReport {
		return crisis.NationalReport{ID: id, Organisation: org, MemberState: ms, FiledAt: at, AmendedAt: at.Add(time.Hour), Version: 2,
			Severity: severity.Result{Score: 40 + impact, Level: "yellow"},
			Content: crisis.ReportContent{Title: title, Summary: "summary of " + title, Classification: "malicious-code:infected-system",
				RootCause: "malicious-actions", Outlook: "stable", Status: crisis.StatusOpen, Marking: m,
				Impact: severity.Assessment{"service-delivery": impact}}}
	}
	reps := []crisis.NationalReport{
		report("r-nl", "nl-ncsc", "NL", "Ransomware at hospitals", green, 2),
		report("r-be", "be-ccb", "BE", "AMBER-ONLY wiper detail", amber, 3),
		report("r-red", "nl-ncsc", "NL", "RED-ONLY informant", redFor, 1),
	}
	c := crisis.Case{ID: "c-1", Title: "Hospital ransomware", Summary: "Encrypted hospital systems in NL and BE.", Marking: green,
		Organisation: "enisa", OpenedAt: at, Level: crisis.LevelLargeScale,
		Decisions: []crisis.Decision{
			{Authority: crisis.AuthorityCyCLONe, Level: crisis.LevelLargeScale, Previous: crisis.LevelSignificant, Reason: "two Member States significant",
				Organisation: "dk-ccma", At: at.Add(2 * time.Hour), Marking: green, Event: "e-dec"},
			{Authority: crisis.AuthorityNetworkAdvice, Level: crisis.LevelSignificant, Previous: crisis.LevelIncident, Reason: "AMBER-ONLY advice",
				Organisation: "fi-ncsc", At: at.Add(time.Hour), Marking: amber, Event: "e-adv"},
		},
		Signals: []crisis.Signal{{Kind: crisis.SignalHubAlert, Source: "Hub", Detail: "hub alert", Organisation: "fi-ncsc", At: at, Marking: green, Event: "e-sig"}},
	}
	for _, r := range reps {
		c.Reports = append(c.Reports, crisis.LinkedReport{Report: r.ID, MemberState: r.MemberState, Organisation: r.Organisation, LinkedAt: at})
	}
	return stix.ExportInput{Case: c, Reports: reps,
		Sitreps: []stix.PublishedSitrep{{Case: "c-1", Kind: "technical", Version: 1, Title: "CSIRTs Network technical situation report",
			Markdown: "# Technical report\n\nGREEN content", Marking: green, Organisation: "enisa", PublishedAt: at.Add(3 * time.Hour)}},
		OrganisationName: func(id string) string { return strings.ToUpper(id) },
		Ceiling:          tlp.Red}
}

func objectsOf(t *testing.T, b map[string]any) []map[string]any {
	t.Helper()
	raw, err := json.Marshal(b["objects"])
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExportValidatesAgainstOASIS: every object of an export, and the bundle,
// is valid STIX 2.1 by the OASIS schemas.
func TestExportValidatesAgainstOASIS(t *testing.T) {
	validate := oasis(t)
	for _, ceiling := range tlp.Labels() {
		in := fixture()
		in.Ceiling = ceiling
		ex, err := stix.ExportCase(in)
		if err != nil {
			t.Fatal(err)
		}
		// The bundle's own properties against bundle.json; its objects each
		// against their type's schema. (bundle.json's list of object schemas
		// predates incident, note, grouping and extension-definition and
		// sends them to its custom-object branch, where a note matches both
		// core.json and cyber-observable-core.json and fails the oneOf: the
		// per-type schemas are the check that holds.)
		if err := validate("bundle", map[string]any{"type": ex.Bundle["type"], "id": ex.Bundle["id"]}); err != nil {
			t.Errorf("%s: the bundle: %v", ceiling, err)
		}
		for _, o := range objectsOf(t, ex.Bundle) {
			if err := validate(o["type"].(string), o); err != nil {
				t.Errorf("%s: %s %s: %v", ceiling, o["type"], o["id"], err)
			}
		}
	}
}

// TestExportMapsTheCase: what each item becomes, with its marking.
func TestExportMapsTheCase(t *testing.T) {
	ex, err := stix.ExportCase(fixture())
	if err != nil {
		t.Fatal(err)
	}
	byType := map[string][]map[string]any{}
	byID := map[string]map[string]any{}
	for _, o := range objectsOf(t, ex.Bundle) {
		byType[o["type"].(string)] = append(byType[o["type"].(string)], o)
		byID[o["id"].(string)] = o
	}
	if n := len(byType["incident"]); n != 4 {
		t.Errorf("%d incidents, want the case and its three reports", n)
	}
	caseInc := byID[stix.ID("incident", "case", "c-1")]
	if caseInc == nil || caseInc["name"] != "Hospital ransomware" || caseInc["created"] != "2026-12-01T02:40:00.123Z" {
		t.Fatalf("the case's incident: %v", caseInc)
	}
	core := caseInc["extensions"].(map[string]any)[stix.IncidentCoreID].(map[string]any)
	if core["investigation_status"] != "open" || core["determination"] != "successful-attempt" || core["criticality"].(float64) != 43 {
		t.Errorf("incident-core of the case: %v", core)
	}
	be := byID[stix.ID("incident", "national-report", "r-be")]
	if refs := be["object_marking_refs"].([]any); len(refs) != 1 || refs[0] != stix.MarkingID(tlp.Amber) {
		t.Errorf("BE's AMBER report is marked %v", refs)
	}
	if labels := be["labels"].([]any); len(labels) != 3 || labels[0] != `rsit:malicious-code="infected-system"` || labels[1] != `nis2:nature-root-cause="malicious-actions"` {
		t.Errorf("BE's report labels: %v", labels)
	}
	if n := len(byType["relationship"]); n != 3 {
		t.Errorf("%d relationships, want a link per report", n)
	}
	if n := len(byType["note"]); n != 3 {
		t.Errorf("%d notes, want two decisions and a signal", n)
	}
	if g := byType["grouping"]; len(g) != 1 || len(g[0]["object_refs"].([]any)) != len(byType["incident"])+len(byType["relationship"])+len(byType["note"])+len(byType["report"])+len(byType["identity"]) ||
		g[0]["object_marking_refs"].([]any)[0] != stix.MarkingID(tlp.Red) {
		t.Errorf("the grouping should list every exported object, marked as the strictest of them: %v", g)
	}
	rep := byType["report"]
	if len(rep) != 1 || rep[0]["published"] != "2026-12-01T05:40:00.123Z" || !strings.Contains(rep[0]["description"].(string), "GREEN content") {
		t.Errorf("the situation report: %v", rep)
	}
	for _, want := range []string{stix.MarkingID(tlp.Green), stix.MarkingID(tlp.Amber), stix.MarkingID(tlp.Red), stix.TLP2ExtensionID, stix.IncidentCoreID} {
		if byID[want] == nil {
			t.Errorf("the bundle lacks the definition %s", want)
		}
	}
	if byID[stix.MarkingID(tlp.AmberStrict)] != nil {
		t.Error("the bundle ships a marking definition no object uses")
	}
	for _, org := range []string{"enisa", "nl-ncsc", "be-ccb", "dk-ccma", "fi-ncsc"} {
		if id := byID[stix.ID("identity", "organisation", org)]; id == nil || id["name"] != strings.ToUpper(org) {
			t.Errorf("no identity for %s", org)
		}
	}
	// The same case exports to the same objects: consumers update, not duplicate.
	again, _ := stix.ExportCase(fixture())
	if a, b := mustJSON(t, objectsOf(t, ex.Bundle)), mustJSON(t, objectsOf(t, again.Bundle)); a != b {
		t.Error("two exports of the same case differ")
	}
	if ex.Bundle["id"] == again.Bundle["id"] {
		t.Error("two bundles share an id")
	}
}

// TestExportCeilingWithholds: an export for TLP:GREEN holds nothing AMBER or
// RED, and says how much it left out.
func TestExportCeilingWithholds(t *testing.T) {
	in := fixture()
	in.Ceiling = tlp.Green
	ex, err := stix.ExportCase(in)
	if err != nil {
		t.Fatal(err)
	}
	text := mustJSON(t, ex.Bundle)
	for _, secret := range []string{"AMBER-ONLY", "RED-ONLY", stix.ID("incident", "national-report", "r-be"), stix.MarkingID(tlp.Amber), stix.MarkingID(tlp.Red)} {
		if strings.Contains(text, secret) {
			t.Errorf("the GREEN export contains %q", secret)
		}
	}
	total := 0
	for _, n := range ex.Withheld {
		total += n
	}
	if total != 3 || ex.Withheld["national reports marked TLP:RED, above the export's TLP:GREEN"] != 1 {
		t.Errorf("withheld: %v, want the AMBER and RED reports and the AMBER decision", ex.Withheld)
	}
	in.Ceiling = tlp.Clear
	ex, _ = stix.ExportCase(in)
	if objs := objectsOf(t, ex.Bundle); len(objs) != 0 {
		t.Errorf("a CLEAR export of a GREEN case holds %d objects", len(objs))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

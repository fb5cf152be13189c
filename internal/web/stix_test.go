package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/tlp"
)

// STIX through the JSON API (R16): a case's export holds the caller's view up
// to the chosen label and reads back whole; an import stores each object for
// the audience its label and the sharer allow, and refuses the others with
// their reasons.

// TestExportCaseThroughTheAPI: NL exports the case for TLP:GREEN; nothing
// AMBER is in it, and the ceiling says how much it left out.
func TestExportCaseThroughTheAPI(t *testing.T) {
	s := newScenario(t)
	s.caseID = s.openCase("nl.analyst", "Hospital ransomware", `{"tlp":"TLP:GREEN","audience":{"kind":"community"}}`)
	green := s.fileReportMarked("nl.analyst", "GREEN-REPORT-TITLE", `{"tlp":"TLP:GREEN","audience":{"kind":"community"}}`)
	amber := s.fileReportMarked("nl.analyst", "AMBER-REPORT-TITLE", amberBothNetworks)
	for _, id := range []string{green, amber} {
		s.as("nl.analyst", "POST", "/api/v1/cases/"+s.caseID+"/reports", map[string]string{"report": id}, http.StatusOK)
	}
	rec := s.people["nl.analyst"].json("GET", "/api/v1/cases/"+s.caseID+"/stix?tlp=TLP:GREEN", nil, false)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != stix.MediaType {
		t.Fatalf("export: %d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	body := rec.Body.String()
	if !strings.Contains(body, "GREEN-REPORT-TITLE") || strings.Contains(body, "AMBER-REPORT-TITLE") {
		t.Errorf("the GREEN export holds the wrong reports:\n%.2000s", body)
	}
	if rec.Header().Get("Blueprint-Withheld") != "1" {
		t.Errorf("Blueprint-Withheld = %q, want the AMBER report counted", rec.Header().Get("Blueprint-Withheld"))
	}
	read, err := stix.ReadBundle(rec.Body.Bytes())
	if err != nil || len(read.Refused) != 0 {
		t.Errorf("the node refuses its own export: %v %+v", err, read.Refused)
	}
	// Everything NL may see, without a ceiling.
	if all := s.as("nl.analyst", "GET", "/api/v1/cases/"+s.caseID+"/stix", nil, http.StatusOK); !strings.Contains(string(all), "AMBER-REPORT-TITLE") {
		t.Error("the export without a ceiling lacks the AMBER report NL may see")
	}
	if rec := s.people["nl.analyst"].json("GET", "/api/v1/cases/"+s.caseID+"/stix?tlp=AMBER%20PLUS", nil, false); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("a bad ceiling: %d", rec.Code)
	}
	// A case the caller may not see does not exist for them.
	hidden := s.openCase("be.coordinator", "BE only", onlyForBE)
	if rec := s.people["nl.analyst"].json("GET", "/api/v1/cases/"+hidden+"/stix", nil, false); rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "BE only") {
		t.Errorf("NL exports BE's hidden case: %d %s", rec.Code, rec.Body.String())
	}
}

// stixObject is a valid object of a type with a marking.
func stixObject(typ, id, name string, refs ...string) map[string]any {
	o := map[string]any{"type": typ, "spec_version": "2.1", "id": id, "created": "2026-11-30T10:00:00.000Z", "modified": "2026-11-30T10:00:00.000Z", "name": name}
	if typ == "indicator" {
		o["pattern"], o["pattern_type"], o["valid_from"] = "[ipv4-addr:value = '198.51.100.7']", "stix", "2026-11-30T10:00:00Z"
	}
	if len(refs) > 0 {
		o["object_marking_refs"] = refs
	}
	return o
}

type importAnswer struct {
	Total      int            `json:"total"`
	Added      int            `json:"added"`
	Duplicates int            `json:"duplicates"`
	Known      int            `json:"definitions"`
	Refused    []stix.Refusal `json:"refused"`
}

func (s *scenario) importBundle(who, query string, want int, objs ...any) importAnswer {
	s.t.Helper()
	b, _ := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": objs})
	rec := s.people[who].do("POST", "/api/v1/stix/bundles"+query, stix.MediaType, string(b), map[string]string{"X-CSRF-Token": s.people[who].csrf})
	if rec.Code != want {
		s.t.Fatalf("%s imports: %d, want %d: %s", who, rec.Code, want, rec.Body.String())
	}
	var a importAnswer
	if want == http.StatusOK {
		mustUnmarshal(s.t, rec.Body.Bytes(), &a)
	}
	return a
}

// TestImportBundleThroughTheAPI: each object is stored or refused on its own;
// what is stored is seen by the audience its label and the sharer allow, and
// by nobody else.
func TestImportBundleThroughTheAPI(t *testing.T) {
	s := newScenario(t)
	const (
		amberInd  = "indicator--9b1a3f0e-2c4d-4e5f-8a6b-7c8d9e0f1a2b"
		greenVuln = "vulnerability--8a0b2e1d-3c5e-4f6a-9b7c-8d9e0f1a2b3c"
		unmarked  = "indicator--7f9a1d0c-4b6d-4e7f-8a8b-9c0d1e2f3a4b"
		shared    = "indicator--6e8f0c9b-5a7c-4d8e-9f9a-0b1c2d3e4f5a"
	)
	objs := []any{
		stix.MarkingDefinition(tlp.Amber),
		stixObject("indicator", amberInd, "NL-AMBER-INDICATOR", stix.MarkingID(tlp.Amber)),
		stixObject("vulnerability", greenVuln, "GREEN-VULNERABILITY", stix.MarkingID(tlp.Green)),
		stixObject("indicator", unmarked, "UNMARKED"),
	}
	a := s.importBundle("nl.analyst", "", http.StatusOK, objs...)
	if a.Total != 4 || a.Added != 2 || a.Known != 1 || len(a.Refused) != 1 || a.Refused[0].ID != unmarked || !strings.Contains(a.Refused[0].Reason, "no TLP marking") {
		t.Fatalf("first import: %+v", a)
	}
	if again := s.importBundle("nl.analyst", "", http.StatusOK, objs...); again.Added != 0 || again.Duplicates != 2 {
		t.Errorf("the same bundle again: %+v, want two duplicates", again)
	}
	// AMBER stays with NL's organisation unless NL names a wider audience.
	if rec := s.people["be.coordinator"].json("GET", "/api/v1/stix/objects/"+amberInd, nil, false); rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "NL-AMBER") {
		t.Errorf("BE reads NL's AMBER indicator: %d %s", rec.Code, rec.Body.String())
	}
	if body := string(s.as("nl.coordinator", "GET", "/api/v1/stix/objects/"+amberInd, nil, http.StatusOK)); !strings.Contains(body, "NL-AMBER-INDICATOR") {
		t.Errorf("NL's colleague cannot read NL's AMBER indicator: %s", body)
	}
	if body := string(s.as("be.coordinator", "GET", "/api/v1/stix/objects/"+greenVuln, nil, http.StatusOK)); !strings.Contains(body, "GREEN-VULNERABILITY") {
		t.Errorf("BE cannot read the GREEN vulnerability: %s", body)
	}
	// Shared with the CSIRTs Network: BE reads it, the Presidency does not.
	s.importBundle("nl.analyst", "?audience=networks:csirts-network", http.StatusOK, stixObject("indicator", shared, "NETWORK-INDICATOR", stix.MarkingID(tlp.Amber)))
	s.as("be.coordinator", "GET", "/api/v1/stix/objects/"+shared, nil, http.StatusOK)
	s.as("presidency", "GET", "/api/v1/stix/objects/"+shared, nil, http.StatusNotFound)
	// An audience too wide for AMBER refuses the whole request: nothing stored.
	s.importBundle("nl.analyst", "?audience=community", http.StatusUnprocessableEntity,
		stixObject("indicator", "indicator--5d7e9b8a-6f8b-4c9d-8e0f-1a2b3c4d5e6f", "TOO-WIDE", stix.MarkingID(tlp.Amber)))
	s.as("nl.analyst", "GET", "/api/v1/stix/objects/indicator--5d7e9b8a-6f8b-4c9d-8e0f-1a2b3c4d5e6f", nil, http.StatusNotFound)
	// Not a bundle at all: a problem naming what is wrong.
	rec := s.people["nl.analyst"].do("POST", "/api/v1/stix/bundles", "application/json", `{"type":"indicator"}`, map[string]string{"X-CSRF-Token": s.people["nl.analyst"].csrf})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `a STIX bundle has type \"bundle\"`) {
		t.Errorf("not a bundle: %d %s", rec.Code, rec.Body.String())
	}
}

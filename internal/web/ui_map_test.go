package web

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
)

// TestOverviewMap: a Member State takes the colour of the most severe open
// case touching it among those the viewer may see; a case the viewer may not
// see colours nothing.
func TestOverviewMap(t *testing.T) {
	s := newScenario(t)
	nl := s.fileReport("nl.analyst", "NL")
	var opened struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	mustUnmarshal(t, s.as("nl.analyst", "POST", "/api/v1/cases", map[string]any{"title": "Visible case", "marking": json.RawMessage(amberCaseAudience)}, http.StatusCreated), &opened)
	s.as("nl.analyst", "POST", "/api/v1/cases/"+opened.Case.ID+"/reports", map[string]string{"report": nl}, http.StatusOK)
	s.as("nl.coordinator", "POST", "/api/v1/cases/"+opened.Case.ID+"/decisions", map[string]string{"authority": "national-assessment", "level": "significant", "reason": "hospitals"}, http.StatusOK)

	// BE's own case, for BE only, with a report naming DE.
	be := s.fileReportMarked("be.coordinator", "BE only", `{"tlp":"TLP:AMBER+STRICT","audience":{"kind":"organisations","ids":["be-ccb"]}}`)
	var hidden struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	mustUnmarshal(t, s.as("be.coordinator", "POST", "/api/v1/cases", map[string]any{"title": "BE only case", "marking": json.RawMessage(`{"tlp":"TLP:AMBER+STRICT","audience":{"kind":"organisations","ids":["be-ccb"]}}`)}, http.StatusCreated), &hidden)
	s.as("be.coordinator", "POST", "/api/v1/cases/"+hidden.Case.ID+"/reports", map[string]string{"report": be}, http.StatusOK)

	fill := func(who, ms string) string {
		t.Helper()
		rec := s.people[who].do("GET", "/", "", "", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s's overview: %d", who, rec.Code)
		}
		m := regexp.MustCompile(`class="ms ([a-z-]+)" data-ms="` + ms + `"`).FindStringSubmatch(rec.Body.String())
		if m == nil {
			t.Fatalf("%s's map has no %s", who, ms)
		}
		return m[1]
	}
	if got := fill("nl.analyst", "NL"); got != "ms-significant" {
		t.Errorf("NL on NL's map: %s, want ms-significant", got)
	}
	if got := fill("nl.analyst", "BE"); got != "ms-none" {
		t.Errorf("BE on NL's map: %s — a case NL may not see coloured it", got)
	}
	if got := fill("be.coordinator", "BE"); got != "ms-incident" {
		t.Errorf("BE on BE's map: %s, want ms-incident", got)
	}
	if got := fill("nl.analyst", "MT"); got != "ms-none" {
		t.Errorf("MT: %s", got)
	}
}

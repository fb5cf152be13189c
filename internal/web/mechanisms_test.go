package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

// TestCaseSuggestsUnionMechanisms (R9, Annex II(3)–(4)): a case's sectors
// bring their sectoral mechanisms; a sector without one brings none; criminal
// origin and a large-scale decision bring the horizontal ones.
func TestCaseSuggestsUnionMechanisms(t *testing.T) {
	s := newScenario(t)
	suggested := func(sectors []string, rootCause string) []string {
		t.Helper()
		body := reportBody("Mechanism test", amberBothNetworks)
		body["sectors"], body["root_cause"] = sectors, rootCause
		var rep struct {
			ID string `json:"id"`
		}
		mustUnmarshal(t, s.as("nl.analyst", "POST", "/api/v1/reports", body, http.StatusCreated), &rep)
		var opened struct {
			Case struct {
				ID string `json:"id"`
			} `json:"case"`
		}
		mustUnmarshal(t, s.as("nl.analyst", "POST", "/api/v1/cases", map[string]any{"title": "Mechanisms", "marking": json.RawMessage(amberCaseAudience)}, http.StatusCreated), &opened)
		var v struct {
			Mechanisms []struct {
				Mechanism string `json:"mechanism"`
				Why       string `json:"why"`
			} `json:"mechanisms"`
		}
		mustUnmarshal(t, s.as("nl.analyst", "POST", "/api/v1/cases/"+opened.Case.ID+"/reports", map[string]string{"report": rep.ID}, http.StatusOK), &v)
		s.caseID = opened.Case.ID
		var ids []string
		for _, m := range v.Mechanisms {
			if m.Why == "" {
				t.Errorf("%s is suggested without a reason", m.Mechanism)
			}
			ids = append(ids, m.Mechanism)
		}
		return ids
	}
	health := suggested([]string{"health"}, "system-failures")
	for _, want := range []string{"ewrs", "hera", "health-security-committee", "ratc-rab", "heof", "raschem", "medisys", "mdssg", "euhtf"} {
		if !slices.Contains(health, want) {
			t.Errorf("health: %s not suggested (got %v)", want, health)
		}
	}
	if got := suggested([]string{"financial"}, "system-failures"); !slices.Contains(got, "eu-scicf") {
		t.Errorf("finance: %v, want EU-SCICF", got)
	}
	if got := suggested([]string{"air"}, "system-failures"); !slices.Contains(got, "eaccc") {
		t.Errorf("air transport: %v, want EACCC", got)
	}
	if got := suggested([]string{"drinking-water"}, "system-failures"); len(got) != 0 {
		t.Errorf("drinking water has no mechanism, yet %v", got)
	}
	// Criminal origin suspected: the EU LE Emergency Response Protocol.
	if got := suggested([]string{"drinking-water"}, "malicious-actions"); !slices.Equal(got, []string{"eu-le-erp"}) {
		t.Errorf("malicious actions: %v, want only eu-le-erp", got)
	}
	// Decided large-scale: the UCPM and the Reserve for assistance.
	s.as("dk.chair", "POST", "/api/v1/cases/"+s.caseID+"/decisions", map[string]string{"authority": "cyclone-assessment", "level": "large-scale", "reason": "x"}, http.StatusOK)
	var v struct {
		Mechanisms []struct {
			Mechanism string `json:"mechanism"`
		} `json:"mechanisms"`
	}
	mustUnmarshal(t, s.as("nl.analyst", "GET", "/api/v1/cases/"+s.caseID, nil, http.StatusOK), &v)
	var ids []string
	for _, m := range v.Mechanisms {
		ids = append(ids, m.Mechanism)
	}
	if !slices.Contains(ids, "ucpm") || !slices.Contains(ids, "eu-cybersecurity-reserve") {
		t.Errorf("large-scale: %v, want the UCPM and the Reserve too", ids)
	}
}

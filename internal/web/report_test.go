package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
)

// reportBody is a valid national report body with the given title and marking.
func reportBody(title, marking string) map[string]any {
	now := time.Now().UTC()
	return map[string]any{
		"title": title, "summary": "Encrypted systems; emergency care diverted.",
		"detected_at": now.Add(-2 * time.Hour).Format(time.RFC3339), "aware_at": now.Add(-time.Hour).Format(time.RFC3339),
		"affected_member_states": []string{"NL"}, "sectors": []string{"health"}, "affected_entities": 3,
		"entity_relevance": "regional trauma centres",
		"impact":           map[string]int{"service-delivery": 2, "affected-entities": 1, "other-services": 1, "damage": 1},
		"classification":   "malicious-code:infected-system", "root_cause": "malicious-actions", "outlook": "worsening",
		"status": "open", "marking": json.RawMessage(marking),
	}
}

const (
	amberCSIRTs = `{"tlp":"TLP:AMBER","audience":{"kind":"networks","ids":["csirts-network"]}}`
	greenAll    = `{"tlp":"TLP:GREEN","audience":{"kind":"community"}}`
)

// reportFixture: NL and BE CSIRTs with an analyst each, and ENISA.
func reportFixture(t *testing.T) (http.Handler, Deps) {
	t.Helper()
	d := MustDeps(t)
	admin, _ := d.Auth.Dir.UserByUsername("admin")
	for _, o := range []auth.OrganisationRequest{
		{ID: "nl-ncsc", Name: "NCSC-NL", NationalKind: "csirt", MemberState: "NL"},
		{ID: "be-ccb", Name: "CCB", NationalKind: "csirt", MemberState: "BE"},
		{ID: "fr-sgdsn", Name: "SGDSN", NationalKind: "national-crisis-authority", MemberState: "FR"},
	} {
		if _, err := d.Auth.RegisterOrganisation(t.Context(), admin, o); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []auth.UserRequest{
		{Username: "sanne", DisplayName: "Sanne", Organisation: "nl-ncsc", Role: "analyst", Password: "sanne's passphrase"},
		{Username: "piet", DisplayName: "Piet", Organisation: "nl-ncsc", Role: "viewer", Password: "piet's passphrase!"},
		{Username: "lotte", DisplayName: "Lotte", Organisation: "be-ccb", Role: "analyst", Password: "lotte's passphrase"},
		{Username: "marie", DisplayName: "Marie", Organisation: "fr-sgdsn", Role: "coordinator", Password: "marie's passphrase"},
	} {
		if _, err := d.Auth.CreateUser(t.Context(), admin, u); err != nil {
			t.Fatal(err)
		}
	}
	return NewServer(d), d
}

func TestFileAmendAndReadReports(t *testing.T) {
	h, _ := reportFixture(t)
	sanne := newClient(t, h)
	sanne.MustLogin("sanne", "sanne's passphrase")

	// A form with mistakes gets every field named.
	bad := reportBody("", amberCSIRTs)
	bad["sectors"] = []string{"healthcare"}
	bad["affected_member_states"] = []string{"GR"}
	rec := sanne.json("POST", "/api/v1/reports", bad, true)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "title:") || !strings.Contains(rec.Body.String(), "sectors:") || !strings.Contains(rec.Body.String(), "affected_member_states:") {
		t.Fatalf("invalid report = %d %s", rec.Code, rec.Body.String())
	}
	// Unmarked input is refused, not defaulted.
	unmarked := reportBody("x", `{}`)
	if rec := sanne.json("POST", "/api/v1/reports", unmarked, true); rec.Code != 422 || !strings.Contains(rec.Body.String(), "marking") {
		t.Fatalf("unmarked report = %d %s", rec.Code, rec.Body.String())
	}

	body := reportBody("Ransomware at three hospitals", amberCSIRTs)
	rec = sanne.do("POST", "/api/v1/reports", "application/json", mustMarshal(t, body), map[string]string{"X-CSRF-Token": sanne.csrf, "Idempotency-Key": "nl-2026-001"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("file = %d %s", rec.Code, rec.Body.String())
	}
	var rep struct {
		ID       string `json:"id"`
		Version  int    `json:"version"`
		Severity struct {
			Score       int    `json:"score"`
			Level       string `json:"level"`
			Explanation string `json:"explanation"`
		} `json:"severity"`
		Significance suggestion `json:"significance"`
	}
	mustUnmarshal(t, rec.Body.Bytes(), &rep)
	if rep.Severity.Level == "" || rep.Severity.Explanation == "" || rec.Header().Get("ETag") != `"1"` {
		t.Fatalf("filed report lacks its severity or ETag: %s", rec.Body.String())
	}
	// Service delivery at level 2 meets §7(b)(a): the node suggests significant.
	if rep.Significance.Outcome != "significant" || !rep.Significance.Significant || !rep.Significance.cites("§7(b)(a)") {
		t.Fatalf("filed report lacks its §7(b) suggestion: %s", rec.Body.String())
	}
	// The retry of the same request files nothing new.
	again := sanne.do("POST", "/api/v1/reports", "application/json", mustMarshal(t, body), map[string]string{"X-CSRF-Token": sanne.csrf, "Idempotency-Key": "nl-2026-001"})
	if again.Code != http.StatusOK || !strings.Contains(again.Body.String(), rep.ID) {
		t.Fatalf("retry = %d %s", again.Code, again.Body.String())
	}

	// Amend: needs If-Match; a stale version is refused.
	amend := map[string]any{"content": reportBody("Ransomware at four hospitals", amberCSIRTs), "reason": "a fourth hospital"}
	if rec := sanne.json("PUT", "/api/v1/reports/"+rep.ID, amend, true); rec.Code != 422 || !strings.Contains(rec.Body.String(), "If-Match") {
		t.Fatalf("amend without If-Match = %d %s", rec.Code, rec.Body.String())
	}
	if rec := sanne.do("PUT", "/api/v1/reports/"+rep.ID, "application/json", mustMarshal(t, amend), map[string]string{"X-CSRF-Token": sanne.csrf, "If-Match": `"1"`}); rec.Code != 200 {
		t.Fatalf("amend = %d %s", rec.Code, rec.Body.String())
	}
	if rec := sanne.do("PUT", "/api/v1/reports/"+rep.ID, "application/json", mustMarshal(t, amend), map[string]string{"X-CSRF-Token": sanne.csrf, "If-Match": `"1"`}); rec.Code != http.StatusConflict {
		t.Fatalf("stale amend = %d, want 409", rec.Code)
	}
	hist := sanne.json("GET", "/api/v1/reports/"+rep.ID+"/history", nil, false)
	if hist.Code != 200 || strings.Count(hist.Body.String(), `"type": "report.`) != 2 || !strings.Contains(hist.Body.String(), "three hospitals") {
		t.Fatalf("history = %d %s", hist.Code, hist.Body.String())
	}

	// Who sees it: the CSIRTs Network (BE CSIRT) yes; the French crisis authority
	// (EU-CyCLONe only) no; a viewer of NL may read but not amend.
	lotte := newClient(t, h)
	lotte.MustLogin("lotte", "lotte's passphrase")
	if rec := lotte.json("GET", "/api/v1/reports/"+rep.ID, nil, false); rec.Code != 200 {
		t.Fatalf("a CSIRTs Network member reading an AMBER report for the network = %d", rec.Code)
	}
	if rec := lotte.do("PUT", "/api/v1/reports/"+rep.ID, "application/json", mustMarshal(t, amend), map[string]string{"X-CSRF-Token": lotte.csrf, "If-Match": `"2"`}); rec.Code != http.StatusForbidden {
		t.Fatalf("another organisation amending = %d, want 403", rec.Code)
	}
	marie := newClient(t, h)
	marie.MustLogin("marie", "marie's passphrase")
	if rec := marie.json("GET", "/api/v1/reports/"+rep.ID, nil, false); rec.Code != 404 {
		t.Fatalf("EU-CyCLONe-only organisation reading a CSIRTs Network AMBER report = %d, want 404", rec.Code)
	}
	if rec := marie.json("GET", "/api/v1/reports", nil, false); rec.Code != 200 || strings.Contains(rec.Body.String(), "hospitals") {
		t.Fatalf("EU-CyCLONe-only list shows the report: %s", rec.Body.String())
	}
	if rec := marie.json("POST", "/api/v1/reports", reportBody("x", greenAll), true); rec.Code != http.StatusForbidden {
		t.Fatalf("a national crisis authority filing = %d, want 403 (§49)", rec.Code)
	}
	piet := newClient(t, h)
	piet.MustLogin("piet", "piet's passphrase!")
	if rec := piet.json("GET", "/api/v1/reports?member_state=NL&sector=health", nil, false); rec.Code != 200 || !strings.Contains(rec.Body.String(), "four hospitals") {
		t.Fatalf("filtered list for a colleague = %d %s", rec.Code, rec.Body.String())
	}
	if rec := piet.json("GET", "/api/v1/reports?member_state=BE", nil, false); !strings.Contains(rec.Body.String(), `"items": []`) {
		t.Fatalf("filter by another Member State: %s", rec.Body.String())
	}
}

func TestReportListPagesAndCounts(t *testing.T) {
	h, _ := reportFixture(t)
	sanne := newClient(t, h)
	sanne.MustLogin("sanne", "sanne's passphrase")
	lotte := newClient(t, h)
	lotte.MustLogin("lotte", "lotte's passphrase")
	for i := range 5 {
		if rec := sanne.json("POST", "/api/v1/reports", reportBody("NL report "+string(rune('A'+i)), greenAll), true); rec.Code != 201 {
			t.Fatal(rec.Body.String())
		}
	}
	// BE's own-organisation reports, invisible to NL, between NL's pages.
	for i := range 3 {
		body := reportBody("BE internal "+string(rune('A'+i)), `{"tlp":"TLP:AMBER+STRICT","audience":{"kind":"organisations","ids":["be-ccb"]}}`)
		body["affected_member_states"] = []string{"BE"}
		if rec := lotte.json("POST", "/api/v1/reports", body, true); rec.Code != 201 {
			t.Fatal(rec.Body.String())
		}
	}
	var seen []string
	next := ""
	for pages := 0; pages < 10; pages++ {
		path := "/api/v1/reports?limit=2"
		if next != "" {
			path += "&cursor=" + next
		}
		rec := sanne.json("GET", path, nil, false)
		var page struct {
			Items []struct {
				Content struct {
					Title string `json:"title"`
				} `json:"content"`
			} `json:"items"`
			Next string `json:"next"`
		}
		mustUnmarshal(t, rec.Body.Bytes(), &page)
		for _, it := range page.Items {
			seen = append(seen, it.Content.Title)
		}
		if page.Next == "" {
			break
		}
		next = page.Next
	}
	if len(seen) != 5 || strings.Contains(strings.Join(seen, ","), "BE internal") {
		t.Fatalf("NL paged through %v; want exactly its 5 reports", seen)
	}
	if rec := sanne.json("GET", "/api/v1/reports?cursor=forged", nil, false); rec.Code != 422 {
		t.Fatalf("forged cursor = %d", rec.Code)
	}
}

// suggestion is the §7(b) significance suggestion as the API answers it.
type suggestion struct {
	Significant bool   `json:"significant"`
	Outcome     string `json:"outcome"`
	Reasons     []struct {
		Text string `json:"text"`
		Ref  string `json:"ref"`
	} `json:"reasons"`
}

// cites reports whether a reason with text applies the provision ref.
func (s suggestion) cites(ref string) bool {
	for _, r := range s.Reasons {
		if strings.HasPrefix(r.Ref, ref) && r.Text != "" {
			return true
		}
	}
	return false
}

// TestReportSignificanceAnswer: the reporter's answer on other persons
// (§7(b)(b)) is kept, and the suggestion in the answer follows it.
func TestReportSignificanceAnswer(t *testing.T) {
	h, _ := reportFixture(t)
	sanne := newClient(t, h)
	sanne.MustLogin("sanne", "sanne's passphrase")
	for _, tc := range []struct {
		others  any
		outcome string
		ref     string
	}{
		{nil, "not-enough-information", "§7(b)(b)"},
		{false, "not-significant", "§7(b)(b)"},
		{true, "significant", "§7(b)(b)"},
	} {
		body := reportBody("Phishing at a ministry", greenAll)
		body["impact"] = map[string]int{"service-delivery": 1, "affected-entities": 1, "other-services": 0, "damage": 1}
		if tc.others != nil {
			body["other_persons_affected"] = tc.others
		}
		rec := sanne.json("POST", "/api/v1/reports", body, true)
		if rec.Code != http.StatusCreated {
			t.Fatalf("file = %d %s", rec.Code, rec.Body.String())
		}
		var rep struct {
			Content struct {
				Others *bool `json:"other_persons_affected"`
			} `json:"content"`
			Significance suggestion `json:"significance"`
		}
		mustUnmarshal(t, rec.Body.Bytes(), &rep)
		if (rep.Content.Others == nil) != (tc.others == nil) || rep.Significance.Outcome != tc.outcome || !rep.Significance.cites(tc.ref) {
			t.Errorf("other_persons_affected %v: answer %s", tc.others, rec.Body.String())
		}
	}
}

// TestReportRegulation2024_2690: a report that gives the entity impact of a
// type Regulation (EU) 2024/2690 covers is answered with the Regulation's
// suggestion beside the §7(b) one; a report without it has none; a
// duration that is not one, and an entity type the Regulation does not
// cover, are refused naming the field.
func TestReportRegulation2024_2690(t *testing.T) {
	h, _ := reportFixture(t)
	sanne := newClient(t, h)
	sanne.MustLogin("sanne", "sanne's passphrase")
	outage := func(entityImpact string) map[string]any {
		body := reportBody("Outage at a cloud provider", greenAll)
		body["sectors"] = []string{"digital-infrastructure"}
		body["impact"] = map[string]int{"service-delivery": 1, "affected-entities": 1, "other-services": 0, "damage": 1}
		body["other_persons_affected"] = false
		if entityImpact != "" {
			body["entity_impact"] = json.RawMessage(entityImpact)
		}
		return body
	}

	rec := sanne.json("POST", "/api/v1/reports", outage(`{"entity":"cloud-computing-service-provider","users":3000000,"completely_unavailable_for":"5h"}`), true)
	if rec.Code != http.StatusCreated {
		t.Fatalf("file = %d %s", rec.Code, rec.Body.String())
	}
	var rep struct {
		Content struct {
			EntityImpact map[string]any `json:"entity_impact"`
		} `json:"content"`
		Significance suggestion  `json:"significance"`
		Regulation   *suggestion `json:"regulation_2024_2690"`
	}
	mustUnmarshal(t, rec.Body.Bytes(), &rep)
	if got := rep.Content.EntityImpact["completely_unavailable_for"]; got != "5h0m0s" {
		t.Errorf("completely_unavailable_for answered as %v, want \"5h0m0s\"", got)
	}
	if rep.Significance.Outcome != "not-significant" {
		t.Errorf("the §7(b) suggestion changed: %+v", rep.Significance)
	}
	if r := rep.Regulation; r == nil || r.Outcome != "significant" || !r.Significant || !r.cites("Art 7(a) of Regulation (EU) 2024/2690") ||
		!strings.Contains(r.Reasons[0].Text, "cloud computing service completely unavailable for 5 h (> 30 min)") {
		t.Fatalf("no Regulation (EU) 2024/2690 suggestion with its reasons: %s", rec.Body.String())
	}

	rec = sanne.json("POST", "/api/v1/reports", outage(""), true)
	if rec.Code != http.StatusCreated || strings.Contains(rec.Body.String(), "regulation_2024_2690") || strings.Contains(rec.Body.String(), "entity_impact") {
		t.Fatalf("a report without entity impact = %d %s", rec.Code, rec.Body.String())
	}

	// Problem.Field names the field when it is the only one at fault. A
	// duration that does not decode is refused by its own decoder, whose
	// error encoding/json gives no path, so the detail says what is wrong
	// and how to write it, and quotes the value.
	for _, tc := range []struct{ entityImpact, field, detail string }{
		{`{"entity":"cloud-computing-service-provider","completely_unavailable_for":"5 hours"}`,
			"", `"5 hours" is not a duration: write hours, minutes and seconds as in "90m", "1h30m" or "45s"`},
		{`{"entity":"cloud-computing-service-provider","slowdown":{"average_response":12,"duration":"2h"}}`,
			"", `a duration is a string such as "90m" or "1h30m", not a number`},
		{`{"entity":"hospital","users":-1}`,
			"", `entity_impact.entity: "hospital" is not an entity type Regulation (EU) 2024/2690 covers: one of dns-service-provider`},
		{`{"entity":"hospital","users":-1}`, "", "entity_impact.users: cannot be negative"},
		{`{"entity":"cloud-computing-service-provider","users":-1}`, "entity_impact.users", "cannot be negative"},
	} {
		rec := sanne.json("POST", "/api/v1/reports", outage(tc.entityImpact), true)
		var p Problem
		mustUnmarshal(t, rec.Body.Bytes(), &p)
		if rec.Code != 422 || p.Field != tc.field || !strings.Contains(p.Detail, tc.detail) {
			t.Errorf("%s = %d %s; want 422 naming %q, saying %s", tc.entityImpact, rec.Code, rec.Body.String(), tc.field, tc.detail)
		}
	}
	// A misspelt figure is refused, not silently dropped.
	rec = sanne.json("POST", "/api/v1/reports", outage(`{"entity":"cloud-computing-service-provider","completly_unavailable_for":"5h"}`), true)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "completly_unavailable_for") {
		t.Errorf("misspelt figure = %d %s", rec.Code, rec.Body.String())
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}

package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/sitrep"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The Union response on a case (R9–R13), driven through the HTTP API: the EU
// Cybersecurity Reserve and its 24-hour deployment clock (§55(b)(v)), the
// military notice that only EU-CyCLONe and the EEAS may read (§70), and the
// other records of the response with the playbook steps they complete.

// responseView is the part of a case view these tests read.
type responseView struct {
	Case          crisis.Case                  `json:"case"`
	Mechanisms    []crisis.MechanismSuggestion `json:"mechanisms"`
	ReserveClocks []crisis.ReserveClock        `json:"reserve_clocks"`
	Commission    struct {
		Member bool `json:"member"`
	} `json:"commission_membership"`
	Playbook []stepStatus  `json:"playbook"`
	Timeline []event.Event `json:"timeline"`
}

// caseOf reads who's view of a case, with the raw body for leak checks.
func (s *scenario) caseOf(who, caseID string) (responseView, string) {
	s.t.Helper()
	body := s.as(who, "GET", "/api/v1/cases/"+caseID, nil, http.StatusOK)
	var v responseView
	mustUnmarshal(s.t, body, &v)
	return v, string(body)
}

// record posts a command that must succeed and returns the caller's view.
func (s *scenario) record(who, path string, body any) responseView {
	s.t.Helper()
	var v responseView
	mustUnmarshal(s.t, s.as(who, "POST", path, body, http.StatusOK), &v)
	return v
}

// wantProblem posts a command that must fail with status; for a 422 it must
// be a problem document naming field.
func (s *scenario) wantProblem(who, path string, body any, status int, field string) string {
	s.t.Helper()
	rec := s.people[who].json("POST", path, body, true)
	if rec.Code != status {
		s.t.Fatalf("%s POST %s: %d, want %d: %s", who, path, rec.Code, status, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		s.t.Errorf("%s POST %s: content type %q, want a problem document", who, path, ct)
	}
	var p Problem
	mustUnmarshal(s.t, rec.Body.Bytes(), &p)
	if field != "" && p.Field != field {
		s.t.Errorf("%s POST %s: the problem names field %q, want %q: %s", who, path, p.Field, field, rec.Body.String())
	}
	return rec.Body.String()
}

// addOrganisation registers a national organisation beyond newScenario's.
func (s *scenario) addOrganisation(o auth.OrganisationRequest) {
	s.t.Helper()
	admin, _ := s.d.Auth.Dir.UserByUsername("admin")
	if _, err := s.d.Auth.RegisterOrganisation(s.t.Context(), admin, o); err != nil {
		s.t.Fatal(err)
	}
}

// addPerson creates a user in an organisation and logs them in as s.people[name].
func (s *scenario) addPerson(name, org, role string) {
	s.t.Helper()
	admin, _ := s.d.Auth.Dir.UserByUsername("admin")
	pw := name + " long passphrase"
	if _, err := s.d.Auth.CreateUser(s.t.Context(), admin, auth.UserRequest{Username: name, DisplayName: name, Organisation: org, Role: role, Password: pw}); err != nil {
		s.t.Fatal(err)
	}
	c := newClient(s.t, s.h)
	c.MustLogin(name, pw)
	s.people[name] = c
}

// sitrepDraft builds a draft as who and returns it in the format (the text of
// a PDF).
func (s *scenario) sitrepDraft(who, caseID string, kind sitrep.Kind, marking json.RawMessage, format string) string {
	s.t.Helper()
	rec := s.people[who].json("POST", "/api/v1/cases/"+caseID+"/sitreps/drafts?format="+format, map[string]any{"kind": kind, "marking": marking}, true)
	if rec.Code != http.StatusOK {
		s.t.Fatalf("%s drafts %s %s: %d %s", who, kind, format, rec.Code, rec.Body.String())
	}
	if format == "pdf" {
		return pdfText(s.t, rec.Body.Bytes())
	}
	return rec.Body.String()
}

// mdSection cuts one section out of a Markdown report: from its heading to
// the next section's.
func mdSection(t *testing.T, md, heading string) string {
	t.Helper()
	i := strings.Index(md, "## "+heading)
	if i < 0 {
		t.Fatalf("no section %q in:\n%s", heading, md)
	}
	rest := md[i+3:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// reserveBody is a complete request for Reserve services (Regulation
// 2025/38 art. 15): all six fields.
func reserveBody(tag string) map[string]any {
	return map[string]any{
		"affected_entity":  "RESERVE-ENTITY-" + tag + ": regional hospital group, health sector",
		"impact":           "RESERVE-IMPACT-" + tag + ": emergency admissions diverted",
		"planned_use":      "RESERVE-USE-" + tag + ": forensic triage and recovery",
		"estimated_needs":  "RESERVE-NEEDS-" + tag + ": 2 incident responders for 10 days",
		"mitigation_taken": "RESERVE-MITIGATION-" + tag + ": network segmented",
		"other_support":    "RESERVE-OTHER-" + tag + ": none",
	}
}

// contentStrings are the unique markers reserveBody puts in a request.
func contentStrings(tag string) []string {
	var out []string
	for _, f := range []string{"ENTITY", "IMPACT", "USE", "NEEDS", "MITIGATION", "OTHER"} {
		out = append(out, "RESERVE-"+f+"-"+tag)
	}
	return out
}

// requestReserve asks for Reserve services and returns the new request's id
// (the last request of the caller's view) with the view.
func (s *scenario) requestReserve(who, caseID string, body map[string]any) (string, responseView) {
	s.t.Helper()
	v := s.record(who, "/api/v1/cases/"+caseID+"/reserve-requests", body)
	if len(v.Case.Reserve) == 0 {
		s.t.Fatalf("%s requested the Reserve, yet the view lists no request", who)
	}
	return v.Case.Reserve[len(v.Case.Reserve)-1].ID, v
}

// moveReserve takes a request through statuses, each recorded by who.
func (s *scenario) moveReserve(who, caseID, request string, statuses ...string) responseView {
	s.t.Helper()
	var v responseView
	for _, st := range statuses {
		v = s.record(who, "/api/v1/cases/"+caseID+"/reserve-requests/"+request+"/status", map[string]string{"status": st, "note": "recorded " + st})
	}
	return v
}

func clockOf(t *testing.T, v responseView, request string) crisis.ReserveClock {
	t.Helper()
	for _, k := range v.ReserveClocks {
		if k.Request == request {
			return k
		}
	}
	t.Fatalf("no Reserve clock for %s in %+v", request, v.ReserveClocks)
	return crisis.ReserveClock{}
}

// reserveOverdue reads the case list's count of missed Reserve clocks per case.
func (s *scenario) reserveOverdue(who string) map[string]int {
	s.t.Helper()
	var list casePage
	mustUnmarshal(s.t, s.as(who, "GET", "/api/v1/cases", nil, http.StatusOK), &list)
	out := map[string]int{}
	for _, it := range list.Items {
		out[it.ID] = it.ReserveOverdue
	}
	return out
}

// TestReserveClockOverdueAt25HoursNotAt23 is the done-when of issue 7
// (§55(b)(v): Reserve services deployed within 24 hours of the request), on
// the injected clock: services deployed 25 hours after the request are
// overdue in the case view, the case list and the operational situation
// report; 23 hours is in time; and a request still awaiting deployment after
// 24 hours is overdue.
func TestReserveClockOverdueAt25HoursNotAt23(t *testing.T) {
	s := newScenario(t)

	// Case A: NL's CSIRT, a Reserve user (Regulation 2025/38 art. 14(3)(a)),
	// requests services with the six fields of art. 15.
	late := s.openCase("nl.coordinator", "Reserve deployed late", amberCaseAudience)
	requestedAt := s.clock.Now()
	reqA, v := s.requestReserve("nl.coordinator", late, reserveBody("A"))
	r := v.Case.Reserve[0]
	if r.Status != crisis.ReserveRequested || r.Requester != "NL" || r.Organisation != "nl-ncsc" || !r.RequestedAt.Equal(requestedAt) {
		t.Errorf("the request: status %s, requester %s, organisation %s, at %s", r.Status, r.Requester, r.Organisation, r.RequestedAt)
	}
	// The node tells both networks at once (§55(b)(v); art. 15).
	if !slices.Equal(r.Notified, []string{"csirts-network", "eu-cyclone"}) || r.Notice == nil {
		t.Errorf("notified %v (notice %v), want the CSIRTs Network and EU-CyCLONe", r.Notified, r.Notice)
	}
	if r.Content == nil || !strings.HasPrefix(r.Content.EstimatedNeeds, "RESERVE-NEEDS-A") {
		t.Errorf("the requester does not see its own request's content: %+v", r.Content)
	}
	k := clockOf(t, v, reqA)
	if k.State != "running" || k.Overdue || !k.Due.Equal(requestedAt.Add(24*time.Hour)) {
		t.Errorf("fresh request's clock: %+v, want running, due 24 h after the request", k)
	}

	// The Commission assesses and approves within the hour, and deploys 25 h
	// after the request.
	s.clock.Advance(time.Hour)
	s.moveReserve("commission", late, reqA, "assessed", "approved")
	s.clock.Advance(24 * time.Hour)
	s.moveReserve("commission", late, reqA, "deployed")
	for _, who := range []string{"nl.coordinator", "dk.chair"} {
		v, _ := s.caseOf(who, late)
		k := clockOf(t, v, reqA)
		if !k.Overdue || k.State != "deployed-late" {
			t.Errorf("%s: deployed at 25 h: %+v, want overdue, deployed-late", who, k)
		}
		if want := "overdue: deployed 25 h after the request, 1 h past the 24 h clock (§55(b)(v))"; k.Text != want {
			t.Errorf("%s: clock text %q, want %q", who, k.Text, want)
		}
	}
	v, _ = s.caseOf("dk.chair", late)
	if st := s.wantStep(caseView{Playbook: v.Playbook}, "deploy-reserve", "", "done"); !st.Late {
		t.Errorf("deploy-reserve done 25 h after the request should be late: %+v", st)
	}
	// EU-CyCLONe's operational report, for both networks (the notice's and
	// the updates' audience), says the clock was missed.
	md := s.sitrepDraft("dk.chair", late, sitrep.Operational, json.RawMessage(amberBothNetworks), "md")
	if sec := mdSection(t, md, "EU Cybersecurity Reserve requests"); !strings.Contains(sec, "overdue: deployed 25 h after the request") {
		t.Errorf("the operational report's Reserve section does not say overdue:\n%s", sec)
	}

	// Case B: a request deployed 23 h after it was made.
	inTime := s.openCase("nl.coordinator", "Reserve deployed in time", amberCaseAudience)
	reqB, _ := s.requestReserve("nl.coordinator", inTime, reserveBody("B"))
	s.moveReserve("enisa", inTime, reqB, "assessed", "approved")
	s.clock.Advance(23 * time.Hour)
	s.moveReserve("commission", inTime, reqB, "deployed")
	v, _ = s.caseOf("dk.chair", inTime)
	k = clockOf(t, v, reqB)
	if k.Overdue || k.State != "deployed-in-time" || !strings.Contains(k.Text, "within the 24 h clock") {
		t.Errorf("deployed at 23 h: %+v, want in time, within the clock", k)
	}
	if st := s.wantStep(caseView{Playbook: v.Playbook}, "deploy-reserve", "", "done"); st.Late {
		t.Errorf("deploy-reserve done 23 h after the request is not late: %+v", st)
	}
	md = s.sitrepDraft("dk.chair", inTime, sitrep.Operational, json.RawMessage(amberBothNetworks), "md")
	sec := mdSection(t, md, "EU Cybersecurity Reserve requests")
	if strings.Contains(sec, "overdue") || !strings.Contains(sec, "within the 24 h clock") {
		t.Errorf("the operational report's Reserve section for a deployment at 23 h:\n%s", sec)
	}

	// Case C: a request nobody deploys. At exactly 24 h the clock has not run
	// out; a minute later it has.
	waiting := s.openCase("nl.coordinator", "Reserve awaited", amberCaseAudience)
	reqC, _ := s.requestReserve("nl.coordinator", waiting, reserveBody("C"))
	s.clock.Advance(24 * time.Hour)
	v, _ = s.caseOf("nl.coordinator", waiting)
	if k := clockOf(t, v, reqC); k.State != "running" || k.Overdue {
		t.Errorf("at exactly 24 h: %+v, want still running", k)
	}
	s.clock.Advance(time.Minute)
	v, _ = s.caseOf("nl.coordinator", waiting)
	if k := clockOf(t, v, reqC); k.State != "overdue" || !k.Overdue || !strings.HasPrefix(k.Text, "overdue: not deployed") {
		t.Errorf("24 h 1 min without deployment: %+v, want overdue", k)
	}
	s.wantStep(caseView{Playbook: v.Playbook}, "deploy-reserve", "", "overdue")

	// The case list counts the missed clocks: A's and C's, not B's.
	for _, who := range []string{"nl.coordinator", "dk.chair"} {
		got := s.reserveOverdue(who)
		if got[late] != 1 || got[inTime] != 0 || got[waiting] != 1 {
			t.Errorf("%s's case list: reserve_overdue late=%d in-time=%d awaited=%d, want 1, 0, 1", who, got[late], got[inTime], got[waiting])
		}
	}
}

// TestReserveRequestRules: who may request Reserve services and who moves a
// request on (§55(b)(v); Regulation 2025/38 arts. 14–16), what a request must
// hold, and that another Member State's CSIRT is told of the request (the
// node's notice to the CSIRTs Network) without reading what was asked.
func TestReserveRequestRules(t *testing.T) {
	s := newScenario(t)
	s.addPerson("certeu", "cert-eu", "coordinator")
	const withCERTEU = `{"tlp":"TLP:AMBER","audience":{"kind":"organisations","ids":["nl-ncsc","be-ccb","fi-ncsc","dk-ccma","presidency","commission","enisa","cert-eu"]}}`
	rules := s.openCase("nl.coordinator", "Who may request the Reserve", withCERTEU)
	path := "/api/v1/cases/" + rules + "/reserve-requests"

	// Art. 14(3): a Member State's CSIRT or crisis authority, through its
	// single point of contact, or CERT-EU for the Union entities. Analysts do
	// not decide; Union bodies other than CERT-EU are not users.
	for _, c := range []struct {
		who, requester string
	}{
		{"nl.coordinator", "NL"}, {"be.coordinator", "BE"}, {"dk.chair", "DK"}, {"certeu", "EU"},
	} {
		id, v := s.requestReserve(c.who, rules, reserveBody(c.who))
		r, _ := v.Case.ReserveRequest(id)
		if r.Requester != c.requester {
			t.Errorf("%s's request: requester %q, want %q", c.who, r.Requester, c.requester)
		}
	}
	for _, who := range []string{"nl.analyst", "presidency", "commission", "enisa"} {
		s.wantProblem(who, path, reserveBody("refused"), http.StatusForbidden, "")
	}
	// Each of art. 15's six fields is required, and the problem names it.
	for _, field := range []string{"affected_entity", "impact", "planned_use", "estimated_needs", "mitigation_taken", "other_support"} {
		body := reserveBody("missing")
		body[field] = "  "
		s.wantProblem("nl.coordinator", path, body, http.StatusUnprocessableEntity, field)
	}

	// A second case: NL requests with its content marked for itself and the
	// Commission only. BE's CSIRT sees the case, and the node's notice.
	s.caseID = s.openCase("nl.coordinator", "Reserve for NL", amberCaseAudience)
	base := "/api/v1/cases/" + s.caseID
	// §7(c): NL's response capacity is exceeded, which offers the request.
	s.record("nl.coordinator", base+"/signals", map[string]string{"kind": "response-capacity-exceeded", "detail": "all incident responders committed"})
	s.wantStep(s.view("nl.coordinator"), "request-reserve", "", "pending")
	body := reserveBody("NL")
	body["marking"] = json.RawMessage(`{"tlp":"TLP:AMBER+STRICT","audience":{"kind":"organisations","ids":["nl-ncsc","commission"]}}`)
	id, _ := s.requestReserve("nl.coordinator", s.caseID, body)
	v := s.view("nl.coordinator")
	s.wantStep(v, "request-reserve", "", "done")
	s.wantStep(v, "deploy-reserve", "", "pending")

	be, raw := s.caseOf("be.coordinator", s.caseID)
	r, ok := be.Case.ReserveRequest(id)
	switch {
	case !ok:
		t.Fatalf("BE's CSIRT, notified through the CSIRTs Network, does not see the request: %+v", be.Case.Reserve)
	case r.Content != nil:
		t.Errorf("BE's CSIRT reads the content marked for NL and the Commission: %+v", r.Content)
	case r.Requester != "NL" || r.Status != crisis.ReserveRequested || r.RequestedAt.IsZero() || r.Notice == nil:
		t.Errorf("BE's CSIRT's view of the request: %+v, want requester, time, status and the notice", r)
	}
	md := s.sitrepDraft("be.coordinator", s.caseID, sitrep.Operational, json.RawMessage(amberBothNetworks), "md")
	for _, secret := range contentStrings("NL") {
		if strings.Contains(raw, secret) {
			t.Errorf("BE's view of the case contains %q", secret)
		}
		if strings.Contains(md, secret) {
			t.Errorf("BE's operational report contains %q", secret)
		}
	}
	// The Commission, named in the content's marking, reads it.
	if c, _ := s.caseOf("commission", s.caseID); c.Case.Reserve[0].Content == nil {
		t.Error("the Commission, named in the request's marking, does not read it")
	}

	// The order of the statuses, and who records each.
	status := base + "/reserve-requests/" + id + "/status"
	s.wantProblem("commission", status, map[string]string{"status": "deployed"}, http.StatusUnprocessableEntity, "status")
	s.wantProblem("commission", status, map[string]string{"status": "dispatched"}, http.StatusUnprocessableEntity, "status")
	s.wantProblem("commission", status, map[string]string{"status": "refused"}, http.StatusUnprocessableEntity, "note")
	for _, who := range []string{"nl.coordinator", "be.coordinator", "dk.chair", "presidency"} {
		s.wantProblem(who, status, map[string]string{"status": "assessed"}, http.StatusForbidden, "")
	}
	s.wantProblem("commission", base+"/reserve-requests/reserve-999/status", map[string]string{"status": "assessed"}, http.StatusNotFound, "")
	s.moveReserve("enisa", s.caseID, id, "assessed")
	s.moveReserve("commission", s.caseID, id, "approved")
	s.clock.Advance(25 * time.Hour)
	v = caseView{Playbook: s.moveReserve("commission", s.caseID, id, "deployed").Playbook}
	if st := s.wantStep(v, "deploy-reserve", "", "done"); !st.Late {
		t.Errorf("deploy-reserve done at 25 h should be late: %+v", st)
	}
	// The user's report (art. 16) follows the end of the support, and is the
	// requester's to give.
	s.wantProblem("nl.coordinator", status, map[string]string{"status": "reported"}, http.StatusUnprocessableEntity, "status")
	ended := s.moveReserve("enisa", s.caseID, id, "ended")
	if k := clockOf(t, ended, id); !k.ReportDue.Equal(s.clock.Now().AddDate(0, 1, 0)) {
		t.Errorf("the user's report is due %s, want a month after the end", k.ReportDue)
	}
	for _, who := range []string{"commission", "be.coordinator", "nl.analyst"} {
		s.wantProblem(who, status, map[string]string{"status": "reported"}, http.StatusForbidden, "")
	}
	done := s.moveReserve("nl.coordinator", s.caseID, id, "reported")
	if r, _ := done.Case.ReserveRequest(id); r.Status != crisis.ReserveReported || r.ReportedAt.IsZero() {
		t.Errorf("after the user's report: %+v", r)
	}
	s.wantProblem("commission", status, map[string]string{"status": "ended"}, http.StatusConflict, "")

	// A refusal needs a note and stops the clock.
	id2, _ := s.requestReserve("be.coordinator", s.caseID, reserveBody("BE"))
	refused := s.record("commission", base+"/reserve-requests/"+id2+"/status", map[string]string{"status": "refused", "note": "not a large-scale incident"})
	if k := clockOf(t, refused, id2); k.State != "refused" || k.Overdue {
		t.Errorf("refused request's clock: %+v", k)
	}
	s.wantProblem("commission", base+"/reserve-requests/"+id2+"/status", map[string]string{"status": "assessed"}, http.StatusConflict, "")
}

// TestMilitaryNoticeOnlyForCyCLONeAndEEAS is the attacker side of §70 and the
// done-when "a CSIRT user cannot see a military-capability notice by any
// exit": DK's crisis authority notifies the use of military capabilities;
// EU-CyCLONe's members and secretariat and the EEAS read it; no CSIRT — not
// the CSIRTs Network's chair, not DK's own CSIRT — nor the Commission learns
// of it through the case, the case list, the case room page, any situation
// report, the live stream, the audit trail or a command's answer, while they
// all see the rest of the case.
func TestMilitaryNoticeOnlyForCyCLONeAndEEAS(t *testing.T) {
	s := newScenario(t)
	srv := httptest.NewServer(s.h)
	t.Cleanup(srv.Close)
	s.addOrganisation(auth.OrganisationRequest{ID: "dk-cert", Name: "CFCS", NationalKind: "csirt", MemberState: "DK"})
	s.addPerson("dk.cert", "dk-cert", "coordinator")
	s.addPerson("eeas.officer", "eeas", "coordinator")
	// The case is for every organisation involved, so each sees it and its
	// other records: only the notice's own marking may hide the notice.
	const everyone = `{"tlp":"TLP:AMBER","audience":{"kind":"organisations","ids":["nl-ncsc","be-ccb","fi-ncsc","dk-ccma","dk-cert","presidency","commission","enisa","eeas"]}}`
	s.caseID = s.openCase("nl.analyst", "Hospital ransomware", everyone)
	base := "/api/v1/cases/" + s.caseID
	s.as("nl.analyst", "POST", base+"/reports", map[string]string{"report": s.fileReport("nl.analyst", "NL")}, http.StatusOK)
	// Large-scale with significant impact: the Commission is a member of
	// EU-CyCLONe for this case (§20), yet not one the notice is given to.
	v := s.record("dk.chair", base+"/decisions", map[string]string{"authority": "cyclone-assessment", "level": "large-scale", "reason": "hospitals in NL"})
	if c, _ := s.caseOf("commission", s.caseID); !c.Commission.Member {
		t.Fatal("§20 should hold for the Commission in this case")
	}

	// §70: the notice needs the capabilities' user and provider to agree, and
	// says national or multinational.
	notices := base + "/military-notices"
	s.wantProblem("dk.chair", notices, map[string]any{"capabilities": "national", "provider_agreed": false, "detail": "x"}, http.StatusUnprocessableEntity, "provider_agreed")
	s.wantProblem("dk.chair", notices, map[string]any{"capabilities": "naval", "provider_agreed": true, "detail": "x"}, http.StatusUnprocessableEntity, "capabilities")
	s.wantProblem("presidency", notices, map[string]any{"capabilities": "national", "provider_agreed": true, "detail": "x"}, http.StatusForbidden, "")

	// Every stream is open before the notice.
	watchers := []string{"dk.chair", "nl.coordinator", "fi.chair", "dk.cert", "be.coordinator", "commission"}
	streams := map[string]<-chan liveFrame{}
	for _, who := range watchers {
		streams[who] = openLive(t, srv, s.people[who], "?case="+s.caseID)
	}
	const secret = "MILITARY-SECRET-DETAIL"
	const visible = "VISIBLE-RECOVERY-DETAIL"
	before := v.Case.Version
	s.record("dk.chair", notices, map[string]any{"capabilities": "multinational", "provider_agreed": true, "detail": secret + ": cyber command teams at two hospitals"})
	// A record everyone in the case sees, right after the notice.
	s.record("dk.chair", base+"/recovery", map[string]any{"sector": "health", "function": "emergency admissions", "state": "restoring", "detail": visible})

	// The recorded notice: AMBER+STRICT for EU-CyCLONe's members, chair and
	// secretariat and the EEAS (§70), never for the CSIRTs or the Commission.
	recs, err := s.d.Cases.Events(t.Context(), s.caseID)
	if err != nil {
		t.Fatal(err)
	}
	var notice event.Event
	for _, r := range recs {
		if r.Event.Type == crisis.EventMilitaryNotice {
			notice = r.Event
		}
	}
	if notice.ID == "" {
		t.Fatal("no military notice event recorded")
	}
	if notice.Version != before+1 {
		t.Fatalf("the notice is version %d, want %d", notice.Version, before+1)
	}
	m := notice.Marking
	if m.TLP != tlp.AmberStrict || m.Audience.Kind != tlp.Organisations {
		t.Errorf("the notice's marking: %+v, want TLP:AMBER+STRICT for organisations", m)
	}
	for _, org := range []string{"dk-ccma", "eeas", "enisa"} {
		if !slices.Contains(m.Audience.IDs, org) {
			t.Errorf("the notice is not for %s: %v", org, m.Audience.IDs)
		}
	}
	for _, org := range []string{"nl-ncsc", "fi-ncsc", "be-ccb", "dk-cert", "commission", "presidency"} {
		if slices.Contains(m.Audience.IDs, org) {
			t.Errorf("the notice is for %s: %v", org, m.Audience.IDs)
		}
	}

	// Those it is for read it.
	for _, who := range []string{"dk.chair", "eeas.officer", "enisa"} {
		v, _ := s.caseOf(who, s.caseID)
		if len(v.Case.MilitaryNotices) != 1 || !strings.HasPrefix(v.Case.MilitaryNotices[0].Detail, secret) || v.Case.MilitaryNotices[0].MemberState != "DK" {
			t.Errorf("%s does not read the notice: %+v", who, v.Case.MilitaryNotices)
		}
	}
	// The case room's Union response tab shows it to dk.chair: the page is an
	// exit the notice does go through.
	if page := s.people["dk.chair"].uiGet("/cases/" + s.caseID + "?tab=response"); !strings.Contains(page.Body.String(), secret) {
		t.Errorf("dk.chair's Union response tab does not show the notice: %d", page.Code)
	}
	// dk.chair's own audit trail records reading it, by event id: the audit is
	// an exit the notice's id does go through.
	if rec := s.as("dk.chair", "GET", "/api/v1/audit?limit=500", nil, http.StatusOK); !strings.Contains(string(rec), notice.ID) {
		t.Error("dk.chair's audit trail does not record reading the notice")
	}
	// dk.chair's case room hears of the notice.
	if f := nextVersion(t, streams["dk.chair"], notice.Version); f.data.Version != notice.Version || f.data.Type != crisis.EventMilitaryNotice {
		t.Errorf("dk.chair's case room: %+v, want the notice", f)
	}

	hidden := []string{secret, notice.ID}
	leaks := func(who, exit, body string) {
		t.Helper()
		for _, h := range hidden {
			if strings.Contains(body, h) {
				t.Errorf("%s reaches the notice through %s: it contains %q", who, exit, h)
			}
		}
	}
	for _, who := range []string{"nl.coordinator", "nl.analyst", "fi.chair", "dk.cert", "be.coordinator", "commission", "presidency"} {
		// The case: no notice, no trace of it in the timeline, the playbook
		// step it completes not done; the recovery record is there.
		v, raw := s.caseOf(who, s.caseID)
		leaks(who, "GET /api/v1/cases/{id}", raw)
		if len(v.Case.MilitaryNotices) != 0 || strings.Contains(raw, crisis.EventMilitaryNotice) {
			t.Errorf("%s's case view holds the notice or its event type", who)
		}
		if !strings.Contains(raw, visible) {
			t.Errorf("%s does not see the rest of the case: the recovery record is missing", who)
		}
		if st := s.step(caseView{Playbook: v.Playbook}, "military-capabilities-notice", ""); st.State == "done" {
			t.Errorf("%s's playbook shows the notice step done: %+v", who, st)
		}
		// The case list.
		leaks(who, "GET /api/v1/cases", string(s.as(who, "GET", "/api/v1/cases", nil, http.StatusOK)))
		// The case room, every tab of it.
		for _, tab := range caseTabs {
			page := s.people[who].uiGet("/cases/" + s.caseID + "?tab=" + tab.name)
			if page.Code != http.StatusOK {
				t.Fatalf("%s's case room, tab %s: %d", who, tab.name, page.Code)
			}
			leaks(who, "the case room's "+tab.name+" tab", page.Body.String())
		}
		// Every kind of situation report, in every format, marked for the
		// notice's own audience (which would admit it) and for the case.
		for _, marking := range []json.RawMessage{json.RawMessage(mustMarshal(t, m)), json.RawMessage(everyone)} {
			for _, kind := range sitrep.Kinds() {
				formats := []string{"json", "md", "html"}
				if kind == sitrep.Operational {
					formats = append(formats, "pdf")
				}
				for _, format := range formats {
					leaks(who, "a "+string(kind)+" report in "+format, s.sitrepDraft(who, s.caseID, kind, marking, format))
				}
			}
		}
		// The audit trail.
		leaks(who, "GET /api/v1/audit", string(s.as(who, "GET", "/api/v1/audit?limit=500", nil, http.StatusOK)))
	}
	// The live stream: the next change a CSIRT or the Commission hears of
	// after the notice is the recovery record, never the notice.
	for _, who := range watchers[1:] {
		f := nextVersion(t, streams[who], notice.Version)
		if f.data.Version == notice.Version || f.data.Type == crisis.EventMilitaryNotice || strings.Contains(f.raw, "military") {
			t.Errorf("%s's case room heard of the notice: %+v", who, f)
		}
		if f.data.Version != notice.Version+1 || f.data.Type != crisis.EventRecoveryRecorded {
			t.Errorf("%s's case room: %+v, want the recovery record (version %d)", who, f, notice.Version+1)
		}
	}

	// A command's answer is the caller's view: an analyst refused, or another
	// Member State's CSIRT notifying its own use, gets nothing of DK's notice.
	leaks("nl.analyst", "a refused notice", s.wantProblem("nl.analyst", notices, map[string]any{"capabilities": "national", "provider_agreed": true, "detail": "x"}, http.StatusForbidden, ""))
	raw := s.as("be.coordinator", "POST", notices, map[string]any{"capabilities": "national", "provider_agreed": true, "detail": "BE-OWN-NOTICE"}, http.StatusOK)
	leaks("be.coordinator", "its own notice's answer", string(raw))
	var own responseView
	mustUnmarshal(t, raw, &own)
	if len(own.Case.MilitaryNotices) != 1 || own.Case.MilitaryNotices[0].MemberState != "BE" {
		t.Errorf("BE's CSIRT, a national authority, notifies its own use and reads only its notice: %+v", own.Case.MilitaryNotices)
	}
	// BE's notice is for EU-CyCLONe, the EEAS and BE, not for NL.
	if _, raw := s.caseOf("nl.coordinator", s.caseID); strings.Contains(raw, "BE-OWN-NOTICE") {
		t.Error("NL's CSIRT reads BE's military notice")
	}
	if v, _ := s.caseOf("eeas.officer", s.caseID); len(v.Case.MilitaryNotices) != 2 {
		t.Errorf("the EEAS reads %d notices, want DK's and BE's", len(v.Case.MilitaryNotices))
	}
}

// nextVersion waits for the stream's first change at or after a version of
// the case (changes from before the stream opened may still arrive first).
func nextVersion(t *testing.T, frames <-chan liveFrame, from int64) liveFrame {
	t.Helper()
	for {
		f, ok := nextLive(t, frames, 3*time.Second)
		if !ok {
			t.Fatalf("no change at or after version %d within 3 s", from)
		}
		if f.data.Version >= from {
			return f
		}
	}
}

// stepDone checks that a playbook step is done by the given event.
func (s *scenario) stepDone(v responseView, id, doneBy string) {
	s.t.Helper()
	st := s.wantStep(caseView{Playbook: v.Playbook}, id, "", "done")
	if doneBy != "" && st.DoneBy != doneBy {
		s.t.Errorf("step %s done by %s, want %s", id, st.DoneBy, doneBy)
	}
}

// TestUnionResponseRecordsAndPlaybook records each part of the Union response
// once, by the competent actor, with the refusals and invalid fields around
// it, and checks the playbook steps each completes (§55(b)(iv), §55(c)(ii),
// §55(c)(vi), §59–§65, §72, §73).
func TestUnionResponseRecordsAndPlaybook(t *testing.T) {
	s := newScenario(t)
	s.caseID = s.openCase("nl.coordinator", "Hospital ransomware", amberCaseAudience)
	base := "/api/v1/cases/" + s.caseID
	// The steps apply from large-scale (§55(b)), NATO's points of contact from
	// a cyber crisis (§65); what completes them is recorded after.
	s.record("dk.chair", base+"/decisions", map[string]string{"authority": "cyclone-assessment", "level": "large-scale", "reason": "hospitals in several Member States"})
	s.record("dk.chair", base+"/signals", map[string]string{"kind": "internal-market-hindered", "detail": "medical supply chain halted"})
	s.record("presidency", base+"/decisions", map[string]string{"authority": "crisis-determination", "level": "cyber-crisis", "reason": "internal market hindered"})
	now := s.clock.Now()

	// §55(c)(vi): the Presidency records that the case is part of a hybrid
	// campaign; the Hybrid Toolbox and the EU HRRTs are then suggested.
	hybrid := map[string]any{"flagged": true, "reason": "coordinated disinformation alongside the attack"}
	for _, who := range []string{"nl.coordinator", "fi.chair", "enisa", "nl.analyst"} {
		s.wantProblem(who, base+"/hybrid", hybrid, http.StatusForbidden, "")
	}
	v := s.record("presidency", base+"/hybrid", hybrid)
	var suggested []string
	for _, m := range v.Mechanisms {
		suggested = append(suggested, m.Mechanism)
	}
	if v.Case.Hybrid == nil || !v.Case.Hybrid.Flagged || !slices.Contains(suggested, "hybrid-toolbox") || !slices.Contains(suggested, "eu-hrrt") {
		t.Errorf("after the hybrid flag: %+v, suggested %v", v.Case.Hybrid, suggested)
	}
	s.wantProblem("commission", base+"/hybrid", hybrid, http.StatusConflict, "")

	// §55(b)(iv)(a): NL requests a mechanism; the Commission, which runs it,
	// records its activation.
	mech := base + "/mechanisms"
	s.wantProblem("nl.coordinator", mech, map[string]string{"mechanism": "no-such-mechanism", "action": "requested", "detail": "x"}, http.StatusUnprocessableEntity, "mechanism")
	s.wantProblem("nl.analyst", mech, map[string]string{"mechanism": "ewrs", "action": "requested", "detail": "x"}, http.StatusForbidden, "")
	v = s.record("nl.coordinator", mech, map[string]string{"mechanism": "ewrs", "action": "requested", "detail": "hospital capacity alerts"})
	requested := v.Case.MechanismLog[0]
	if requested.MemberState != "NL" || requested.Action != crisis.MechanismRequested {
		t.Errorf("NL's mechanism request: %+v", requested)
	}
	s.wantProblem("nl.coordinator", mech, map[string]string{"mechanism": "ewrs", "action": "activated", "detail": "x"}, http.StatusForbidden, "")
	v = s.record("commission", mech, map[string]string{"mechanism": "ewrs", "action": "activated", "detail": "EWRS alert issued"})
	if len(v.Case.MechanismLog) != 2 || v.Case.MechanismLog[1].Action != crisis.MechanismActivated {
		t.Errorf("after the activation: %+v", v.Case.MechanismLog)
	}

	// §55(b)(iv)(c): the Commission's integrated analysis, with options.
	analysis := map[string]any{"analysis": "cross-sector effects on health and logistics", "options": []string{}}
	s.wantProblem("commission", base+"/analyses", analysis, http.StatusUnprocessableEntity, "options")
	analysis["options"] = []string{"pool responders", "reroute supplies"}
	s.wantProblem("dk.chair", base+"/analyses", analysis, http.StatusForbidden, "")
	if v = s.record("commission", base+"/analyses", analysis); len(v.Case.Analyses) != 1 || len(v.Case.Analyses[0].Options) != 2 {
		t.Errorf("the integrated analysis: %+v", v.Case.Analyses)
	}

	// §59–§61: NL shares its advisory, under embargo for two hours; EU-CyCLONe's
	// chair records the overview for the Council.
	comm := base + "/communications"
	advisory := map[string]any{"kind": "advisory", "audience": "hospitals", "published_at": now.Format(time.RFC3339),
		"link": "ftp://x", "embargo_until": now.Add(2 * time.Hour).Format(time.RFC3339), "summary": "patch and segment"}
	s.wantProblem("nl.coordinator", comm, advisory, http.StatusUnprocessableEntity, "link")
	advisory["link"] = "https://ncsc.example/advisories/2026-12"
	v = s.record("nl.coordinator", comm, advisory)
	c := v.Case.Communications[0]
	if c.MemberState != "NL" || !c.Embargoed(now) || c.Link != "https://ncsc.example/advisories/2026-12" {
		t.Errorf("NL's advisory: %+v", c)
	}
	advisoryEvent := c.Event
	overview := map[string]any{"kind": "overview", "audience": "Council", "published_at": now.Format(time.RFC3339), "summary": "Member States' advisories aligned"}
	s.wantProblem("nl.coordinator", comm, overview, http.StatusForbidden, "")
	s.record("dk.chair", comm, overview)

	// §55(c)(ii), §62(a): the Commission proposes a measure, the Council
	// decides, and the Presidency records the decision.
	dip := base + "/diplomacy"
	s.record("commission", dip, map[string]string{"measure": "coordinated attribution statement", "stage": "proposed", "detail": "evidence shared"})
	decided := map[string]string{"measure": "coordinated attribution statement", "stage": "decided", "detail": "agreed in Coreper"}
	s.wantProblem("commission", dip, decided, http.StatusForbidden, "")
	v = s.record("presidency", dip, decided)
	if len(v.Case.Diplomacy) != 2 || v.Case.Diplomacy[1].Stage != crisis.DiplomacyDecided {
		t.Errorf("diplomacy: %+v", v.Case.Diplomacy)
	}

	// §65: the Commission's point of contact with NATO; §55(a)(vi): the CSIRTs
	// Network's with Europol, recorded by its chair.
	cp := base + "/contact-points"
	s.wantProblem("nl.coordinator", cp, map[string]string{"partner": "nato", "contact": "x"}, http.StatusForbidden, "")
	s.record("commission", cp, map[string]string{"partner": "nato", "contact": "DG CNECT liaison desk"})
	s.wantProblem("nl.coordinator", cp, map[string]string{"partner": "europol", "contact": "x"}, http.StatusForbidden, "")
	if v = s.record("fi.chair", cp, map[string]string{"partner": "europol", "contact": "EC3 duty officer"}); len(v.Case.ContactPoints) != 2 {
		t.Errorf("contact points: %+v", v.Case.ContactPoints)
	}

	// §72: NL records a core function restoring, then restored; only the
	// latest status of a function stands.
	rec := base + "/recovery"
	s.wantProblem("nl.coordinator", rec, map[string]string{"sector": "space-lasers", "function": "x", "state": "restored"}, http.StatusUnprocessableEntity, "sector")
	s.wantProblem("presidency", rec, map[string]string{"sector": "health", "function": "x", "state": "restored"}, http.StatusForbidden, "")
	s.record("nl.coordinator", rec, map[string]string{"sector": "health", "function": "emergency admissions", "state": "restoring"})
	v = s.record("nl.coordinator", rec, map[string]string{"sector": "health", "function": "emergency admissions", "state": "restored"})
	if len(v.Case.Recovery) != 1 || v.Case.Recovery[0].State != crisis.RecoveryRestored || v.Case.Recovery[0].MemberState != "NL" {
		t.Errorf("recovery: %+v, want one function of NL, restored", v.Case.Recovery)
	}

	// §73: the Commission asks ENISA for an incident review with NL's
	// agreement; ENISA delivers it.
	rev := base + "/reviews"
	review := map[string]any{"stage": "requested", "member_states": []string{"NL"}, "scope": "initial access and spread"}
	s.wantProblem("commission", rev, review, http.StatusUnprocessableEntity, "agreements")
	review["agreements"] = []map[string]string{{"party": "member-state:NL", "at": now.Format(time.RFC3339)}}
	s.wantProblem("nl.coordinator", rev, review, http.StatusForbidden, "")
	v = s.record("commission", rev, review)
	reviewID := v.Case.Reviews[0].ID
	delivery := map[string]string{"stage": "delivered", "review": reviewID, "delivery": "report in the ENISA portal"}
	s.wantProblem("commission", rev, delivery, http.StatusForbidden, "")
	if v = s.record("enisa", rev, delivery); v.Case.Reviews[0].Stage != crisis.ReviewDelivered {
		t.Errorf("the review after delivery: %+v", v.Case.Reviews[0])
	}

	// The playbook, as ENISA sees it (it reads every record of the case).
	v, _ = s.caseOf("enisa", s.caseID)
	s.stepDone(v, "share-public-communication", advisoryEvent) // NL's advisory, not EU-CyCLONe's overview
	s.stepDone(v, "communication-overview", "")
	s.stepDone(v, "request-union-mechanism", v.Case.MechanismLog[0].Event)
	s.stepDone(v, "council-measures", "")
	s.stepDone(v, "diplomatic-response", v.Case.Diplomacy[1].Event)
	s.stepDone(v, "nato-contact-points-commission", v.Case.ContactPoints[0].Event)
	s.stepDone(v, "europol-contact-points", v.Case.ContactPoints[1].Event)
	s.stepDone(v, "restore-core-functions", "")
	s.stepDone(v, "incident-review", v.Case.Reviews[0].Event)
	// A step done_by an actor is not completed by another's record: no
	// communication of the Commission's own, nor a NATO contact by the EEAS.
	s.wantStep(caseView{Playbook: v.Playbook}, "commission-public-communication", "", "pending")
	s.wantStep(caseView{Playbook: v.Playbook}, "nato-contact-points-eeas", "", "pending")
}

// TestUnionResponseRefusedOnClosedCase: a closed case takes no more response
// records (409) until it is reopened.
func TestUnionResponseRefusedOnClosedCase(t *testing.T) {
	s := newScenario(t)
	s.caseID = s.openCase("nl.coordinator", "Closed case", amberCaseAudience)
	base := "/api/v1/cases/" + s.caseID
	s.record("presidency", base+"/closure", map[string]string{"reason": "systems restored"})
	for path, body := range map[string]any{
		"/reserve-requests": reserveBody("closed"),
		"/communications": map[string]any{"kind": "advisory", "audience": "hospitals", "published_at": s.clock.Now().Format(time.RFC3339),
			"summary": "patch"},
		"/recovery": map[string]string{"sector": "health", "function": "emergency admissions", "state": "restored"},
	} {
		s.wantProblem("nl.coordinator", base+path, body, http.StatusConflict, "")
	}
}

// TestReserveClockUnknownOutsideTheNetworks: the Presidency may read a
// request marked like the case, but the node's notice and the statuses go to
// the CSIRTs Network and EU-CyCLONe only. It must not be told the services are
// overdue when they came in time: its clock says it cannot know, nothing is
// counted overdue, and the deployment step does not apply in its playbook.
func TestReserveClockUnknownOutsideTheNetworks(t *testing.T) {
	s := newScenario(t)
	id := s.openCase("nl.coordinator", "Reserve seen from outside the networks", amberCaseAudience)
	request, _ := s.requestReserve("nl.coordinator", id, reserveBody("P"))
	s.clock.Advance(2 * time.Hour)
	s.moveReserve("commission", id, request, "assessed", "approved", "deployed")
	s.clock.Advance(30 * time.Hour)

	nl, _ := s.caseOf("nl.coordinator", id)
	if k := clockOf(t, nl, request); k.State != "deployed-in-time" || k.Overdue {
		t.Fatalf("NL's clock: %+v, want deployed in time", k)
	}
	pres, body := s.caseOf("presidency", id)
	if len(pres.Case.Reserve) != 1 || pres.Case.Reserve[0].Content == nil || pres.Case.Reserve[0].Notice != nil {
		t.Fatalf("the Presidency should read the request but not the notice: %+v", pres.Case.Reserve)
	}
	if k := clockOf(t, pres, request); k.State != "unknown" || k.Overdue || !strings.Contains(k.Text, "do not see it") {
		t.Errorf("the Presidency's clock: %+v, want unknown and not overdue", k)
	}
	if strings.Contains(body, "recorded deployed") {
		t.Error("the Presidency reads a status marked for the networks")
	}
	if n := s.reserveOverdue("presidency")[id]; n != 0 {
		t.Errorf("the Presidency's case list counts %d missed Reserve clocks", n)
	}
	for _, st := range pres.Playbook {
		if st.Step.ID == "deploy-reserve" && st.State != "not-applicable" {
			t.Errorf("deploy-reserve in the Presidency's playbook: %s, want not applicable", st.State)
		}
	}
}

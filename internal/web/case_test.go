package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/model"
)

// The case scenario (R5, R6, R8, R18): one case driven through the HTTP API
// from a first national report to a cyber crisis and back to closure. At every
// step it checks the suggested level and its reasons, the decided level, that
// the decision is refused (403) to every official but the competent one, and
// the playbook under an injected clock.

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type scenario struct {
	t      *testing.T
	h      http.Handler
	d      Deps
	clock  *testClock
	people map[string]*client
	caseID string
}

// officials: who they are, in which organisation, with which role.
var officials = []struct{ name, org, role string }{
	{"nl.coordinator", "nl-ncsc", "coordinator"},
	{"nl.analyst", "nl-ncsc", "analyst"},
	{"be.coordinator", "be-ccb", "coordinator"},
	{"fi.chair", "fi-ncsc", "coordinator"}, // FI's CSIRT chairs the CSIRTs Network
	{"dk.chair", "dk-ccma", "coordinator"}, // DK's crisis authority chairs EU-CyCLONe
	{"presidency", "presidency", "coordinator"},
	{"commission", "commission", "coordinator"},
	{"enisa", "enisa", "coordinator"},
}

func newScenario(t *testing.T) *scenario {
	t.Helper()
	d := MustDeps(t)
	clock := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	d.Reports.Now, d.Cases.Now, d.Publications.Now = clock.Now, clock.Now, clock.Now
	ctx := t.Context()
	admin, _ := d.Auth.Dir.UserByUsername("admin")
	for _, o := range []auth.OrganisationRequest{
		{ID: "nl-ncsc", Name: "NCSC-NL", NationalKind: "csirt", MemberState: "NL"},
		{ID: "be-ccb", Name: "CCB", NationalKind: "csirt", MemberState: "BE"},
		{ID: "fi-ncsc", Name: "NCSC-FI", NationalKind: "csirt", MemberState: "FI"},
		{ID: "dk-ccma", Name: "SAMSIK", NationalKind: "cyber-crisis-management-authority", MemberState: "DK"},
	} {
		if _, err := d.Auth.RegisterOrganisation(ctx, admin, o); err != nil {
			t.Fatal(err)
		}
	}
	for org, network := range map[string]string{"fi-ncsc": "csirts-network", "dk-ccma": "eu-cyclone"} {
		if _, err := d.Auth.GrantMembership(ctx, admin, org, auth.Membership{Network: network, Role: model.RoleChair}); err != nil {
			t.Fatal(err)
		}
	}
	s := &scenario{t: t, d: d, h: NewServer(d), clock: clock, people: map[string]*client{}}
	for _, o := range officials {
		pw := o.name + " long passphrase"
		if _, err := d.Auth.CreateUser(ctx, admin, auth.UserRequest{Username: o.name, DisplayName: o.name, Organisation: o.org, Role: o.role, Password: pw}); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, s.h)
		c.MustLogin(o.name, pw)
		s.people[o.name] = c
	}
	return s
}

// as makes one request as an official and checks the status.
func (s *scenario) as(who, method, path string, body any, want int) []byte {
	s.t.Helper()
	rec := s.people[who].json(method, path, body, method != "GET")
	if rec.Code != want {
		s.t.Fatalf("%s %s %s: %d, want %d: %s", who, method, path, rec.Code, want, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// onlyBy tries a command as every official: all but the competent one get 403
// and change nothing; then the competent one records it.
func (s *scenario) onlyBy(competent, path string, body any) caseView {
	s.t.Helper()
	before := s.view("enisa").Case.Version
	for _, o := range officials {
		if o.name == competent {
			continue
		}
		rec := s.people[o.name].json("POST", path, body, true)
		if rec.Code != http.StatusForbidden {
			s.t.Fatalf("%s may not %s, yet got %d: %s", o.name, path, rec.Code, rec.Body.String())
		}
	}
	if after := s.view("enisa").Case.Version; after != before {
		s.t.Fatalf("refused requests changed the case: version %d → %d", before, after)
	}
	var v caseView
	mustUnmarshal(s.t, s.as(competent, "POST", path, body, http.StatusOK), &v)
	return v
}

// caseView is the part of the answer the scenario reads.
type caseView struct {
	Case struct {
		Version int64  `json:"version"`
		Level   string `json:"level"`
		Closed  bool   `json:"closed"`
		IPCR    struct {
			Mode string `json:"mode"`
		} `json:"ipcr"`
	} `json:"case"`
	Ladder struct {
		Decided   string `json:"decided"`
		Suggested string `json:"suggested"`
		Unread    int    `json:"unread_reports"`
		Criteria  []struct {
			Rule   string `json:"rule"`
			Met    bool   `json:"met"`
			Reason string `json:"reason"`
		} `json:"criteria"`
	} `json:"ladder"`
	Commission struct {
		Member bool   `json:"member"`
		Reason string `json:"reason"`
	} `json:"commission_membership"`
	Reports   []json.RawMessage `json:"reports"`
	Playbook  []stepStatus      `json:"playbook"`
	NextSteps []stepStatus      `json:"next_steps"`
	Timeline  []json.RawMessage `json:"timeline"`
}

type stepStatus struct {
	Step struct {
		ID    string `json:"id"`
		Ref   string `json:"ref"`
		Owner string `json:"owner"`
	} `json:"step"`
	Instance    string    `json:"instance"`
	MemberState string    `json:"member_state"`
	State       string    `json:"state"`
	Due         time.Time `json:"due"`
	DoneBy      string    `json:"done_by"`
	Late        bool      `json:"late"`
}

func (s *scenario) view(who string) caseView {
	s.t.Helper()
	var v caseView
	mustUnmarshal(s.t, s.as(who, "GET", "/api/v1/cases/"+s.caseID, nil, http.StatusOK), &v)
	return v
}

func (s *scenario) wantLadder(v caseView, decided, suggested string, reasons ...string) {
	s.t.Helper()
	if v.Ladder.Decided != decided || v.Ladder.Suggested != suggested {
		s.t.Fatalf("ladder: decided %s, suggested %s; want %s, %s", v.Ladder.Decided, v.Ladder.Suggested, decided, suggested)
	}
	for _, want := range reasons {
		found := false
		for _, c := range v.Ladder.Criteria {
			if c.Met && strings.Contains(c.Reason, want) {
				found = true
			}
		}
		if !found {
			s.t.Errorf("no met criterion says %q; criteria: %+v", want, v.Ladder.Criteria)
		}
	}
}

// step finds a playbook step's status (for per-report steps, the Member State's).
func (s *scenario) step(v caseView, id, memberState string) stepStatus {
	s.t.Helper()
	for _, st := range v.Playbook {
		if st.Step.ID == id && (memberState == "" || st.MemberState == memberState) {
			return st
		}
	}
	s.t.Fatalf("no playbook step %s %s", id, memberState)
	return stepStatus{}
}

func (s *scenario) wantStep(v caseView, id, memberState, state string) stepStatus {
	s.t.Helper()
	st := s.step(v, id, memberState)
	if st.State != state {
		s.t.Errorf("step %s %s: %s, want %s (due %s, now %s)", id, memberState, st.State, state, st.Due, s.clock.Now())
	}
	return st
}

const amberBothNetworks = `{"tlp":"TLP:AMBER","audience":{"kind":"networks","ids":["csirts-network","eu-cyclone"]}}`

// amberCaseAudience marks the case for every organisation of the scenario, so
// that refusals are 403s, not the 404 of a case one may not see. The reports
// stay marked for the two networks: the Presidency does not read them.
const amberCaseAudience = `{"tlp":"TLP:AMBER","audience":{"kind":"organisations","ids":["nl-ncsc","be-ccb","fi-ncsc","dk-ccma","presidency","commission","enisa"]}}`

// fileReport files a significant report for a Member State, aware an hour ago.
func (s *scenario) fileReport(who string, affected ...string) string {
	s.t.Helper()
	body := reportBody("Ransomware at hospitals reported by "+who, amberBothNetworks)
	now := s.clock.Now()
	body["detected_at"], body["aware_at"] = now.Add(-2*time.Hour).Format(time.RFC3339), now.Add(-time.Hour).Format(time.RFC3339)
	body["impact"] = map[string]int{"service-delivery": 3, "affected-entities": 2, "other-services": 2, "damage": 2}
	body["outlook"] = "stable"
	body["affected_member_states"] = affected
	var rep struct {
		ID           string `json:"id"`
		Significance struct {
			Significant bool `json:"significant"`
		} `json:"significance"`
	}
	mustUnmarshal(s.t, s.as(who, "POST", "/api/v1/reports", body, http.StatusCreated), &rep)
	if !rep.Significance.Significant {
		s.t.Fatalf("the report should suggest significant")
	}
	return rep.ID
}

func TestCaseScenarioFromFirstReportToClosure(t *testing.T) {
	s := newScenario(t)
	start := s.clock.Now()

	// 02:40 — NL's CSIRT files a national report and opens a Union-level case.
	nlReport := s.fileReport("nl.analyst", "NL")
	s.as("nl.analyst", "POST", "/api/v1/cases", map[string]any{
		"title": "Ransomware at hospitals", "summary": "Encrypted systems at hospitals.", "marking": json.RawMessage(amberCaseAudience),
	}, http.StatusCreated)
	raw := s.as("nl.analyst", "GET", "/api/v1/cases", nil, http.StatusOK)
	var list casePage
	mustUnmarshal(t, raw, &list)
	if len(list.Items) != 1 {
		t.Fatalf("case list: %s", raw)
	}
	s.caseID = list.Items[0].ID
	v := s.view("nl.analyst")
	s.wantLadder(v, "incident", "incident")

	// Linking the report: significant impact in one Member State.
	s.as("nl.analyst", "POST", "/api/v1/cases/"+s.caseID+"/reports", map[string]string{"report": nlReport}, http.StatusOK)
	v = s.view("nl.analyst")
	s.wantLadder(v, "incident", "significant", "significant impact reported by NL")
	// The NIS2 clocks run on NL's report: filed within 24 h of awareness.
	s.wantStep(v, "nis2-early-warning", "NL", "done")
	notification := s.wantStep(v, "nis2-incident-notification", "NL", "pending")
	if want := start.Add(-time.Hour).Add(72 * time.Hour); !notification.Due.Equal(want) {
		t.Errorf("NIS2 notification due %s, want %s (72 h from awareness)", notification.Due, want)
	}

	// NL's authority decides significant (§7(b)); nobody else may.
	base := "/api/v1/cases/" + s.caseID
	v = s.onlyBy("nl.coordinator", base+"/decisions", map[string]string{"authority": "national-assessment", "level": "significant", "reason": "three hospitals diverting emergency care"})
	s.wantLadder(v, "significant", "significant")

	// BE reports the same: two Member States with significant impact.
	s.clock.Advance(time.Hour)
	beReport := s.fileReport("be.coordinator", "BE")
	s.as("be.coordinator", "POST", base+"/reports", map[string]string{"report": beReport}, http.StatusOK)
	v = s.view("enisa")
	s.wantLadder(v, "significant", "large-scale", "significant impact reported by BE and NL: at least two Member States, §7(c)")

	// The CSIRTs Network activates itself and advises potential large-scale (§49, §50).
	s.onlyBy("fi.chair", base+"/networks", map[string]any{"network": "csirts-network", "active": true, "reason": "cross-border incident"})
	v = s.onlyBy("fi.chair", base+"/decisions", map[string]string{"authority": "network-advice", "level": "potential-large-scale", "reason": "same actor in NL and BE"})
	s.wantLadder(v, "potential-large-scale", "large-scale")
	arr := s.wantStep(v, "procedural-arrangements", "", "pending")
	if want := s.clock.Now().Add(24 * time.Hour); arr.Due.Sub(want).Abs() > time.Second {
		t.Errorf("§51 arrangements due %s, want %s", arr.Due, want)
	}
	// The Commission is a member of EU-CyCLONe for this case from now on (§20).
	if !v.Commission.Member {
		t.Errorf("§20: the Commission should be a member now: %s", v.Commission.Reason)
	}

	// A day passes without arrangements: overdue.
	s.clock.Advance(25 * time.Hour)
	v = s.view("dk.chair")
	s.wantStep(v, "procedural-arrangements", "", "overdue")
	s.onlyBy("dk.chair", base+"/networks", map[string]any{"network": "eu-cyclone", "active": true, "reason": "potential large-scale"})
	arrangements := map[string]string{"text": "CSIRTs Network sends technical sitreps to EU-CyCLONe twice a day"}
	for _, o := range []string{"nl.coordinator", "presidency", "commission", "enisa"} {
		s.as(o, "POST", base+"/arrangements", arrangements, http.StatusForbidden)
	}
	v = s.onlyByEither([]string{"fi.chair", "dk.chair"}, base+"/arrangements", arrangements)
	if st := s.wantStep(v, "procedural-arrangements", "", "done"); !st.Late {
		t.Error("arrangements recorded after their clock ran out should be marked late")
	}

	// EU-CyCLONe's assessment: large-scale (§55(b)(iii), §7(c)).
	v = s.onlyBy("dk.chair", base+"/decisions", map[string]string{"authority": "cyclone-assessment", "level": "large-scale", "reason": "significant impact in NL and BE"})
	s.wantLadder(v, "large-scale", "large-scale")
	v = s.onlyBy("dk.chair", base+"/signals", map[string]string{"kind": "internal-market-hindered", "detail": "hospital supply chain halted across the Union"})
	s.wantLadder(v, "large-scale", "cyber-crisis", "EU-CyCLONe found that the large-scale incident hinders the proper functioning of the internal market, §7(d)")

	// IPCR full mode, after the consultations (Annex II(3)).
	consulted := []map[string]string{{"party": "member-state:NL", "at": s.clock.Now().Format(time.RFC3339)}, {"party": "member-state:BE", "at": s.clock.Now().Format(time.RFC3339)},
		{"party": "commission", "at": s.clock.Now().Format(time.RFC3339)}}
	ipcr := map[string]any{"mode": "full", "reason": "cross-sector crisis", "consultations": consulted}
	rec := s.people["presidency"].json("POST", base+"/ipcr", ipcr, true)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "high-representative") {
		t.Fatalf("full mode without consulting the HR: %d %s", rec.Code, rec.Body.String())
	}
	ipcr["consultations"] = append(consulted, map[string]string{"party": "high-representative", "at": s.clock.Now().Format(time.RFC3339)})
	v = s.onlyBy("presidency", base+"/ipcr", ipcr)
	if v.Case.IPCR.Mode != "full" {
		t.Fatalf("IPCR mode %s", v.Case.IPCR.Mode)
	}
	s.wantStep(v, "ipcr-roundtables", "", "pending")

	// The cyber-crisis determination (§7(d)).
	v = s.onlyBy("presidency", base+"/decisions", map[string]string{"authority": "crisis-determination", "level": "cyber-crisis", "reason": "internal market hindered"})
	s.wantLadder(v, "cyber-crisis", "cyber-crisis")
	v = s.onlyBy("presidency", base+"/roundtables", map[string]any{"held_at": s.clock.Now().Format(time.RFC3339), "summary": "first roundtable",
		"gaps": []map[string]string{{"description": "no common picture of hospital capacity", "invited_actor": "commission"}}})
	s.wantStep(v, "ipcr-roundtables", "", "done")
	// Katarzyna's and Marek's own next steps differ.
	for _, who := range []string{"presidency", "dk.chair"} {
		for _, st := range s.view(who).NextSteps {
			if st.State != "pending" && st.State != "overdue" {
				t.Errorf("%s's next steps hold a %s step %s", who, st.State, st.Step.ID)
			}
		}
	}

	// Back down: the Presidency ends the crisis, EU-CyCLONe de-escalates, and closes.
	s.clock.Advance(72 * time.Hour)
	v = s.onlyBy("dk.chair", base+"/signals", map[string]any{"kind": "internal-market-hindered", "ended": true, "detail": "supply chain restored"})
	s.wantLadder(v, "cyber-crisis", "large-scale")
	v = s.onlyBy("presidency", base+"/decisions", map[string]string{"authority": "crisis-determination", "level": "large-scale", "reason": "internal market functioning again"})
	// The Presidency reads neither report: its suggestion says so and uses
	// only what it may see; ENISA's uses both.
	if v.Ladder.Unread != 2 || v.Ladder.Suggested != "significant" {
		t.Errorf("the Presidency's ladder: %d unread reports, suggested %s", v.Ladder.Unread, v.Ladder.Suggested)
	}
	s.wantLadder(s.view("enisa"), "large-scale", "large-scale")
	v = s.onlyBy("dk.chair", base+"/decisions", map[string]string{"authority": "cyclone-assessment", "level": "significant", "reason": "recovery under way"})
	if v.Ladder.Decided != "significant" || v.Commission.Member {
		t.Fatalf("after de-escalation: decided %s, commission member %v", v.Ladder.Decided, v.Commission.Member)
	}
	v = s.onlyByEither([]string{"nl.coordinator", "be.coordinator", "fi.chair", "dk.chair", "presidency"}, base+"/closure", map[string]string{"reason": "systems restored"})
	if !v.Case.Closed {
		t.Fatal("the case is not closed")
	}
	s.as("fi.chair", "POST", base+"/decisions", map[string]string{"authority": "network-advice", "level": "potential-large-scale", "reason": "x"}, http.StatusConflict)

	// Rebuilding the case from its events gives the stored snapshot.
	recs, err := s.d.Cases.Events(t.Context(), s.caseID)
	if err != nil {
		t.Fatal(err)
	}
	rebuilt, err := cases.Rebuild(recs)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.d.Cases.Get(t.Context(), s.caseID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(mustJSONValue(t, rebuilt), mustJSONValue(t, stored)) {
		t.Errorf("rebuilt case differs from its snapshot:\nrebuilt %+v\nstored  %+v", rebuilt, stored)
	}
}

// onlyByEither: any of the competent officials may; the first records it.
func (s *scenario) onlyByEither(competent []string, path string, body any) caseView {
	s.t.Helper()
	for _, o := range officials {
		if slices.Contains(competent, o.name) {
			continue
		}
		if rec := s.people[o.name].json("POST", path, body, true); rec.Code != http.StatusForbidden {
			s.t.Fatalf("%s may not %s, yet got %d: %s", o.name, path, rec.Code, rec.Body.String())
		}
	}
	var v caseView
	mustUnmarshal(s.t, s.as(competent[0], "POST", path, body, http.StatusOK), &v)
	return v
}

func mustJSONValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCommissionMembershipOpensAccess: §20 is effective for access. While the
// case is a possible or ongoing large-scale incident with significant impact,
// the Commission reads what is marked for EU-CyCLONe in it; before and after,
// it does not.
func TestCommissionMembershipOpensAccess(t *testing.T) {
	s := newScenario(t)
	nlReport := s.fileReport("nl.analyst", "NL")
	var opened struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	mustUnmarshal(t, s.as("nl.analyst", "POST", "/api/v1/cases", map[string]any{"title": "Hospital ransomware", "marking": json.RawMessage(amberCaseAudience)}, http.StatusCreated), &opened)
	s.caseID = opened.Case.ID
	base := "/api/v1/cases/" + s.caseID
	s.as("nl.analyst", "POST", base+"/reports", map[string]string{"report": nlReport}, http.StatusOK)
	// Marked for EU-CyCLONe's members: its observers, the Commission among
	// them while §20 does not hold, may not read it.
	const secret = "detail marked for EU-CyCLONe's members only"
	s.as("dk.chair", "POST", base+"/signals", map[string]any{"kind": "hub-alert", "source": "Hub North", "detail": secret,
		"marking": json.RawMessage(`{"tlp":"TLP:AMBER","audience":{"kind":"networks","ids":["eu-cyclone/members"]}}`)}, http.StatusOK)

	sees := func() (bool, caseView) {
		t.Helper()
		body := s.as("commission", "GET", base, nil, http.StatusOK)
		var v caseView
		mustUnmarshal(t, body, &v)
		return strings.Contains(string(body), secret), v
	}
	if saw, v := sees(); saw || v.Commission.Member {
		t.Fatalf("at incident level the Commission observes EU-CyCLONe, yet member=%v, saw the item=%v", v.Commission.Member, saw)
	}
	s.as("fi.chair", "POST", base+"/decisions", map[string]string{"authority": "network-advice", "level": "potential-large-scale", "reason": "spreading"}, http.StatusOK)
	saw, v := sees()
	if !v.Commission.Member || !saw {
		t.Fatalf("§20 holds (%s), yet the Commission does not read EU-CyCLONe's item", v.Commission.Reason)
	}
	if len(v.Reports) != 1 {
		t.Errorf("the NL report, marked for both networks, should be in the Commission's view: %d reports", len(v.Reports))
	}
	// The same holds for a report marked for EU-CyCLONe's members, read on
	// its own: GET /api/v1/reports/{id} and its history.
	membersOnly := s.fileReportMarked("dk.chair", "MEMBERS-ONLY REPORT", `{"tlp":"TLP:AMBER","audience":{"kind":"networks","ids":["eu-cyclone/members"]}}`)
	s.as("dk.chair", "POST", base+"/reports", map[string]string{"report": membersOnly}, http.StatusOK)
	if body := s.as("commission", "GET", "/api/v1/reports/"+membersOnly, nil, http.StatusOK); !strings.Contains(string(body), "MEMBERS-ONLY REPORT") {
		t.Errorf("while §20 holds the Commission does not read the report: %s", body)
	}
	if body := s.as("commission", "GET", "/api/v1/reports/"+membersOnly+"/history", nil, http.StatusOK); !strings.Contains(string(body), "MEMBERS-ONLY REPORT") {
		t.Errorf("while §20 holds the Commission does not read the report's history: %s", body)
	}
	s.as("presidency", "GET", "/api/v1/reports/"+membersOnly, nil, http.StatusNotFound)
	s.as("dk.chair", "POST", base+"/decisions", map[string]string{"authority": "cyclone-assessment", "level": "significant", "reason": "contained"}, http.StatusOK)
	if saw, v := sees(); saw || v.Commission.Member {
		t.Fatalf("after de-escalation the Commission should observe again: member=%v, saw=%v", v.Commission.Member, saw)
	}
	s.as("commission", "GET", "/api/v1/reports/"+membersOnly, nil, http.StatusNotFound)
}

package crisis_test

import (
	"encoding/json"
	"testing"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/model"
)

// FuzzCaseCommands feeds arbitrary JSON bodies to the commands of a case that
// take times, lists or free text from outside (the Union response, IPCR and
// roundtables), as the competent official. A command may refuse the body; one
// it accepts must produce an event with a valid marking that the store can
// encode and the case can fold — a body that passes validation and then fails
// to store would answer 500 and lose the officer's input.
func FuzzCaseCommands(f *testing.F) {
	seeds := []struct {
		kind uint8
		body string
	}{
		{0, `{"affected_entity":"x","impact":"x","planned_use":"x","estimated_needs":"x","mitigation_taken":"x","other_support":"none"}`},
		{1, `{"status":"assessed","note":"ok"}`},
		{2, `{"kind":"advisory","audience":"public","published_at":"2026-12-01T02:00:00Z","embargo_until":"2026-12-01T06:00:00Z","link":"https://a.example/x","summary":"x"}`},
		{3, `{"stage":"requested","member_states":["NL"],"agreements":[{"party":"member-state:NL","at":"2026-12-01T01:00:00Z"}],"scope":"x"}`},
		{4, `{"mechanism":"ewrs","action":"point-of-contact","contact":"desk","detail":"x"}`},
		{5, `{"analysis":"x","options":["a","b"]}`},
		{6, `{"sector":"health","function":"admissions","state":"restoring"}`},
		{7, `{"capabilities":"national","provider_agreed":true,"detail":"x"}`},
		{8, `{"mode":"full","reason":"x","consultations":[{"party":"commission","at":"2026-12-01T01:00:00Z"}],"solidarity_clause":true}`},
		{9, `{"held_at":"2026-12-01T01:00:00Z","summary":"x","gaps":[{"description":"gap","invited_actor":"enisa","due":"2026-12-02T00:00:00Z"}]}`},
		{10, `{"measure":"statement","stage":"decided","detail":"x"}`},
		{11, `{"partner":"nato","contact":"desk"}`},
		{12, `{"flagged":true,"reason":"x"}`},
		{2, `{"kind":"press-release","audience":"x","published_at":"0000-01-01T00:00:00+01:00","summary":"x"}`},
		{3, `{"stage":"requested","member_states":["NL"],"agreements":[{"party":"member-state:NL","at":"0000-01-01T00:00:00+01:00"}],"scope":"x"}`},
		{9, `{"held_at":"2026-12-01T01:00:00Z","summary":"x","gaps":[{"description":"gap","invited_actor":"enisa","due":"9999-12-31T23:59:59-01:00"}]}`},
	}
	for _, s := range seeds {
		f.Add(s.kind, []byte(s.body))
	}
	m, err := model.Load()
	if err != nil {
		f.Fatal(err)
	}
	ec := crisis.Reporter{Organisation: "ec", User: "u-ec", Role: "coordinator", Actor: "commission"}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		fo := openCase(t)
		d, err := crisis.DecideLink(nlCoordinator, fo.c, crisis.NationalReport{ID: "r-nl", Organisation: "nl-ncsc", MemberState: "NL"})
		fo.apply(nlCoordinator, d, err)
		d, err = crisis.DecideReserveRequest(nlCoordinator, fo.c, "reserve-1", crisis.ReserveRequestBody{AffectedEntity: "x", Impact: "x",
			PlannedUse: "x", EstimatedNeeds: "x", Mitigation: "x", OtherSupport: "x"}, now)
		fo.apply(nlCoordinator, d, err)
		d, err = crisis.DecideIPCR(presidency, fo.c, crisis.IPCRRequest{Mode: crisis.IPCRInformationSharing, Reason: "x", SolidarityClause: true}, now)
		fo.apply(presidency, d, err)
		c := fo.c
		var who crisis.Reporter
		var decide func() (crisis.Draft, error)
		// decode reads the body into req; a body that is not JSON of the
		// request's shape is refused by the API's decoder before any command.
		decode := func(req any) bool { return json.Unmarshal(body, req) == nil }
		switch kind % 13 {
		case 0:
			var req crisis.ReserveRequestBody
			if !decode(&req) {
				return
			}
			who, decide = nlCoordinator, func() (crisis.Draft, error) {
				return crisis.DecideReserveRequest(nlCoordinator, c, "reserve-2", req, now)
			}
		case 1:
			var req crisis.ReserveUpdateBody
			if !decode(&req) {
				return
			}
			who, decide = ec, func() (crisis.Draft, error) { return crisis.DecideReserveUpdate(ec, c, "reserve-1", req) }
		case 2:
			var req crisis.CommunicationRequest
			if !decode(&req) {
				return
			}
			who, decide = nlCoordinator, func() (crisis.Draft, error) { return crisis.DecideCommunication(nlCoordinator, c, req, now) }
		case 3:
			var req crisis.ReviewRequestBody
			if !decode(&req) {
				return
			}
			who, decide = ec, func() (crisis.Draft, error) { return crisis.DecideReview(m, ec, c, "review-1", req, now) }
		case 4:
			var req crisis.MechanismRequest
			if !decode(&req) {
				return
			}
			who, decide = ec, func() (crisis.Draft, error) { return crisis.DecideMechanism(m, ec, c, req) }
		case 5:
			var req crisis.AnalysisRequest
			if !decode(&req) {
				return
			}
			who, decide = ec, func() (crisis.Draft, error) { return crisis.DecideAnalysis(ec, c, req) }
		case 6:
			var req crisis.RecoveryRequest
			if !decode(&req) {
				return
			}
			who, decide = nlCoordinator, func() (crisis.Draft, error) { return crisis.DecideRecovery(m, nlCoordinator, c, req) }
		case 7:
			var req crisis.MilitaryRequest
			if !decode(&req) {
				return
			}
			who, decide = cycloneChair, func() (crisis.Draft, error) {
				return crisis.DecideMilitaryNotice(cycloneChair, c, req, []string{"eeas", "enisa"})
			}
		case 8:
			var req crisis.IPCRRequest
			if !decode(&req) {
				return
			}
			who, decide = presidency, func() (crisis.Draft, error) { return crisis.DecideIPCR(presidency, c, req, now) }
		case 9:
			var req crisis.RoundtableRequest
			if !decode(&req) {
				return
			}
			who, decide = presidency, func() (crisis.Draft, error) { return crisis.DecideRoundtable(m, presidency, c, "rt-1", req, now) }
		case 10:
			var req crisis.DiplomacyRequest
			if !decode(&req) {
				return
			}
			who, decide = presidency, func() (crisis.Draft, error) { return crisis.DecideDiplomacy(presidency, c, req) }
		case 11:
			var req crisis.ContactRequest
			if !decode(&req) {
				return
			}
			who, decide = ec, func() (crisis.Draft, error) { return crisis.DecideContact(ec, c, req) }
		case 12:
			var req crisis.HybridRequest
			if !decode(&req) {
				return
			}
			who, decide = presidency, func() (crisis.Draft, error) { return crisis.DecideHybrid(presidency, c, req) }
		}
		d, err = decide()
		if err != nil {
			return
		}
		for i, draft := range append([]crisis.Draft{d}, d.Also...) {
			if err := draft.Marking.Validate(); err != nil {
				t.Fatalf("accepted %s with an invalid marking: %v", draft.Type, err)
			}
			payload, err := json.Marshal(draft.Payload)
			if err != nil {
				t.Fatalf("accepted %s whose payload cannot be encoded (the store would fail): %v", draft.Type, err)
			}
			c, err = crisis.ApplyCase(c, crisis.CaseEvent{ID: "fz", Type: draft.Type, Payload: payload, Version: c.Version + int64(i) + 1,
				User: who.User, Organisation: who.Organisation, At: now, Marking: draft.Marking})
			if err != nil {
				t.Fatalf("accepted %s that the case cannot fold: %v", draft.Type, err)
			}
		}
		if _, err := json.Marshal(c); err != nil {
			t.Fatalf("the case's snapshot cannot be encoded after %s: %v", d.Type, err)
		}
	})
}

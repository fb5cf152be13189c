package web

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/tlp"
)

// FuzzUIResponseForms: whatever a browser posts as the Union response tab's
// forms that parse their values (communication times, review Member States and
// agreement, analysis options), the readers never panic, and what they accept
// is either recorded — an event the store can encode — or refused as invalid
// input, never a server error.
func FuzzUIResponseForms(f *testing.F) {
	m, err := model.Load()
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	f.Add(uint8(0), "kind=advisory&audience=public&published_at=2026-12-01T02%3A00&embargo_until=2026-12-01T06%3A00&link=https%3A%2F%2Fa.example&summary=x")
	f.Add(uint8(0), "kind=overview&published_at=0000-01-01T00%3A00&embargo_until=99999-01-01T00%3A00&link=javascript%3Aalert(1)")
	f.Add(uint8(1), "member_states=NL%2C+be+DE&agreed=yes&agreed_at=2026-12-01T01%3A00&scope=x")
	f.Add(uint8(1), "member_states=%2C%2C&agreed=yes&agreed_at=&scope=")
	f.Add(uint8(2), "analysis=x&options=a%0Ab%0A%0A+c+")
	nl := crisis.Reporter{Organisation: "nl-ncsc", User: "u-nl", Role: "coordinator", NationalKind: "csirt", MemberState: "NL"}
	ec := crisis.Reporter{Organisation: "commission", User: "u-ec", Role: "coordinator", Actor: "commission"}
	marking := tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}}
	c := crisis.Case{ID: "c", Marking: marking, Level: crisis.LevelLargeScale, Version: 1,
		Reports: []crisis.LinkedReport{{Report: "r", MemberState: "NL", Organisation: "nl-ncsc"}}}
	f.Fuzz(func(t *testing.T, form uint8, body string) {
		values, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		uf := uiForm{Values: values}
		var d crisis.Draft
		switch form % 3 {
		case 0:
			req, rerr := communicationRequest(uf)
			if rerr != nil {
				if !failure.Is(rerr, failure.Invalid) {
					t.Fatalf("the communication form was refused with %v, not as invalid input", rerr)
				}
				return
			}
			d, err = crisis.DecideCommunication(nl, c, req, now)
		case 1:
			req, rerr := reviewRequest(uf)
			if rerr != nil {
				if !failure.Is(rerr, failure.Invalid) {
					t.Fatalf("the review form was refused with %v, not as invalid input", rerr)
				}
				return
			}
			d, err = crisis.DecideReview(m, ec, c, "review-2", req, now)
		case 2:
			d, err = crisis.DecideAnalysis(ec, c, analysisRequest(uf))
		}
		if err != nil {
			if !failure.Is(err, failure.Invalid) && !failure.Is(err, failure.Forbidden) {
				t.Fatalf("refused with %v, not as invalid input", err)
			}
			return
		}
		if _, err := json.Marshal(d.Payload); err != nil {
			t.Fatalf("accepted %s that cannot be stored: %v", d.Type, err)
		}
	})
}

package crisis_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Officials of the scenario, each with the capacity the directory gives them.
var (
	nlCoordinator  = crisis.Reporter{Organisation: "nl-ncsc", User: "u-nl", Role: "coordinator", NationalKind: "csirt", MemberState: "NL", Networks: []string{"csirts-network"}}
	beCoordinator  = crisis.Reporter{Organisation: "be-ccb", User: "u-be", Role: "coordinator", NationalKind: "csirt", MemberState: "BE", Networks: []string{"csirts-network"}}
	csirtsChair    = crisis.Reporter{Organisation: "fi-ncsc", User: "u-fi", Role: "coordinator", NationalKind: "csirt", MemberState: "FI", Chairs: []string{"csirts-network"}, Networks: []string{"csirts-network"}}
	cycloneChair   = crisis.Reporter{Organisation: "dk-ccma", User: "u-dk", Role: "coordinator", NationalKind: "cyber-crisis-management-authority", MemberState: "DK", Chairs: []string{"eu-cyclone"}, Networks: []string{"eu-cyclone"}}
	presidency     = crisis.Reporter{Organisation: "presidency", User: "u-kat", Role: "coordinator", Actor: "presidency"}
	commission     = crisis.Reporter{Organisation: "ec", User: "u-jean", Role: "coordinator", Actor: "commission"}
	chairAsAnalyst = crisis.Reporter{Organisation: "fi-ncsc", User: "u-fi2", Role: "analyst", NationalKind: "csirt", MemberState: "FI", Chairs: []string{"csirts-network"}}
)

var amberNetworks = tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network", "eu-cyclone"}}}

// fold applies drafts as the service would, one version after the other.
type fold struct {
	t *testing.T
	c crisis.Case
	n int
}

func (f *fold) apply(who crisis.Reporter, d crisis.Draft, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("decide: %v", err)
	}
	f.n++
	payload, jerr := json.Marshal(d.Payload)
	if jerr != nil {
		f.t.Fatal(jerr)
	}
	c, aerr := crisis.ApplyCase(f.c, crisis.CaseEvent{ID: fmt.Sprintf("e%d", f.n), Type: d.Type, Payload: payload,
		Version: int64(f.n), User: who.User, Organisation: who.Organisation, At: now.Add(time.Duration(f.n) * time.Minute), Marking: d.Marking})
	if aerr != nil {
		f.t.Fatal(aerr)
	}
	f.c = c
}

func openCase(t *testing.T) *fold {
	f := &fold{t: t}
	d, err := crisis.DecideOpen(nlCoordinator, "case-1", crisis.OpenCase{Title: "Hospital ransomware", Marking: amberNetworks})
	f.apply(nlCoordinator, d, err)
	return f
}

func report(t *testing.T, tax *severity.Taxonomy, ms string, level int, id string) crisis.NationalReport {
	t.Helper()
	c := MustContent(t, tax)
	c.Impact = impact(tax, level)
	c.AffectedMemberStates = []string{ms}
	c.Outlook = "stable"
	sig := tax.SignificanceInput(c.Impact)
	return crisis.NationalReport{ID: id, Organisation: strings.ToLower(ms) + "-csirt", MemberState: ms, Content: c,
		Significance: severity.SuggestSignificant(sig)}
}

func TestLadderSuggestsWithReasons(t *testing.T) {
	_, tax := mustModel(t)
	f := openCase(t)
	if l := crisis.Suggest(f.c, nil); l.Suggested != crisis.LevelIncident || l.Decided != crisis.LevelIncident || l.Differs {
		t.Fatalf("empty case: %+v", l)
	}
	nl := report(t, tax, "NL", 3, "r-nl")
	if !nl.Significance.Significant {
		t.Fatalf("a report at the top of every dimension should suggest significant: %+v", nl.Significance)
	}
	quiet := report(t, tax, "BE", 0, "r-be")
	l := crisis.Suggest(f.c, []crisis.NationalReport{nl, quiet})
	if l.Suggested != crisis.LevelSignificant || !l.Differs {
		t.Fatalf("one significant report: suggested %s", l.Suggested)
	}
	wantReason(t, l, "significant-report", "significant impact reported by NL")

	// Its outlook worsens: could escalate (§55(a)(v)).
	nl.Content.Outlook = "worsening"
	wantReason(t, crisis.Suggest(f.c, []crisis.NationalReport{nl}), "worsening", "outlook worsening in the significant report of NL")
	nl.Content.Outlook = "stable"

	// NL's report names BE as affected too: could escalate (§50).
	nl.Content.AffectedMemberStates = []string{"BE", "NL"}
	wantReason(t, crisis.Suggest(f.c, []crisis.NationalReport{nl}), "cross-border-spread", "NL reports BE affected too")

	// A second Member State reports significant impact: large-scale (§7(c)).
	be := report(t, tax, "BE", 3, "r-be")
	l = crisis.Suggest(f.c, []crisis.NationalReport{nl, be})
	if l.Suggested != crisis.LevelLargeScale {
		t.Fatalf("two significant Member States: suggested %s", l.Suggested)
	}
	wantReason(t, l, "two-member-states", "significant impact reported by BE and NL: at least two Member States, §7(c)")

	// A withdrawn report no longer counts.
	be.Content.Status = crisis.StatusWithdrawn
	if l := crisis.Suggest(f.c, []crisis.NationalReport{nl, be}); l.Suggested == crisis.LevelLargeScale {
		t.Error("a withdrawn report still counts towards large-scale")
	}
}

func TestLadderSignals(t *testing.T) {
	f := openCase(t)
	d, err := crisis.DecideSignal(csirtsChair, f.c, crisis.SignalRequest{Kind: crisis.SignalHubAlert, Source: "Hub Nordic", Detail: "same loader seen at two operators"})
	f.apply(csirtsChair, d, err)
	l := crisis.Suggest(f.c, nil)
	if l.Suggested != crisis.LevelPotentialLargeScale {
		t.Fatalf("hub alert: suggested %s", l.Suggested)
	}
	wantReason(t, l, "hub-alert", "cross-border cyber hub alert from Hub Nordic, §48")

	d, err = crisis.DecideSignal(nlCoordinator, f.c, crisis.SignalRequest{Kind: crisis.SignalCapacityExceeded, Detail: "all incident responders committed"})
	f.apply(nlCoordinator, d, err)
	wantReason(t, crisis.Suggest(f.c, nil), "capacity-exceeded", "the NL authority declared its response capacity exceeded, §7(c)")

	d, err = crisis.DecideSignal(cycloneChair, f.c, crisis.SignalRequest{Kind: crisis.SignalInternalMarket, Detail: "payments halted in five Member States"})
	f.apply(cycloneChair, d, err)
	l = crisis.Suggest(f.c, nil)
	if l.Suggested != crisis.LevelCyberCrisis {
		t.Fatalf("internal market hindered on a large-scale incident: suggested %s", l.Suggested)
	}

	// Who may not record which signal.
	for _, tc := range []struct {
		who  crisis.Reporter
		kind crisis.SignalKind
	}{
		{commission, crisis.SignalCapacityExceeded},
		{csirtsChair, crisis.SignalInternalMarket},
		{presidency, crisis.SignalHubAlert},
		{crisis.Reporter{Organisation: "nl-ncsc", User: "u-v", Role: "analyst", NationalKind: "csirt", MemberState: "NL"}, crisis.SignalCapacityExceeded},
	} {
		_, err := crisis.DecideSignal(tc.who, f.c, crisis.SignalRequest{Kind: tc.kind, Source: "x", Detail: "x"})
		if !failure.Is(err, failure.Forbidden) {
			t.Errorf("%s records %s: %v, want forbidden", tc.who.Organisation, tc.kind, err)
		}
	}
}

func wantReason(t *testing.T, l crisis.Ladder, rule, text string) {
	t.Helper()
	for _, c := range l.Criteria {
		if c.Rule == rule {
			if !c.Met || !strings.Contains(c.Reason, text) {
				t.Errorf("criterion %s: met %v, reason %q; want met with %q", rule, c.Met, c.Reason, text)
			}
			return
		}
	}
	t.Errorf("no criterion %s in %+v", rule, l.Criteria)
}

// TestOnlyTheCompetentActorDecides walks the ladder up and down, trying every
// capacity with every official: only the competent one may record it.
func TestOnlyTheCompetentActorDecides(t *testing.T) {
	_, tax := mustModel(t)
	f := openCase(t)
	d, err := crisis.DecideLink(nlCoordinator, f.c, crisis.NationalReport{ID: "r-nl", Organisation: "nl-ncsc", MemberState: "NL"})
	f.apply(nlCoordinator, d, err)
	_ = tax
	everyone := []crisis.Reporter{nlCoordinator, beCoordinator, csirtsChair, cycloneChair, presidency, commission, chairAsAnalyst}
	steps := []struct {
		who   crisis.Reporter
		req   crisis.LevelRequest
		level crisis.Level
	}{
		{nlCoordinator, crisis.LevelRequest{Authority: crisis.AuthorityNational, Level: crisis.LevelSignificant, Reason: "three hospitals down"}, crisis.LevelSignificant},
		{csirtsChair, crisis.LevelRequest{Authority: crisis.AuthorityNetworkAdvice, Level: crisis.LevelPotentialLargeScale, Reason: "same actor in BE"}, crisis.LevelPotentialLargeScale},
		{cycloneChair, crisis.LevelRequest{Authority: crisis.AuthorityCyCLONe, Level: crisis.LevelLargeScale, Reason: "NL and BE significant"}, crisis.LevelLargeScale},
		{presidency, crisis.LevelRequest{Authority: crisis.AuthorityCrisis, Level: crisis.LevelCyberCrisis, Reason: "internal market"}, crisis.LevelCyberCrisis},
		{presidency, crisis.LevelRequest{Authority: crisis.AuthorityCrisis, Level: crisis.LevelLargeScale, Reason: "contained"}, crisis.LevelLargeScale},
		{cycloneChair, crisis.LevelRequest{Authority: crisis.AuthorityCyCLONe, Level: crisis.LevelSignificant, Reason: "recovering"}, crisis.LevelSignificant},
	}
	for _, s := range steps {
		for _, other := range everyone {
			if other.User == s.who.User {
				continue
			}
			if _, err := crisis.DecideLevel(other, f.c, s.req); !failure.Is(err, failure.Forbidden) {
				t.Errorf("%s (%s) recorded a %s: %v, want forbidden", other.Organisation, other.Role, s.req.Authority, err)
			}
		}
		d, err := crisis.DecideLevel(s.who, f.c, s.req)
		f.apply(s.who, d, err)
		if f.c.Level != s.level {
			t.Fatalf("after %s: level %s, want %s", s.req.Authority, f.c.Level, s.level)
		}
	}
	// A network cannot undo a political determination; a crisis needs large-scale first.
	g := openCase(t)
	if _, err := crisis.DecideLevel(presidency, g.c, crisis.LevelRequest{Authority: crisis.AuthorityCrisis, Level: crisis.LevelCyberCrisis, Reason: "x"}); !failure.Is(err, failure.Conflict) {
		t.Errorf("cyber crisis straight from incident: %v, want conflict", err)
	}
	// Closure: by the competent actor for the level, with a reason.
	if _, err := crisis.DecideClose(beCoordinator, f.c, "done"); !failure.Is(err, failure.Forbidden) {
		t.Errorf("BE, with no report linked, closed the case: %v", err)
	}
	if _, err := crisis.DecideClose(nlCoordinator, f.c, " "); !failure.Is(err, failure.Invalid) {
		t.Errorf("closure without a reason: %v", err)
	}
	d, err = crisis.DecideClose(nlCoordinator, f.c, "systems restored")
	f.apply(nlCoordinator, d, err)
	if !f.c.Closed {
		t.Fatal("not closed")
	}
	if _, err := crisis.DecideLevel(csirtsChair, f.c, crisis.LevelRequest{Authority: crisis.AuthorityNetworkAdvice, Level: crisis.LevelPotentialLargeScale, Reason: "x"}); !failure.Is(err, failure.Conflict) {
		t.Errorf("decision on a closed case: %v", err)
	}
}

func TestNetworksDecideAlone(t *testing.T) {
	f := openCase(t)
	for _, who := range []crisis.Reporter{nlCoordinator, cycloneChair, presidency, commission, chairAsAnalyst} {
		if _, err := crisis.DecideNetwork(who, f.c, crisis.NetworkRequest{Network: "csirts-network", Active: true, Reason: "x"}); !failure.Is(err, failure.Forbidden) {
			t.Errorf("%s (%s) activated the CSIRTs Network: %v", who.Organisation, who.Role, err)
		}
	}
	d, err := crisis.DecideNetwork(csirtsChair, f.c, crisis.NetworkRequest{Network: "csirts-network", Active: true, Reason: "cross-border"})
	f.apply(csirtsChair, d, err)
	if !f.c.NetworkActive("csirts-network") || f.c.NetworkActive("eu-cyclone") {
		t.Fatalf("activation: %+v", f.c.Networks)
	}
	if _, err := crisis.DecideNetwork(csirtsChair, f.c, crisis.NetworkRequest{Network: "csirts-network", Active: true, Reason: "again"}); !failure.Is(err, failure.Conflict) {
		t.Errorf("activating twice: %v", err)
	}
	if _, err := crisis.DecideArrangements(commission, f.c, "x"); !failure.Is(err, failure.Forbidden) {
		t.Errorf("the Commission recorded §51 arrangements: %v", err)
	}
}

func TestIPCRNeedsConsultations(t *testing.T) {
	m, _ := mustModel(t)
	f := openCase(t)
	for _, r := range []crisis.NationalReport{{ID: "r-nl", Organisation: "nl-ncsc", MemberState: "NL"}, {ID: "r-be", Organisation: "be-ccb", MemberState: "BE"}} {
		who := nlCoordinator
		if r.MemberState == "BE" {
			who = beCoordinator
		}
		d, err := crisis.DecideLink(who, f.c, r)
		f.apply(who, d, err)
	}
	full := crisis.IPCRRequest{Mode: crisis.IPCRFull, Reason: "cross-sector", Consultations: []crisis.Consultation{
		{Party: "member-state:NL", At: now}, {Party: "commission", At: now}}}
	_, err := crisis.DecideIPCR(presidency, f.c, full, now)
	if !failure.Is(err, failure.Invalid) || !strings.Contains(err.Error(), "member-state:BE, high-representative") {
		t.Fatalf("full mode without consulting BE and the HR: %v", err)
	}
	if _, err := crisis.DecideIPCR(commission, f.c, crisis.IPCRRequest{Mode: crisis.IPCRFull, Reason: "x", SolidarityClause: true}, now); !failure.Is(err, failure.Forbidden) {
		t.Errorf("the Commission activated full mode: %v", err)
	}
	if _, err := crisis.DecideIPCR(commission, f.c, crisis.IPCRRequest{Mode: crisis.IPCRInformationSharing, Reason: "x", SolidarityClause: true}, now); !failure.Is(err, failure.Invalid) {
		t.Errorf("the Commission activated information sharing without the Presidency: %v", err)
	}
	d, err := crisis.DecideIPCR(commission, f.c, crisis.IPCRRequest{Mode: crisis.IPCRInformationSharing, Reason: "ISAA", WithPresidency: true, SolidarityClause: true}, now)
	f.apply(commission, d, err)
	full.Consultations = append(full.Consultations, crisis.Consultation{Party: "member-state:BE", At: now}, crisis.Consultation{Party: "high-representative", At: now})
	d, err = crisis.DecideIPCR(presidency, f.c, full, now)
	f.apply(presidency, d, err)
	if f.c.IPCR.Mode != crisis.IPCRFull || len(f.c.IPCR.History) != 2 {
		t.Fatalf("IPCR: %+v", f.c.IPCR)
	}

	// Roundtables: gaps with the actor invited to close them, report-back later.
	rt := crisis.RoundtableRequest{HeldAt: now, Summary: "first roundtable", Gaps: []crisis.GapRequest{{Description: "no shared picture of hospital capacity", InvitedActor: "commission", Due: now.Add(48 * time.Hour)}}}
	d, err = crisis.DecideRoundtable(m, presidency, f.c, "rt-1", rt, now)
	f.apply(presidency, d, err)
	if gaps := f.c.OpenGaps(); len(gaps) != 1 || gaps[0].ID != "gap-1" || gaps[0].InvitedActor != "commission" {
		t.Fatalf("gaps: %+v", gaps)
	}
	bad := crisis.RoundtableRequest{HeldAt: now, Summary: "second", Gaps: []crisis.GapRequest{{Description: "x", InvitedActor: "nobody"}}, ReportBacks: []crisis.ReportBack{{Gap: "gap-9", Summary: "x"}}}
	_, err = crisis.DecideRoundtable(m, presidency, f.c, "rt-2", bad, now)
	if err == nil || !strings.Contains(err.Error(), "gaps[0].invited_actor") || !strings.Contains(err.Error(), "report_backs[0].gap") {
		t.Fatalf("bad roundtable: %v", err)
	}
	next := crisis.RoundtableRequest{HeldAt: now, Summary: "second", ReportBacks: []crisis.ReportBack{{Gap: "gap-1", Summary: "ERCC dashboard shared"}}}
	d, err = crisis.DecideRoundtable(m, presidency, f.c, "rt-2", next, now)
	f.apply(presidency, d, err)
	if len(f.c.OpenGaps()) != 0 || f.c.Roundtables[0].Gaps[0].ReportedAt != "rt-2" {
		t.Fatalf("report-back not recorded: %+v", f.c.Roundtables)
	}
	if _, err := crisis.DecideRoundtable(m, commission, f.c, "rt-3", next, now); !failure.Is(err, failure.Forbidden) {
		t.Errorf("the Commission convened a roundtable: %v", err)
	}
}

func TestCommissionMembership20(t *testing.T) {
	_, tax := mustModel(t)
	f := openCase(t)
	nl := report(t, tax, "NL", 3, "r-nl")
	if m := crisis.Membership20(f.c, []crisis.NationalReport{nl}); m.Member {
		t.Fatalf("member at incident level: %+v", m)
	}
	d, err := crisis.DecideLevel(csirtsChair, f.c, crisis.LevelRequest{Authority: crisis.AuthorityNetworkAdvice, Level: crisis.LevelPotentialLargeScale, Reason: "x"})
	f.apply(csirtsChair, d, err)
	if m := crisis.Membership20(f.c, []crisis.NationalReport{report(t, tax, "NL", 0, "r-q")}); m.Member {
		t.Fatalf("member without significant impact: %+v", m)
	}
	if m := crisis.Membership20(f.c, []crisis.NationalReport{nl}); !m.Member || !strings.Contains(m.Reason, "NL") || m.Ref != "§20" {
		t.Fatalf("not member with a potential large-scale, significant case: %+v", m)
	}
}

// TestAllowedMatchesDecide: every option AllowedFor offers is accepted by the
// Decide functions, and every capacity it leaves out is refused.
func TestAllowedMatchesDecide(t *testing.T) {
	f := openCase(t)
	d, err := crisis.DecideLink(nlCoordinator, f.c, crisis.NationalReport{ID: "r-nl", Organisation: "nl-ncsc", MemberState: "NL"})
	f.apply(nlCoordinator, d, err)
	for _, who := range []crisis.Reporter{nlCoordinator, beCoordinator, csirtsChair, cycloneChair, presidency, commission, chairAsAnalyst} {
		a := crisis.AllowedFor(who, f.c)
		for _, auth := range []crisis.Authority{crisis.AuthorityNational, crisis.AuthorityNetworkAdvice, crisis.AuthorityCyCLONe, crisis.AuthorityCrisis} {
			for _, l := range crisis.Levels() {
				_, err := crisis.DecideLevel(who, f.c, crisis.LevelRequest{Authority: auth, Level: l, Reason: "x"})
				offered := false
				for _, o := range a.Decisions {
					if o.Authority == auth && slices.Contains(o.Levels, l) {
						offered = true
					}
				}
				if offered != (err == nil) {
					t.Errorf("%s %s → %s: offered %v, decide says %v", who.Organisation, auth, l, offered, err)
				}
			}
		}
		for _, n := range []string{"csirts-network", "eu-cyclone"} {
			_, err := crisis.DecideNetwork(who, f.c, crisis.NetworkRequest{Network: n, Active: true, Reason: "x"})
			if slices.Contains(a.Networks, n) != (err == nil) {
				t.Errorf("%s activates %s: offered %v, decide says %v", who.Organisation, n, slices.Contains(a.Networks, n), err)
			}
		}
	}
}

package cases_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/playbook"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/postgres"
	"github.com/eucyber/blueprint/internal/store/postgres/pgtest"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/tlp"
)

var (
	nl       = crisis.Reporter{Organisation: "nl-ncsc", User: "u-nl", Role: "coordinator", NationalKind: "csirt", MemberState: "NL", Networks: []string{"csirts-network"}}
	be       = crisis.Reporter{Organisation: "be-ccb", User: "u-be", Role: "coordinator", NationalKind: "csirt", MemberState: "BE", Networks: []string{"csirts-network"}}
	fiChair  = crisis.Reporter{Organisation: "fi-ncsc", User: "u-fi", Role: "coordinator", NationalKind: "csirt", MemberState: "FI", Chairs: []string{"csirts-network"}}
	dkChair  = crisis.Reporter{Organisation: "dk-ccma", User: "u-dk", Role: "coordinator", NationalKind: "cyber-crisis-management-authority", MemberState: "DK", Chairs: []string{"eu-cyclone"}}
	pres     = crisis.Reporter{Organisation: "presidency", User: "u-pr", Role: "coordinator", Actor: "presidency"}
	ec       = crisis.Reporter{Organisation: "commission", User: "u-ec", Role: "coordinator", Actor: "commission"}
	enisa    = crisis.Reporter{Organisation: "enisa", User: "u-en", Role: "coordinator", Actor: "enisa"}
	amber    = tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}}
	everyone = func(tlp.Item) bool { return true }
)

func services(t testing.TB, s store.Store) *cases.Service {
	t.Helper()
	m, err := model.Load()
	if err != nil {
		t.Fatal(err)
	}
	tax, err := severity.Default()
	if err != nil {
		t.Fatal(err)
	}
	pb, err := playbook.Default()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now
	return &cases.Service{Store: s, Model: m, Playbook: pb, Now: now,
		Reports: &reports.Service{Store: s, Model: m, Taxonomy: tax, Now: now},
		ActorOf: func(org string) (string, string) {
			if org == "presidency" {
				return "presidency", ""
			}
			return "member-states", ""
		}}
}

func stores(t *testing.T) map[string]store.Store {
	t.Helper()
	out := map[string]store.Store{}
	lite, err := sqlite.Open(t.Context(), t.TempDir()+"/b.db", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	out["sqlite"] = lite
	// PostgreSQL when the environment names it (.ci/run does); SQLite always.
	if os.Getenv(pgtest.EnvDSN) != "" {
		dsn, _ := pgtest.MustSchemaDSN(t)
		pg, err := postgres.Open(t.Context(), dsn, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		out["postgres"] = pg
	}
	return out
}

func fileReport(t testing.TB, svc *cases.Service, who crisis.Reporter) crisis.NationalReport {
	t.Helper()
	now := time.Now().UTC()
	rep, _, err := svc.Reports.File(t.Context(), who, "", crisis.ReportContent{
		Title: "Ransomware at hospitals", Summary: "Encrypted systems.", DetectedAt: now.Add(-2 * time.Hour), AwareAt: now.Add(-time.Hour),
		AffectedMemberStates: []string{who.MemberState}, Sectors: []string{"health"}, AffectedEntities: 3,
		Impact:         severity.Assessment{"service-delivery": 3, "affected-entities": 2, "other-services": 2, "damage": 2},
		Classification: "malicious-code", Status: crisis.StatusOpen, Marking: amber,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestRebuildEqualsSnapshot drives several cases through every kind of
// command, on SQLite and PostgreSQL, then folds every case from its events:
// the result must equal the stored snapshot.
func TestRebuildEqualsSnapshot(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			svc := services(t, s)
			ctx := t.Context()
			for i := range 3 {
				c, _, err := svc.Open(ctx, nl, "", crisis.OpenCase{Title: fmt.Sprintf("case %d", i), Marking: amber})
				if err != nil {
					t.Fatal(err)
				}
				do := func(who crisis.Reporter, d cases.Decider) {
					t.Helper()
					if _, err := svc.Do(ctx, who, c.ID, 0, d); err != nil {
						t.Fatal(err)
					}
				}
				for _, who := range []crisis.Reporter{nl, be}[:i%2+1] {
					rep := fileReport(t, svc, who)
					do(who, func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideLink(who, c, rep) })
				}
				do(fiChair, func(c crisis.Case) (crisis.Draft, error) {
					return crisis.DecideNetwork(fiChair, c, crisis.NetworkRequest{Network: "csirts-network", Active: true, Reason: "x"})
				})
				do(fiChair, func(c crisis.Case) (crisis.Draft, error) {
					return crisis.DecideSignal(fiChair, c, crisis.SignalRequest{Kind: crisis.SignalHubAlert, Source: "Hub", Detail: "alert"})
				})
				do(fiChair, func(c crisis.Case) (crisis.Draft, error) {
					return crisis.DecideLevel(fiChair, c, crisis.LevelRequest{Authority: crisis.AuthorityNetworkAdvice, Level: crisis.LevelPotentialLargeScale, Reason: "x"})
				})
				do(dkChair, func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideArrangements(dkChair, c, "twice daily") })
				do(pres, func(c crisis.Case) (crisis.Draft, error) {
					return crisis.DecideIPCR(pres, c, crisis.IPCRRequest{Mode: crisis.IPCRFull, Reason: "x", SolidarityClause: true}, time.Now())
				})
				do(pres, func(c crisis.Case) (crisis.Draft, error) {
					return crisis.DecideRoundtable(svc.Model, pres, c, "rt", crisis.RoundtableRequest{HeldAt: time.Now(), Summary: "x",
						Gaps: []crisis.GapRequest{{Description: "gap", InvitedActor: "enisa"}}}, time.Now())
				})
				unionResponse(t, svc, nl, c.ID, do)
				if i == 2 {
					do(fiChair, func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideClose(fiChair, c, "over") })
				}
			}
			ids, err := svc.IDs(ctx)
			if err != nil || len(ids) != 3 {
				t.Fatalf("ids: %v %v", ids, err)
			}
			for _, id := range ids {
				recs, err := svc.Events(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				rebuilt, err := cases.Rebuild(recs)
				if err != nil {
					t.Fatal(err)
				}
				stored, err := svc.Get(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(asJSON(t, rebuilt), asJSON(t, stored)) {
					t.Errorf("case %s: rebuilt differs from snapshot\nrebuilt %+v\nstored  %+v", id, rebuilt, stored)
				}
				// Everyone's view is the whole case; nobody's is not found.
				v, err := svc.View(ctx, id, everyone, time.Now())
				if err != nil || !reflect.DeepEqual(asJSON(t, v.Case), asJSON(t, stored)) {
					t.Errorf("case %s: the all-seeing view differs from the snapshot: %v", id, err)
				}
				if _, err := svc.View(ctx, id, func(tlp.Item) bool { return false }, time.Now()); !failure.Is(err, failure.NotFound) {
					t.Errorf("case %s: a viewer who may see nothing got %v, want not found", id, err)
				}
			}
		})
	}
}

// TestConcurrentDecisionsAreEachChecked: two officials record at the same
// moment; both succeed, and each decision is checked against the other's.
func TestConcurrentDecisionsAreEachChecked(t *testing.T) {
	s := stores(t)["sqlite"]
	svc := services(t, s)
	ctx := t.Context()
	c, _, err := svc.Open(ctx, nl, "", crisis.OpenCase{Title: "race", Marking: amber})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, who := range []crisis.Reporter{fiChair, dkChair} {
		network := who.Chairs[0]
		wg.Go(func() {
			_, err := svc.Do(ctx, who, c.ID, 0, func(c crisis.Case) (crisis.Draft, error) {
				return crisis.DecideNetwork(who, c, crisis.NetworkRequest{Network: network, Active: true, Reason: "x"})
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent activation: %v", err)
		}
	}
	got, _ := svc.Get(ctx, c.ID)
	if !got.NetworkActive("csirts-network") || !got.NetworkActive("eu-cyclone") || got.Version != 3 {
		t.Errorf("after both activations: %+v", got.Networks)
	}
	// A stale If-Match is refused and changes nothing.
	_, err = svc.Do(ctx, fiChair, c.ID, 1, func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideArrangements(fiChair, c, "x") })
	if !failure.Is(err, failure.Conflict) {
		t.Errorf("stale version: %v, want conflict", err)
	}
}

func asJSON(t *testing.T, v any) any {
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

// unionResponse records one of every Union-response command on a case (R9–
// R13), the Reserve request with its notice (two events in one append) and
// its statuses to the user's report.
func unionResponse(t *testing.T, svc *cases.Service, requester crisis.Reporter, id string, do func(crisis.Reporter, cases.Decider)) {
	t.Helper()
	now := time.Now()
	do(pres, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideHybrid(pres, c, crisis.HybridRequest{Flagged: true, Reason: "state actor suspected"})
	})
	do(requester, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideMechanism(svc.Model, requester, c, crisis.MechanismRequest{Mechanism: "ewrs", Action: crisis.MechanismRequested, Detail: "x"})
	})
	do(ec, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideAnalysis(ec, c, crisis.AnalysisRequest{Analysis: "x", Options: []string{"a", "b"}})
	})
	do(requester, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideReserveRequest(requester, c, "reserve-1", crisis.ReserveRequestBody{AffectedEntity: "x", Impact: "x", PlannedUse: "x",
			EstimatedNeeds: "x", Mitigation: "x", OtherSupport: "none"}, now)
	})
	for _, s := range []crisis.ReserveStatus{crisis.ReserveAssessed, crisis.ReserveApproved, crisis.ReserveDeployed, crisis.ReserveEnded} {
		do(ec, func(c crisis.Case) (crisis.Draft, error) {
			return crisis.DecideReserveUpdate(ec, c, "reserve-1", crisis.ReserveUpdateBody{Status: s})
		})
	}
	do(requester, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideReserveUpdate(requester, c, "reserve-1", crisis.ReserveUpdateBody{Status: crisis.ReserveReported, Note: "report sent"})
	})
	do(requester, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideCommunication(requester, c, crisis.CommunicationRequest{Kind: crisis.CommunicationAdvisory, Audience: "public",
			PublishedAt: now, EmbargoUntil: now.Add(time.Hour), Link: "https://ncsc.example/a", Summary: "x"}, now)
	})
	do(pres, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideDiplomacy(pres, c, crisis.DiplomacyRequest{Measure: "statement", Stage: crisis.DiplomacyDecided, Detail: "x"})
	})
	do(ec, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideContact(ec, c, crisis.ContactRequest{Partner: crisis.PartnerNATO, Contact: "desk"})
	})
	do(dkChair, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideMilitaryNotice(dkChair, c, crisis.MilitaryRequest{Capabilities: "national", ProviderAgreed: true, Detail: "x"}, []string{"eeas"})
	})
	for _, state := range []crisis.RecoveryState{crisis.RecoveryRestoring, crisis.RecoveryRestored} {
		do(requester, func(c crisis.Case) (crisis.Draft, error) {
			return crisis.DecideRecovery(svc.Model, requester, c, crisis.RecoveryRequest{Sector: "health", Function: "admissions", State: state})
		})
	}
	do(ec, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideReview(svc.Model, ec, c, "review-1", crisis.ReviewRequestBody{Stage: crisis.ReviewRequested, MemberStates: []string{requester.MemberState},
			Agreements: []crisis.Consultation{{Party: "member-state:" + requester.MemberState, At: now}}, Scope: "x"}, now)
	})
	do(enisa, func(c crisis.Case) (crisis.Draft, error) {
		return crisis.DecideReview(svc.Model, enisa, c, "", crisis.ReviewRequestBody{Stage: crisis.ReviewDelivered, Review: "review-1", Delivery: "x"}, now)
	})
}

// TestDoOnceRecordsARetriedCommandOnce: the same key twice records one
// signal; another key, or another user with the same key, records its own.
func TestDoOnceRecordsARetriedCommandOnce(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			svc := services(t, s)
			ctx := t.Context()
			c, _, err := svc.Open(ctx, nl, "", crisis.OpenCase{Title: "retries", Marking: amber})
			if err != nil {
				t.Fatal(err)
			}
			signal := func(who crisis.Reporter) cases.Decider {
				return func(c crisis.Case) (crisis.Draft, error) {
					return crisis.DecideSignal(who, c, crisis.SignalRequest{Kind: crisis.SignalHubAlert, Source: "Hub", Detail: "alert"})
				}
			}
			for _, step := range []struct {
				who crisis.Reporter
				key string
			}{{fiChair, "k1"}, {fiChair, "k1"}, {fiChair, "k2"}, {dkChair, "k1"}, {fiChair, "k1"}} {
				if _, err := svc.DoOnce(ctx, step.who, c.ID, 0, step.key, signal(step.who)); err != nil {
					t.Fatal(err)
				}
			}
			got, err := svc.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Signals) != 3 {
				t.Errorf("%d signals, want 3: k1 and k2 by FI, k1 by DK", len(got.Signals))
			}
			if _, err := svc.DoOnce(ctx, fiChair, c.ID, 0, strings.Repeat("k", 201), signal(fiChair)); !failure.Is(err, failure.Invalid) {
				t.Errorf("an over-long key: %v", err)
			}
		})
	}
}

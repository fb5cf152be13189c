package cases_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
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

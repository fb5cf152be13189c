package cases_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/store/sqlite"
)

// BenchmarkView measures what GET /api/v1/cases/{id} costs beyond HTTP: a
// case with one national report from each of the 27 Member States and n
// further events (signals), folded for a viewer who sees everything, with the
// ladder and the playbook. BenchmarkGet is the snapshot read of the same case.
func BenchmarkView(b *testing.B) {
	for _, n := range []int{100, 1000} {
		svc, id := benchCase(b, n)
		b.Run(fmt.Sprintf("27reports+%devents", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.View(b.Context(), id, everyone, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Get/27reports+%devents", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Get(b.Context(), id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var memberStates = []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}

func benchCase(b *testing.B, events int) (*cases.Service, string) {
	b.Helper()
	s, err := sqlite.Open(b.Context(), b.TempDir()+"/b.db", time.Now)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	svc := services(b, s)
	ctx := b.Context()
	c, _, err := svc.Open(ctx, nl, "", crisis.OpenCase{Title: "bench", Marking: amber})
	if err != nil {
		b.Fatal(err)
	}
	for _, ms := range memberStates {
		who := crisis.Reporter{Organisation: "csirt-" + ms, User: "u-" + ms, Role: "coordinator", NationalKind: "csirt", MemberState: ms}
		rep := fileReport(b, svc, who)
		if _, err := svc.Do(ctx, who, c.ID, 0, func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideLink(who, c, rep) }); err != nil {
			b.Fatal(err)
		}
	}
	for i := range events {
		if _, err := svc.Do(ctx, fiChair, c.ID, 0, func(c crisis.Case) (crisis.Draft, error) {
			return crisis.DecideSignal(fiChair, c, crisis.SignalRequest{Kind: crisis.SignalHubAlert, Source: fmt.Sprintf("hub %d", i), Detail: "alert"})
		}); err != nil {
			b.Fatal(err)
		}
	}
	return svc, c.ID
}

package web

import (
	"net/http"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Every exit that turns stored events into a response goes through visible: the
// TLP gate (internal/tlp) decides, per item, for the caller. Lists, counts and
// cursors are built from its result only, so nothing about a hidden item — not
// even that it exists — reaches the response. attacker_test.go calls every route
// as a user who must not see an item and fails if anything of it comes back.
func (d Deps) visible(r *http.Request, recs []event.Record) []event.Event {
	v := d.viewer(r)
	out := make([]event.Event, 0, len(recs))
	for _, rec := range recs {
		e := rec.Event
		if tlp.CanSee(v, tlp.Item{Marking: e.Marking, OwnerUser: e.Actor.User, OwnerOrganisation: e.Actor.Organisation}) {
			out = append(out, e)
		}
	}
	return out
}

// recordReads audits the reading of AMBER+STRICT and RED items (R15, R19).
func (d Deps) recordReads(r *http.Request, shown []event.Event) error {
	c := callerFrom(r.Context())
	if !c.authenticated() {
		return nil
	}
	return d.Auth.RecordReads(r.Context(), c.User, r.Pattern, shown)
}

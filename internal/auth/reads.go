package auth

import (
	"context"
	"slices"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/tlp"
)

// RecordReads writes one audit event for the AMBER+STRICT and RED items among
// evs that u was just shown through route; nothing when there are none. The
// record is marked for the operator, the reader's organisation and the items'
// owners: each may prove who saw their item.
func (s *Service) RecordReads(ctx context.Context, u User, route string, evs []event.Event) error {
	var ids []string
	orgs := []string{OperatorOrganisation}
	if u.Organisation != OperatorOrganisation {
		orgs = append(orgs, u.Organisation)
	}
	for _, e := range evs {
		if e.Marking.TLP != tlp.AmberStrict && e.Marking.TLP != tlp.Red {
			continue
		}
		ids = append(ids, e.ID)
		if !slices.Contains(orgs, e.Actor.Organisation) {
			orgs = append(orgs, e.Actor.Organisation)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	m := tlp.Marking{TLP: tlp.AmberStrict, Audience: tlp.Audience{Kind: tlp.Organisations, IDs: orgs}}
	return s.appendAuditMarked(ctx, EventItemsRead, actorOf(u), m, itemsRead{UserID: u.ID, Items: ids, Via: route})
}

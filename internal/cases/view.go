package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/playbook"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Gate says whether the viewer may see an item; internal/web builds it from
// the TLP gate for the caller.
type Gate func(tlp.Item) bool

// View is what one viewer sees of a case: the fold of the events they may
// see, the linked reports they may see, and what the node computes from those
// only — so a suggestion's reasons never quote a report the viewer may not read.
type View struct {
	Case       crisis.Case                 `json:"case"`
	Reports    []crisis.NationalReport     `json:"reports"`
	Ladder     crisis.Ladder               `json:"ladder"`
	Commission crisis.CommissionMembership `json:"commission_membership"`
	// Mechanisms are the Union mechanisms the case may call on (R9).
	Mechanisms []crisis.MechanismSuggestion `json:"mechanisms"`
	// ReserveClocks are the Reserve requests' clocks at the time of the view.
	ReserveClocks []crisis.ReserveClock `json:"reserve_clocks"`
	Playbook      []playbook.Status     `json:"playbook"`
	Timeline      []event.Event         `json:"timeline"`
}

func itemOf(e event.Event) tlp.Item {
	return tlp.Item{Marking: e.Marking, OwnerUser: e.Actor.User, OwnerOrganisation: e.Actor.Organisation}
}

// View builds the viewer's view of a case at now. A viewer who may not see the
// case's opening event does not see the case at all: NotFound, as for a case
// that does not exist.
func (s *Service) View(ctx context.Context, id string, see Gate, now time.Time) (View, error) {
	recs, err := s.Events(ctx, id)
	if err != nil {
		return View{}, err
	}
	if len(recs) == 0 || !see(itemOf(recs[0].Event)) {
		return View{}, errNoCase
	}
	var c crisis.Case
	timeline := []event.Event{}
	for _, rec := range recs {
		if !see(itemOf(rec.Event)) {
			continue
		}
		if c, err = crisis.ApplyCase(c, caseEvent(rec.Event)); err != nil {
			return View{}, err
		}
		timeline = append(timeline, rec.Event)
	}
	// The version is the stream's: an If-Match from this viewer names it.
	c.Version = recs[len(recs)-1].Event.Version
	reps, histories, err := s.linkedReports(ctx, c, see)
	if err != nil {
		return View{}, err
	}
	v := View{Case: c, Reports: reps, Ladder: crisis.Suggest(c, reps), Commission: crisis.Membership20(c, reps),
		Mechanisms: crisis.SuggestMechanisms(s.Model, c, reps), Timeline: timeline}
	pc := s.playbookCase(c, timeline, reps, histories)
	if err := s.addPublished(ctx, &pc, see); err != nil {
		return View{}, err
	}
	v.Playbook = s.Playbook.Evaluate(pc, now)
	v.ReserveClocks = crisis.ReserveClocks(c, s.reserveDue, now)
	return v, nil
}

// ReserveClockID is the playbook clock of the Reserve's deployment (§55(b)(v)).
const ReserveClockID = "reserve-deployment"

// reserveDue is when services requested at t are due: the playbook's
// reserve-deployment clock, which an operator may override.
func (s *Service) reserveDue(t time.Time) time.Time {
	if clock, ok := s.Playbook.Clock(ReserveClockID); ok {
		return clock.Duration.From(t)
	}
	return t.Add(24 * time.Hour)
}

// linkedReports returns the linked reports the viewer may see, with the
// versions of each they may see.
func (s *Service) linkedReports(ctx context.Context, c crisis.Case, see Gate) ([]crisis.NationalReport, map[string][]event.Event, error) {
	reps := []crisis.NationalReport{}
	histories := map[string][]event.Event{}
	for _, lr := range c.Reports {
		rep, recs, err := s.Reports.Load(ctx, lr.Report)
		if err != nil {
			return nil, nil, err
		}
		if !see(reports.Item(rep)) {
			continue
		}
		for _, rec := range recs {
			if see(itemOf(rec.Event)) {
				histories[rep.ID] = append(histories[rep.ID], rec.Event)
			}
		}
		reps = append(reps, rep)
	}
	return reps, histories, nil
}

// CommissionMember computes §20 on the whole case, with every linked report,
// whoever asks: the Commission's membership is a fact of the case, and it
// opens access (internal/web adds EU-CyCLONe to the Commission's networks for
// this case's items while it holds).
func (s *Service) CommissionMember(ctx context.Context, c crisis.Case) (bool, error) {
	var reps []crisis.NationalReport
	for _, lr := range c.Reports {
		rep, err := s.Reports.Get(ctx, lr.Report)
		if err != nil {
			return false, err
		}
		reps = append(reps, rep)
	}
	return crisis.Membership20(c, reps).Member, nil
}

// kindFields are the fields of a case event's payload the playbook matches on.
type kindFields struct {
	Level       string `json:"level"`
	Authority   string `json:"authority"`
	Kind        string `json:"kind"`
	Network     string `json:"network"`
	Mode        string `json:"mode"`
	MemberState string `json:"member_state"`
}

// playbookCase describes the case to the playbook. A ladder decision also
// counts as the capacity's own act (the CSIRTs Network's advice, EU-CyCLONe's
// assessment), which the playbook's steps complete on.
func (s *Service) playbookCase(c crisis.Case, timeline []event.Event, reps []crisis.NationalReport, histories map[string][]event.Event) playbook.Case {
	pc := playbook.Case{ID: c.ID, OpenedAt: c.OpenedAt, Closed: c.Closed, ClosedAt: c.ClosedAt}
	for _, e := range timeline {
		var f kindFields
		_ = json.Unmarshal(e.Payload, &f) // the payload was decoded once already by ApplyCase
		actor, ms := s.actorOf(e.Actor.Organisation)
		o := playbook.Occurrence{EventID: e.ID, Type: e.Type, At: e.RecordedAt, Organisation: e.Actor.Organisation, Actor: actor, MemberState: ms}
		switch e.Type {
		case crisis.EventLevelDecided:
			o.Kind = f.Level
			switch crisis.Authority(f.Authority) {
			case crisis.AuthorityNetworkAdvice:
				pc.Events = append(pc.Events, o, withType(o, "case.network-advice"))
				continue
			case crisis.AuthorityCyCLONe:
				pc.Events = append(pc.Events, o, withType(o, "case.cyclone-assessment"))
				continue
			}
		case crisis.EventSignalRecorded:
			o.Kind = f.Kind
		case crisis.EventNetworkActivated, crisis.EventNetworkDeactivated:
			o.Kind = f.Network
		case crisis.EventIPCRDecided:
			o.Kind = f.Mode
		case crisis.EventReportLinked:
			o.Kind = f.MemberState
		default:
			if r, ok := responseOccurrence(o, e.Payload); ok {
				pc.Events = append(pc.Events, r)
			}
		}
		pc.Events = append(pc.Events, o)
	}
	significant := crisis.SignificantMemberStates(c, reps)
	for _, rep := range reps {
		_, sig := significant[rep.MemberState]
		pr := playbook.Report{ID: rep.ID, Organisation: rep.Organisation, MemberState: rep.MemberState,
			AwareAt: rep.Content.AwareAt, FiledAt: rep.FiledAt, Significant: sig}
		for _, e := range histories[rep.ID] {
			switch e.Type {
			case crisis.EventReportFiled:
				pr.FiledEventID = e.ID
			case crisis.EventReportAmended:
				var p struct {
					Content struct {
						Status string `json:"status"`
					} `json:"content"`
				}
				_ = json.Unmarshal(e.Payload, &p)
				pr.Amendments = append(pr.Amendments, playbook.Amendment{EventID: e.ID, At: e.RecordedAt, Status: p.Content.Status})
			}
		}
		pc.Reports = append(pc.Reports, pr)
	}
	slices.SortStableFunc(pc.Events, func(a, b playbook.Occurrence) int { return a.At.Compare(b.At) })
	return pc
}

// addPublished adds the situation reports the viewer may see to the
// playbook's events, in time order.
func (s *Service) addPublished(ctx context.Context, pc *playbook.Case, see Gate) error {
	if s.Published == nil {
		return nil
	}
	evs, err := s.Published(ctx, pc.ID)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if !see(itemOf(e)) {
			continue
		}
		var p struct {
			Document struct {
				Kind string `json:"kind"`
			} `json:"document"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return fmt.Errorf("situation report %s: %w", e.ID, err)
		}
		actor, ms := s.actorOf(e.Actor.Organisation)
		pc.Events = append(pc.Events, playbook.Occurrence{EventID: e.ID, Type: playbook.EventSitrepPublished, Kind: p.Document.Kind,
			At: e.RecordedAt, Organisation: e.Actor.Organisation, Actor: actor, MemberState: ms})
	}
	slices.SortStableFunc(pc.Events, func(a, b playbook.Occurrence) int { return a.At.Compare(b.At) })
	return nil
}

func withType(o playbook.Occurrence, typ string) playbook.Occurrence {
	o.Type = typ
	return o
}

func (s *Service) actorOf(org string) (actor, memberState string) {
	if s.ActorOf == nil {
		return "", ""
	}
	return s.ActorOf(org)
}

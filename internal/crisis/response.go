package crisis

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/eucyber/blueprint/internal/tlp"
)

// The Union response to a case (R9–R13): the mechanisms requested and
// activated, the Commission's integrated analysis, the EU Cybersecurity
// Reserve (reserve.go), public communication, diplomacy, partners' points of
// contact, military notices, recovery and incident reviews. Each is a record
// of what an actor did, under the marking they chose (the military notice's
// is fixed by §70); a viewer's case holds the records they may see.

// Event types of the Union response.
const (
	EventHybridFlagged         = "case.hybrid-flagged"
	EventMechanismRecorded     = "case.mechanism-recorded"
	EventAnalysisRecorded      = "case.integrated-analysis-recorded"
	EventReserveRequested      = "case.reserve-requested"
	EventReserveNotice         = "case.reserve-notice"
	EventReserveUpdated        = "case.reserve-updated"
	EventCommunicationRecorded = "case.communication-recorded"
	EventDiplomacyRecorded     = "case.diplomacy-recorded"
	EventContactPointSet       = "case.contact-point-set"
	EventMilitaryNotice        = "case.military-notice"
	EventRecoveryRecorded      = "case.recovery-recorded"
	EventReviewRecorded        = "case.review-recorded"
)

// Record says who recorded an entry, when, under which marking, by which event.
type Record struct {
	Organisation string      `json:"organisation"`
	By           string      `json:"by"`
	At           time.Time   `json:"at"`
	Marking      tlp.Marking `json:"marking"`
	Event        string      `json:"event"`
}

func recordOf(e CaseEvent) Record {
	return Record{Organisation: e.Organisation, By: e.User, At: e.At, Marking: e.Marking, Event: e.ID}
}

// HybridCampaign records whether the case is treated as part of a hybrid
// campaign, which brings the Hybrid Toolbox and the EU Hybrid Rapid Response
// Teams into the response (§55(c)(vi), Annex II(3)).
type HybridCampaign struct {
	Flagged bool   `json:"flagged"`
	Reason  string `json:"reason"`
	Record
}

// MechanismAction is what a mechanism record says happened.
type MechanismAction string

const (
	MechanismRequested   MechanismAction = "requested"        // activation requested (§55(b)(iv)(a), §55(c)(iii))
	MechanismActivated   MechanismAction = "activated"        // activated by the body that runs it
	MechanismContact     MechanismAction = "point-of-contact" // a point of contact set up for the case
	MechanismDeactivated MechanismAction = "deactivated"
)

func mechanismActions() []MechanismAction {
	return []MechanismAction{MechanismRequested, MechanismActivated, MechanismContact, MechanismDeactivated}
}

// MechanismRecord is one request, activation, point of contact or
// deactivation of an Annex II mechanism for the case (R9).
type MechanismRecord struct {
	Mechanism   string          `json:"mechanism"`
	Action      MechanismAction `json:"action"`
	MemberState string          `json:"member_state,omitempty"` // the requesting Member State, for a national request
	Contact     string          `json:"contact,omitempty"`      // for a point of contact
	Detail      string          `json:"detail"`
	Record
}

// IntegratedAnalysis is the Commission's integrated cross-sector analysis
// with options for an integrated response plan (§55(b)(iv)(c)).
type IntegratedAnalysis struct {
	Analysis string   `json:"analysis"`
	Options  []string `json:"options"`
	Record
}

// CommunicationKind is the form of a public communication action (§59–§61).
type CommunicationKind string

const (
	CommunicationAdvisory  CommunicationKind = "advisory"
	CommunicationPress     CommunicationKind = "press-release"
	CommunicationCampaign  CommunicationKind = "campaign"
	CommunicationStatement CommunicationKind = "statement"
	// CommunicationOverview is EU-CyCLONe's overview of the Member States'
	// public communication for the Council (§61).
	CommunicationOverview CommunicationKind = "overview"
)

func communicationKinds() []CommunicationKind {
	return []CommunicationKind{CommunicationAdvisory, CommunicationPress, CommunicationCampaign, CommunicationStatement, CommunicationOverview}
}

// Communication is one public communication action shared in EU-CyCLONe.
type Communication struct {
	Kind        CommunicationKind `json:"kind"`
	MemberState string            `json:"member_state,omitempty"` // empty for a Union actor
	Audience    string            `json:"audience"`               // who it is addressed to: "general public", "hospitals"
	PublishedAt time.Time         `json:"published_at"`
	Link        string            `json:"link,omitempty"`
	// EmbargoUntil: the others may prepare, not publish, before then.
	EmbargoUntil time.Time `json:"embargo_until,omitzero"`
	Summary      string    `json:"summary"`
	Record
}

// Embargoed reports whether the communication is still under embargo at now.
func (c Communication) Embargoed(now time.Time) bool {
	return !c.EmbargoUntil.IsZero() && now.Before(c.EmbargoUntil)
}

// DiplomacyStage is where a Cyber Diplomacy Toolbox measure stands (§62).
type DiplomacyStage string

const (
	DiplomacyProposed DiplomacyStage = "proposed"
	DiplomacyDecided  DiplomacyStage = "decided"
)

// DiplomacyMeasure is a Cyber Diplomacy Toolbox measure proposed or decided.
type DiplomacyMeasure struct {
	Measure string         `json:"measure"`
	Stage   DiplomacyStage `json:"stage"`
	Detail  string         `json:"detail"`
	Record
}

// Partners with whom points of contact are set up for a case.
const (
	PartnerNATO    = "nato"    // §62(b), §65
	PartnerEuropol = "europol" // §55(a)(vi)
)

// ContactPoint is a point of contact set up with a partner for the case.
type ContactPoint struct {
	Partner string `json:"partner"`
	Contact string `json:"contact"`
	Detail  string `json:"detail,omitempty"`
	Record
}

// MilitaryNotice is a Member State's notice that national or multinational
// military response capabilities are used (§70). Its marking is fixed: only
// EU-CyCLONe, the EEAS and the notifying Member State's organisation see it.
type MilitaryNotice struct {
	MemberState  string `json:"member_state"`
	Capabilities string `json:"capabilities"` // national or multinational
	Detail       string `json:"detail"`
	Record
}

// RecoveryState is how far a core function is restored (§72).
type RecoveryState string

const (
	RecoveryDisrupted RecoveryState = "disrupted"
	RecoveryRestoring RecoveryState = "restoring"
	RecoveryRestored  RecoveryState = "restored"
)

func recoveryStates() []RecoveryState {
	return []RecoveryState{RecoveryDisrupted, RecoveryRestoring, RecoveryRestored}
}

// RecoveryStatus is the latest status of one core function of one sector in
// one Member State; earlier statuses stay in the timeline.
type RecoveryStatus struct {
	MemberState string        `json:"member_state"`
	Sector      string        `json:"sector"`
	Function    string        `json:"function"`
	State       RecoveryState `json:"state"`
	Detail      string        `json:"detail"`
	Record
}

// ReviewStage is where an incident review stands (§73; Regulation 2025/38 art. 21).
type ReviewStage string

const (
	ReviewRequested ReviewStage = "requested"
	ReviewDelivered ReviewStage = "delivered"
)

// ReviewRequest is a request to ENISA for an incident review report, made by
// the Commission or EU-CyCLONe with the agreement of the Member States
// concerned, and its delivery.
type ReviewRequest struct {
	ID           string         `json:"id"`
	RequestedBy  string         `json:"requested_by"` // commission or eu-cyclone
	MemberStates []string       `json:"member_states"`
	Agreements   []Consultation `json:"agreements"`
	Scope        string         `json:"scope"`
	Stage        ReviewStage    `json:"stage"`
	DeliveredAt  time.Time      `json:"delivered_at,omitzero"`
	Delivery     string         `json:"delivery,omitempty"`
	Record
}

// Payloads of the response events.
type (
	hybridFlagged struct {
		Flagged bool   `json:"flagged"`
		Reason  string `json:"reason"`
	}
	mechanismRecorded struct {
		Mechanism   string          `json:"mechanism"`
		Action      MechanismAction `json:"action"`
		MemberState string          `json:"member_state,omitempty"`
		Contact     string          `json:"contact,omitempty"`
		Detail      string          `json:"detail"`
	}
	analysisRecorded struct {
		Analysis string   `json:"analysis"`
		Options  []string `json:"options"`
	}
	communicationRecorded struct {
		Kind         CommunicationKind `json:"kind"`
		MemberState  string            `json:"member_state,omitempty"`
		Audience     string            `json:"audience"`
		PublishedAt  time.Time         `json:"published_at"`
		Link         string            `json:"link,omitempty"`
		EmbargoUntil time.Time         `json:"embargo_until,omitzero"`
		Summary      string            `json:"summary"`
	}
	diplomacyRecorded struct {
		Measure string         `json:"measure"`
		Stage   DiplomacyStage `json:"stage"`
		Detail  string         `json:"detail"`
	}
	contactPointSet struct {
		Partner string `json:"partner"`
		Contact string `json:"contact"`
		Detail  string `json:"detail,omitempty"`
	}
	militaryNoticed struct {
		MemberState  string `json:"member_state"`
		Capabilities string `json:"capabilities"`
		Detail       string `json:"detail"`
	}
	recoveryRecorded struct {
		MemberState string        `json:"member_state"`
		Sector      string        `json:"sector"`
		Function    string        `json:"function"`
		State       RecoveryState `json:"state"`
		Detail      string        `json:"detail"`
	}
	reviewRecorded struct {
		ID           string         `json:"id"`
		Stage        ReviewStage    `json:"stage"`
		RequestedBy  string         `json:"requested_by,omitempty"`
		MemberStates []string       `json:"member_states,omitempty"`
		Agreements   []Consultation `json:"agreements,omitempty"`
		Scope        string         `json:"scope,omitempty"`
		Delivery     string         `json:"delivery,omitempty"`
	}
)

// applyResponse folds a response event; ok is false for another type.
func applyResponse(c Case, e CaseEvent) (Case, bool, error) {
	var err error
	decode := func(v any) {
		if jerr := json.Unmarshal(e.Payload, v); jerr != nil {
			err = fmt.Errorf("%s %s: %w", e.Type, e.ID, jerr)
		}
	}
	r := recordOf(e)
	switch e.Type {
	case EventHybridFlagged:
		var p hybridFlagged
		if decode(&p); err == nil {
			c.Hybrid = &HybridCampaign{Flagged: p.Flagged, Reason: p.Reason, Record: r}
		}
	case EventMechanismRecorded:
		var p mechanismRecorded
		if decode(&p); err == nil {
			c.MechanismLog = append(c.MechanismLog, MechanismRecord{Mechanism: p.Mechanism, Action: p.Action,
				MemberState: p.MemberState, Contact: p.Contact, Detail: p.Detail, Record: r})
		}
	case EventAnalysisRecorded:
		var p analysisRecorded
		if decode(&p); err == nil {
			c.Analyses = append(c.Analyses, IntegratedAnalysis{Analysis: p.Analysis, Options: p.Options, Record: r})
		}
	case EventReserveRequested, EventReserveNotice, EventReserveUpdated:
		c.Reserve, err = applyReserve(c.Reserve, e)
	case EventCommunicationRecorded:
		var p communicationRecorded
		if decode(&p); err == nil {
			c.Communications = append(c.Communications, Communication{Kind: p.Kind, MemberState: p.MemberState, Audience: p.Audience,
				PublishedAt: p.PublishedAt, Link: p.Link, EmbargoUntil: p.EmbargoUntil, Summary: p.Summary, Record: r})
		}
	case EventDiplomacyRecorded:
		var p diplomacyRecorded
		if decode(&p); err == nil {
			c.Diplomacy = append(c.Diplomacy, DiplomacyMeasure{Measure: p.Measure, Stage: p.Stage, Detail: p.Detail, Record: r})
		}
	case EventContactPointSet:
		var p contactPointSet
		if decode(&p); err == nil {
			c.ContactPoints = append(c.ContactPoints, ContactPoint{Partner: p.Partner, Contact: p.Contact, Detail: p.Detail, Record: r})
		}
	case EventMilitaryNotice:
		var p militaryNoticed
		if decode(&p); err == nil {
			c.MilitaryNotices = append(c.MilitaryNotices, MilitaryNotice{MemberState: p.MemberState, Capabilities: p.Capabilities, Detail: p.Detail, Record: r})
		}
	case EventRecoveryRecorded:
		var p recoveryRecorded
		if decode(&p); err == nil {
			s := RecoveryStatus{MemberState: p.MemberState, Sector: p.Sector, Function: p.Function, State: p.State, Detail: p.Detail, Record: r}
			c.Recovery = slices.DeleteFunc(c.Recovery, func(x RecoveryStatus) bool { return x.sameFunction(s) })
			c.Recovery = append(c.Recovery, s)
		}
	case EventReviewRecorded:
		var p reviewRecorded
		if decode(&p); err == nil {
			c.Reviews = applyReview(c.Reviews, p, r)
		}
	default:
		return c, false, nil
	}
	return c, true, err
}

func (s RecoveryStatus) sameFunction(o RecoveryStatus) bool {
	return s.MemberState == o.MemberState && s.Sector == o.Sector && s.Function == o.Function
}

func applyReview(rs []ReviewRequest, p reviewRecorded, r Record) []ReviewRequest {
	if p.Stage == ReviewRequested {
		return append(rs, ReviewRequest{ID: p.ID, RequestedBy: p.RequestedBy, MemberStates: p.MemberStates,
			Agreements: p.Agreements, Scope: p.Scope, Stage: ReviewRequested, Record: r})
	}
	i := slices.IndexFunc(rs, func(x ReviewRequest) bool { return x.ID == p.ID })
	if i < 0 {
		// The viewer may not see the request: the delivery stands alone.
		return append(rs, ReviewRequest{ID: p.ID, Stage: p.Stage, DeliveredAt: r.At, Delivery: p.Delivery, Record: r})
	}
	rs[i].Stage, rs[i].DeliveredAt, rs[i].Delivery = p.Stage, r.At, p.Delivery
	return rs
}

// emptyResponse gives a new case empty lists, so its JSON says [] not null.
func (c *Case) emptyResponse() {
	c.MechanismLog, c.Analyses, c.Reserve = []MechanismRecord{}, []IntegratedAnalysis{}, []ReserveRequest{}
	c.Communications, c.Diplomacy, c.ContactPoints = []Communication{}, []DiplomacyMeasure{}, []ContactPoint{}
	c.MilitaryNotices, c.Recovery, c.Reviews = []MilitaryNotice{}, []RecoveryStatus{}, []ReviewRequest{}
}

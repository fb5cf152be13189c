package crisis

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/eucyber/blueprint/internal/tlp"
)

// Level is a rung of the escalation ladder (§7, §48, §50).
type Level string

const (
	LevelIncident            Level = "incident"              // §7(a)
	LevelSignificant         Level = "significant"           // §7(b)
	LevelPotentialLargeScale Level = "potential-large-scale" // §48, §50, §55(a)(v)
	LevelLargeScale          Level = "large-scale"           // §7(c)
	LevelCyberCrisis         Level = "cyber-crisis"          // §7(d)
)

// Levels lists the ladder from bottom to top.
func Levels() []Level {
	return []Level{LevelIncident, LevelSignificant, LevelPotentialLargeScale, LevelLargeScale, LevelCyberCrisis}
}

// Rank is the level's place on the ladder, 0 for incident; -1 for no level.
func (l Level) Rank() int { return slices.Index(Levels(), l) }

// Case is a Union-level case: national reports of one or many Member States
// linked into one incident, and every decision taken on it (R5, R6, R8). It is
// the fold of its events; a viewer's view is the fold of the events they may
// see (see View).
type Case struct {
	ID           string      `json:"id"`
	Title        string      `json:"title"`
	Summary      string      `json:"summary"`
	Marking      tlp.Marking `json:"marking"`
	Organisation string      `json:"organisation"` // that opened it
	OpenedBy     string      `json:"opened_by"`
	OpenedAt     time.Time   `json:"opened_at"`

	Reports   []LinkedReport `json:"reports"`
	Signals   []Signal       `json:"signals"`
	Decisions []Decision     `json:"decisions"`
	// Level is the decided level: the latest decision's, incident before any.
	Level        Level               `json:"level"`
	Networks     []NetworkActivation `json:"networks"`
	Arrangements []Arrangement       `json:"arrangements"`
	IPCR         IPCR                `json:"ipcr"`
	Roundtables  []Roundtable        `json:"roundtables"`
	// The Union response (R9–R13, response.go and reserve.go).
	Hybrid          *HybridCampaign      `json:"hybrid"`
	MechanismLog    []MechanismRecord    `json:"mechanism_records"`
	Analyses        []IntegratedAnalysis `json:"integrated_analyses"`
	Reserve         []ReserveRequest     `json:"reserve_requests"`
	Communications  []Communication      `json:"communications"`
	Diplomacy       []DiplomacyMeasure   `json:"diplomacy"`
	ContactPoints   []ContactPoint       `json:"contact_points"`
	MilitaryNotices []MilitaryNotice     `json:"military_notices"`
	Recovery        []RecoveryStatus     `json:"recovery"`
	Reviews         []ReviewRequest      `json:"reviews"`
	Closed          bool                 `json:"closed"`
	ClosedAt        time.Time            `json:"closed_at,omitzero"`
	Version         int64                `json:"version"`
}

// LinkedReport is a national report linked to the case.
type LinkedReport struct {
	Report       string    `json:"report"`
	MemberState  string    `json:"member_state"`
	Organisation string    `json:"organisation"`
	LinkedBy     string    `json:"linked_by"`
	LinkedAt     time.Time `json:"linked_at"`
	Event        string    `json:"event"`
}

// SignalKind is a fact the ladder's criteria use that is not in any national
// report: a declaration or an alert, recorded by whoever is competent to give it.
type SignalKind string

const (
	// SignalHubAlert: a cross-border cyber hub's information on a potential or
	// ongoing large-scale incident (§48).
	SignalHubAlert SignalKind = "hub-alert"
	// SignalCapacityExceeded: a Member State's authority declares the disruption
	// exceeds its response capacity (§7(c)).
	SignalCapacityExceeded SignalKind = "response-capacity-exceeded"
	// SignalInternalMarket and SignalPublicSafety: EU-CyCLONe finds the incident
	// hinders the internal market or seriously risks public safety (§7(d)).
	SignalInternalMarket SignalKind = "internal-market-hindered"
	SignalPublicSafety   SignalKind = "public-safety-risk"
)

func signalKinds() []SignalKind {
	return []SignalKind{SignalHubAlert, SignalCapacityExceeded, SignalInternalMarket, SignalPublicSafety}
}

// Signal is one signal in force: recorded, and not ended since.
type Signal struct {
	Kind         SignalKind  `json:"kind"`
	MemberState  string      `json:"member_state,omitempty"` // for response-capacity-exceeded
	Source       string      `json:"source,omitempty"`       // the hub, for hub-alert
	Detail       string      `json:"detail"`
	Organisation string      `json:"organisation"`
	By           string      `json:"by"`
	At           time.Time   `json:"at"`
	Marking      tlp.Marking `json:"marking"`
	Event        string      `json:"event"`
}

// Authority is who took a ladder decision, and in what capacity.
type Authority string

const (
	// AuthorityNational: a Member State's authority assesses significance (§7(b), §49).
	AuthorityNational Authority = "national-assessment"
	// AuthorityNetworkAdvice: the CSIRTs Network advises EU-CyCLONe whether the
	// incident is a potential or ongoing large-scale incident (§50).
	AuthorityNetworkAdvice Authority = "network-advice"
	// AuthorityCyCLONe: EU-CyCLONe's assessment of consequences and impact (§55(b)(iii)).
	AuthorityCyCLONe Authority = "cyclone-assessment"
	// AuthorityCrisis: the determination that the incident is a cyber crisis (§7(d)).
	AuthorityCrisis Authority = "crisis-determination"
)

// Decision is one ladder decision, or a closure or reopening.
type Decision struct {
	Authority    Authority   `json:"authority,omitempty"`
	Level        Level       `json:"level"`
	Previous     Level       `json:"previous"`
	Reason       string      `json:"reason"`
	Closure      bool        `json:"closure,omitempty"`
	Reopening    bool        `json:"reopening,omitempty"`
	Organisation string      `json:"organisation"`
	By           string      `json:"by"`
	At           time.Time   `json:"at"`
	Marking      tlp.Marking `json:"marking"`
	Event        string      `json:"event"`
}

// NetworkActivation is a network's activation state for the case (§49): each
// network decides alone.
type NetworkActivation struct {
	Network       string      `json:"network"`
	Active        bool        `json:"active"`
	ActivatedAt   time.Time   `json:"activated_at,omitzero"`
	DeactivatedAt time.Time   `json:"deactivated_at,omitzero"`
	Reason        string      `json:"reason"`
	By            string      `json:"by"`
	Marking       tlp.Marking `json:"marking"`
	Event         string      `json:"event"`
}

// Arrangement is a procedural arrangement the two networks agreed (§51).
type Arrangement struct {
	Text         string      `json:"text"`
	Organisation string      `json:"organisation"`
	By           string      `json:"by"`
	At           time.Time   `json:"at"`
	Marking      tlp.Marking `json:"marking"`
	Event        string      `json:"event"`
}

// Event types of a case. Every one carries the case id in its stream.
const (
	EventCaseOpened           = "case.opened"
	EventReportLinked         = "case.report-linked"
	EventReportUnlinked       = "case.report-unlinked"
	EventSignalRecorded       = "case.signal-recorded"
	EventLevelDecided         = "case.level-decided"
	EventNetworkActivated     = "case.network-activated"
	EventNetworkDeactivated   = "case.network-deactivated"
	EventArrangementsRecorded = "case.arrangements-recorded"
	EventIPCRDecided          = "case.ipcr-decided"
	EventRoundtableHeld       = "case.roundtable-held"
	EventCaseClosed           = "case.closed"
	EventCaseReopened         = "case.reopened"
)

// Payloads of the case events.
type (
	caseOpened struct {
		ID      string      `json:"id"`
		Title   string      `json:"title"`
		Summary string      `json:"summary"`
		Marking tlp.Marking `json:"marking"`
	}
	reportLinked struct {
		Report       string `json:"report"`
		MemberState  string `json:"member_state"`
		Organisation string `json:"organisation"`
	}
	reportUnlinked struct {
		Report string `json:"report"`
		Reason string `json:"reason"`
	}
	signalRecorded struct {
		Kind        SignalKind `json:"kind"`
		MemberState string     `json:"member_state,omitempty"`
		Source      string     `json:"source,omitempty"`
		Detail      string     `json:"detail"`
		// Ended: the signal no longer holds (capacity restored, the finding
		// withdrawn); it leaves the case's active signals.
		Ended bool `json:"ended,omitempty"`
	}
	levelDecided struct {
		Authority Authority `json:"authority,omitempty"`
		Level     Level     `json:"level"`
		Previous  Level     `json:"previous"`
		Reason    string    `json:"reason"`
	}
	networkChanged struct {
		Network string `json:"network"`
		Reason  string `json:"reason"`
	}
	arrangementsRecorded struct {
		Text string `json:"text"`
	}
	caseClosed struct {
		Reason string `json:"reason"`
	}
)

// CaseEvent is what ApplyCase needs of a stored event.
type CaseEvent struct {
	ID           string
	Type         string
	Payload      []byte
	Version      int64
	User         string
	Organisation string
	At           time.Time
	Marking      tlp.Marking
}

// ApplyCase folds one event into a case.
func ApplyCase(c Case, e CaseEvent) (Case, error) {
	decode := func(v any) error {
		if err := json.Unmarshal(e.Payload, v); err != nil {
			return fmt.Errorf("%s %s: %w", e.Type, e.ID, err)
		}
		return nil
	}
	switch e.Type {
	case EventCaseOpened:
		var p caseOpened
		if err := decode(&p); err != nil {
			return c, err
		}
		c = Case{ID: p.ID, Title: p.Title, Summary: p.Summary, Marking: p.Marking, Organisation: e.Organisation,
			OpenedBy: e.User, OpenedAt: e.At, Level: LevelIncident,
			Reports: []LinkedReport{}, Signals: []Signal{}, Decisions: []Decision{}, Networks: []NetworkActivation{},
			Arrangements: []Arrangement{}, Roundtables: []Roundtable{}, IPCR: IPCR{Mode: IPCRNone, History: []IPCRDecision{}}}
		c.emptyResponse()
	case EventReportLinked:
		var p reportLinked
		if err := decode(&p); err != nil {
			return c, err
		}
		c.Reports = append(c.Reports, LinkedReport{Report: p.Report, MemberState: p.MemberState, Organisation: p.Organisation,
			LinkedBy: e.User, LinkedAt: e.At, Event: e.ID})
	case EventReportUnlinked:
		var p reportUnlinked
		if err := decode(&p); err != nil {
			return c, err
		}
		c.Reports = slices.DeleteFunc(c.Reports, func(l LinkedReport) bool { return l.Report == p.Report })
	case EventSignalRecorded:
		var p signalRecorded
		if err := decode(&p); err != nil {
			return c, err
		}
		if p.Ended {
			c.Signals = slices.DeleteFunc(c.Signals, func(s Signal) bool {
				return s.Kind == p.Kind && s.MemberState == p.MemberState && (p.Source == "" || s.Source == p.Source)
			})
			break
		}
		c.Signals = append(c.Signals, Signal{Kind: p.Kind, MemberState: p.MemberState, Source: p.Source, Detail: p.Detail,
			Organisation: e.Organisation, By: e.User, At: e.At, Marking: e.Marking, Event: e.ID})
	case EventLevelDecided, EventCaseClosed, EventCaseReopened:
		d := Decision{Organisation: e.Organisation, By: e.User, At: e.At, Marking: e.Marking, Event: e.ID, Previous: c.Level, Level: c.Level}
		if e.Type == EventLevelDecided {
			var p levelDecided
			if err := decode(&p); err != nil {
				return c, err
			}
			d.Authority, d.Level, d.Reason = p.Authority, p.Level, p.Reason
			c.Level = p.Level
		} else {
			var p caseClosed
			if err := decode(&p); err != nil {
				return c, err
			}
			d.Reason = p.Reason
			d.Closure, d.Reopening = e.Type == EventCaseClosed, e.Type == EventCaseReopened
			c.Closed = d.Closure
			c.ClosedAt = time.Time{}
			if d.Closure {
				c.ClosedAt = e.At
			}
		}
		c.Decisions = append(c.Decisions, d)
	case EventNetworkActivated, EventNetworkDeactivated:
		var p networkChanged
		if err := decode(&p); err != nil {
			return c, err
		}
		c.Networks = applyNetwork(c.Networks, p, e)
	case EventArrangementsRecorded:
		var p arrangementsRecorded
		if err := decode(&p); err != nil {
			return c, err
		}
		c.Arrangements = append(c.Arrangements, Arrangement{Text: p.Text, Organisation: e.Organisation, By: e.User, At: e.At, Marking: e.Marking, Event: e.ID})
	case EventIPCRDecided:
		var p ipcrDecided
		if err := decode(&p); err != nil {
			return c, err
		}
		c.IPCR = c.IPCR.apply(p, e)
	case EventRoundtableHeld:
		var p roundtableHeld
		if err := decode(&p); err != nil {
			return c, err
		}
		c.Roundtables = applyRoundtable(c.Roundtables, p, e)
	default:
		next, ok, err := applyResponse(c, e)
		if err != nil {
			return c, err
		}
		if !ok {
			return c, fmt.Errorf("event type %s does not belong to a case", e.Type)
		}
		c = next
	}
	c.Version = e.Version
	return c, nil
}

func applyNetwork(ns []NetworkActivation, p networkChanged, e CaseEvent) []NetworkActivation {
	i := slices.IndexFunc(ns, func(n NetworkActivation) bool { return n.Network == p.Network })
	if i < 0 {
		ns = append(ns, NetworkActivation{Network: p.Network})
		i = len(ns) - 1
	}
	n := &ns[i]
	n.Active = e.Type == EventNetworkActivated
	if n.Active {
		n.ActivatedAt, n.DeactivatedAt = e.At, time.Time{}
	} else {
		n.DeactivatedAt = e.At
	}
	n.Reason, n.By, n.Marking, n.Event = p.Reason, e.User, e.Marking, e.ID
	return ns
}

// NetworkActive reports whether the network is activated for the case.
func (c Case) NetworkActive(network string) bool {
	i := slices.IndexFunc(c.Networks, func(n NetworkActivation) bool { return n.Network == network })
	return i >= 0 && c.Networks[i].Active
}

// MemberStates lists the Member States whose reports are linked, sorted.
func (c Case) MemberStates() []string {
	var ms []string
	for _, r := range c.Reports {
		ms = append(ms, r.MemberState)
	}
	slices.Sort(ms)
	return slices.Compact(ms)
}

// Linked reports whether the report is linked to the case.
func (c Case) Linked(report string) bool {
	return slices.ContainsFunc(c.Reports, func(l LinkedReport) bool { return l.Report == report })
}

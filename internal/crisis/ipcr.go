package crisis

import (
	"fmt"
	"slices"
	"time"

	"github.com/eucyber/blueprint/internal/tlp"
)

// IPCRMode is the Council's Integrated Political Crisis Response arrangement
// for the case (R8, §39, §55(c)(iv), §56–§58, Annex II(3)).
type IPCRMode string

const (
	IPCRNone               IPCRMode = "none"
	IPCRMonitoring         IPCRMode = "monitoring"          // a monitoring page on the IPCR web platform (§39)
	IPCRInformationSharing IPCRMode = "information-sharing" // ISAA activated (§55(c)(iv))
	IPCRFull               IPCRMode = "full"                // §56–§58
	// IPCRDeactivated is recorded as a decision; the mode it leaves is none.
	IPCRDeactivated IPCRMode = "deactivated"
)

func ipcrModes() []IPCRMode {
	return []IPCRMode{IPCRMonitoring, IPCRInformationSharing, IPCRFull, IPCRDeactivated}
}

// Rank orders the modes: none and deactivated 0, monitoring 1, information
// sharing 2, full 3.
func (m IPCRMode) Rank() int {
	switch m {
	case IPCRMonitoring:
		return 1
	case IPCRInformationSharing:
		return 2
	case IPCRFull:
		return 3
	}
	return 0
}

// Consultation is one party the Presidency consulted before activating or
// deactivating IPCR (Annex II(3)): an affected Member State ("member-state:NL"),
// the Commission ("commission") or the High Representative
// ("high-representative").
type Consultation struct {
	Party   string    `json:"party"`
	At      time.Time `json:"at"`
	Summary string    `json:"summary,omitempty"`
}

// IPCR is the case's IPCR state and the decisions that led to it.
type IPCR struct {
	Mode    IPCRMode       `json:"mode"`
	Since   time.Time      `json:"since,omitzero"`
	History []IPCRDecision `json:"history"`
}

// IPCRDecision is one recorded change of mode.
type IPCRDecision struct {
	Mode          IPCRMode       `json:"mode"`
	Previous      IPCRMode       `json:"previous"`
	Reason        string         `json:"reason"`
	Consultations []Consultation `json:"consultations"`
	// SolidarityClause: art. 222 TFEU is invoked, so no consultation is required.
	SolidarityClause bool `json:"solidarity_clause,omitempty"`
	// WithPresidency: the GSC, the Commission or the EEAS recorded
	// information-sharing mode together with the Presidency (Annex II(3)).
	WithPresidency bool        `json:"with_presidency,omitempty"`
	Organisation   string      `json:"organisation"`
	By             string      `json:"by"`
	At             time.Time   `json:"at"`
	Marking        tlp.Marking `json:"marking"`
	Event          string      `json:"event"`
}

type ipcrDecided struct {
	Mode             IPCRMode       `json:"mode"`
	Previous         IPCRMode       `json:"previous"`
	Reason           string         `json:"reason"`
	Consultations    []Consultation `json:"consultations"`
	SolidarityClause bool           `json:"solidarity_clause,omitempty"`
	WithPresidency   bool           `json:"with_presidency,omitempty"`
}

func (s IPCR) apply(p ipcrDecided, e CaseEvent) IPCR {
	s.History = append(s.History, IPCRDecision{Mode: p.Mode, Previous: p.Previous, Reason: p.Reason,
		Consultations: p.Consultations, SolidarityClause: p.SolidarityClause, WithPresidency: p.WithPresidency,
		Organisation: e.Organisation, By: e.User, At: e.At, Marking: e.Marking, Event: e.ID})
	s.Mode, s.Since = p.Mode, e.At
	if p.Mode == IPCRDeactivated {
		s.Mode = IPCRNone
	}
	return s
}

// Roundtable is an IPCR roundtable (§58(c)): the gaps in the response it
// identified, each with the actor invited to close it, and the report-backs it
// heard on gaps of earlier roundtables.
type Roundtable struct {
	ID          string       `json:"id"`
	HeldAt      time.Time    `json:"held_at"`
	Summary     string       `json:"summary"`
	Gaps        []Gap        `json:"gaps"`
	ReportBacks []ReportBack `json:"report_backs"`
	By          string       `json:"by"`
	Marking     tlp.Marking  `json:"marking"`
	Event       string       `json:"event"`
}

// Gap is a specific gap in the response and who is invited to close it.
type Gap struct {
	ID           string    `json:"id"`
	Description  string    `json:"description"`
	InvitedActor string    `json:"invited_actor"`
	Due          time.Time `json:"due,omitzero"`
	// ReportedAt is the roundtable that heard the invited actor report back.
	ReportedAt string `json:"reported_at,omitempty"`
}

// ReportBack is an invited actor's report on a gap, heard at a later roundtable.
type ReportBack struct {
	Gap     string `json:"gap"`
	Summary string `json:"summary"`
}

type roundtableHeld struct {
	ID          string       `json:"id"`
	HeldAt      time.Time    `json:"held_at"`
	Summary     string       `json:"summary"`
	Gaps        []Gap        `json:"gaps"`
	ReportBacks []ReportBack `json:"report_backs"`
}

func applyRoundtable(rts []Roundtable, p roundtableHeld, e CaseEvent) []Roundtable {
	for _, rb := range p.ReportBacks {
		for i := range rts {
			for j := range rts[i].Gaps {
				if rts[i].Gaps[j].ID == rb.Gap {
					rts[i].Gaps[j].ReportedAt = p.ID
				}
			}
		}
	}
	return append(rts, Roundtable{ID: p.ID, HeldAt: p.HeldAt, Summary: p.Summary, Gaps: p.Gaps,
		ReportBacks: p.ReportBacks, By: e.User, Marking: e.Marking, Event: e.ID})
}

// OpenGaps lists the gaps not yet reported back on.
func (c Case) OpenGaps() []Gap {
	var gs []Gap
	for _, rt := range c.Roundtables {
		for _, g := range rt.Gaps {
			if g.ReportedAt == "" {
				gs = append(gs, g)
			}
		}
	}
	return gs
}

// gapID numbers gaps across the case's roundtables: gap-1, gap-2, ...
func (c Case) nextGapID(offset int) string {
	n := 0
	for _, rt := range c.Roundtables {
		n += len(rt.Gaps)
	}
	return fmt.Sprintf("gap-%d", n+offset+1)
}

// requiredConsultations lists the parties the Presidency consults before
// activating or deactivating IPCR (Annex II(3), §19): the affected Member
// States, the Commission and the High Representative.
func requiredConsultations(affected []string) []string {
	var ps []string
	for _, ms := range affected {
		if ms != UnionEntities {
			ps = append(ps, "member-state:"+ms)
		}
	}
	return append(ps, "commission", "high-representative")
}

func missingConsultations(affected []string, given []Consultation) []string {
	var missing []string
	for _, p := range requiredConsultations(affected) {
		if !slices.ContainsFunc(given, func(c Consultation) bool { return c.Party == p }) {
			missing = append(missing, p)
		}
	}
	return missing
}

package crisis

import "slices"

// Allowed is what one caller may record on a case as it stands, so a screen
// shows exactly the controls they may use. Each entry is derived from the same
// rules the Decide functions apply, which have the last word.
type Allowed struct {
	Decisions    []DecisionOption `json:"decisions"`
	Networks     []string         `json:"networks"`
	Signals      []SignalKind     `json:"signals"`
	Arrangements bool             `json:"arrangements"`
	IPCR         []IPCRMode       `json:"ipcr"`
	Roundtable   bool             `json:"roundtable"`
	Close        bool             `json:"close"`
	Reopen       bool             `json:"reopen"`
	Response     AllowedResponse  `json:"response"`
}

// AllowedResponse is what the caller may record of the Union response.
type AllowedResponse struct {
	Hybrid           bool              `json:"hybrid"`
	MechanismActions []MechanismAction `json:"mechanism_actions"`
	Analysis         bool              `json:"analysis"`
	ReserveRequest   bool              `json:"reserve_request"`
	// ReserveUpdates maps a request id to the statuses the caller may set.
	ReserveUpdates map[string][]ReserveStatus `json:"reserve_updates"`
	Communication  []CommunicationKind        `json:"communication"`
	Diplomacy      []DiplomacyStage           `json:"diplomacy"`
	ContactPoints  []string                   `json:"contact_points"`
	MilitaryNotice bool                       `json:"military_notice"`
	Recovery       bool                       `json:"recovery"`
	ReviewRequest  bool                       `json:"review_request"`
	ReviewDelivery bool                       `json:"review_delivery"`
}

// Any reports whether the caller may record anything of the response.
func (a AllowedResponse) Any() bool {
	return a.Hybrid || len(a.MechanismActions) > 0 || a.Analysis || a.ReserveRequest || len(a.ReserveUpdates) > 0 ||
		len(a.Communication) > 0 || len(a.Diplomacy) > 0 || len(a.ContactPoints) > 0 || a.MilitaryNotice ||
		a.Recovery || a.ReviewRequest || a.ReviewDelivery
}

func allowedResponse(who Reporter, c Case) AllowedResponse {
	a := AllowedResponse{MechanismActions: []MechanismAction{}, ReserveUpdates: map[string][]ReserveStatus{},
		Communication: []CommunicationKind{}, Diplomacy: []DiplomacyStage{}, ContactPoints: []string{}}
	a.Hybrid = who.mayFlagHybrid() == nil
	for _, act := range mechanismActions() {
		if who.mayRecordMechanism(act) == nil {
			a.MechanismActions = append(a.MechanismActions, act)
		}
	}
	a.Analysis = who.mayAnalyse() == nil
	_, err := who.mayRequestReserve()
	a.ReserveRequest = err == nil
	for _, r := range c.Reserve {
		for _, s := range reserveNext[r.Status] {
			if who.mayUpdateReserve(r, s) == nil {
				a.ReserveUpdates[r.ID] = append(a.ReserveUpdates[r.ID], s)
			}
		}
	}
	for _, k := range communicationKinds() {
		if who.mayCommunicate(k) == nil {
			a.Communication = append(a.Communication, k)
		}
	}
	for _, s := range []DiplomacyStage{DiplomacyProposed, DiplomacyDecided} {
		if who.mayRecordDiplomacy(s) == nil {
			a.Diplomacy = append(a.Diplomacy, s)
		}
	}
	for _, p := range []string{PartnerNATO, PartnerEuropol} {
		if who.maySetContact(p) == nil {
			a.ContactPoints = append(a.ContactPoints, p)
		}
	}
	a.MilitaryNotice = who.mayNotifyMilitary() == nil
	_, err = who.mayRecordRecovery()
	a.Recovery = err == nil
	_, err = who.mayRecordReview(ReviewRequested)
	a.ReviewRequest = err == nil
	_, err = who.mayRecordReview(ReviewDelivered)
	a.ReviewDelivery = err == nil && slices.ContainsFunc(c.Reviews, func(r ReviewRequest) bool { return r.Stage == ReviewRequested })
	return a
}

// DecisionOption is one capacity the caller may decide in, with the levels it
// may set from where the case stands.
type DecisionOption struct {
	Authority Authority `json:"authority"`
	Ref       string    `json:"ref"`
	Levels    []Level   `json:"levels"`
}

// AllowedFor computes what the caller may record on the case now.
func AllowedFor(who Reporter, c Case) Allowed {
	a := Allowed{Decisions: []DecisionOption{}, Networks: []string{}, Signals: []SignalKind{}, IPCR: []IPCRMode{},
		Response: AllowedResponse{MechanismActions: []MechanismAction{}, ReserveUpdates: map[string][]ReserveStatus{},
			Communication: []CommunicationKind{}, Diplomacy: []DiplomacyStage{}, ContactPoints: []string{}}}
	if c.Closed {
		a.Reopen = who.mayClose(c) == nil
		return a
	}
	if who.needDecider() == nil {
		for _, auth := range []Authority{AuthorityNational, AuthorityNetworkAdvice, AuthorityCyCLONe, AuthorityCrisis} {
			rule := authorityRules()[auth]
			if !rule.allowed(who, c) || c.Level.Rank() > rule.reach.Rank() {
				continue
			}
			var levels []Level
			for _, l := range rule.levels {
				if l != c.Level && reachable(auth, c.Level, l) == nil {
					levels = append(levels, l)
				}
			}
			if len(levels) > 0 {
				a.Decisions = append(a.Decisions, DecisionOption{Authority: auth, Ref: rule.ref, Levels: levels})
			}
		}
	}
	for _, n := range []string{NetworkCSIRTs, NetworkCyCLONe} {
		if who.mayActivate(n) == nil {
			a.Networks = append(a.Networks, n)
		}
	}
	for _, k := range signalKinds() {
		if who.maySignal(k) == nil {
			a.Signals = append(a.Signals, k)
		}
	}
	a.Arrangements = who.mayArrange() == nil
	for _, m := range ipcrModes() {
		if m != c.IPCR.Mode && !(m == IPCRDeactivated && c.IPCR.Mode == IPCRNone) && who.mayDecideIPCR(m, true) == nil {
			a.IPCR = append(a.IPCR, m)
		}
	}
	a.Roundtable = who.mayHoldRoundtable() == nil && c.IPCR.Mode.Rank() >= IPCRInformationSharing.Rank()
	a.Close = who.mayClose(c) == nil
	a.Response = allowedResponse(who, c)
	return a
}

// MayDecide reports whether the caller may record a decision in this capacity.
func (a Allowed) MayDecide(auth Authority) bool {
	return slices.ContainsFunc(a.Decisions, func(o DecisionOption) bool { return o.Authority == auth })
}

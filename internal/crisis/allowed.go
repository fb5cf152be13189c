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
	a := Allowed{Decisions: []DecisionOption{}, Networks: []string{}, Signals: []SignalKind{}, IPCR: []IPCRMode{}}
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
	return a
}

// MayDecide reports whether the caller may record a decision in this capacity.
func (a Allowed) MayDecide(auth Authority) bool {
	return slices.ContainsFunc(a.Decisions, func(o DecisionOption) bool { return o.Authority == auth })
}

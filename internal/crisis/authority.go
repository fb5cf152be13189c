package crisis

import (
	"slices"

	"github.com/eucyber/blueprint/internal/failure"
)

// Who may record what on a case. Each rule names the paragraph that gives the
// competence, and a refusal says who is competent instead, so a crisis officer
// knows whom to call. A network's decision is recorded by a coordinator (or
// admin) of the organisation that chairs it: "the decision to activate a
// network rests solely with that network" (§49).

// Network ids of the model.
const (
	NetworkCSIRTs  = "csirts-network"
	NetworkCyCLONe = "eu-cyclone"
)

// Model actors that record decisions on a case.
const (
	ActorPresidency = "presidency"
	ActorCommission = "commission"
	ActorEEAS       = "eeas"
	ActorCouncil    = "council"
	ActorENISA      = "enisa"
	ActorCERTEU     = "cert-eu"
	ActorHubs       = "cross-border-cyber-hubs"
)

func (r Reporter) chairs(network string) bool { return slices.Contains(r.Chairs, network) }

func (r Reporter) decides() bool { return r.Role == "coordinator" || r.Role == "admin" }

func (r Reporter) nationalAuthority() bool {
	return slices.Contains(reportingKinds, r.NationalKind) && r.MemberState != ""
}

func forbidden(msg string) error { return failure.New(failure.Forbidden, "%s", msg) }

// needDecider refuses viewers and analysts: decisions are a coordinator's.
func (r Reporter) needDecider() error {
	if !r.decides() {
		return forbidden("decisions are recorded by a coordinator (or admin) of the competent organisation; your role is " + r.Role)
	}
	return nil
}

// mayOpen: a Member State's CSIRT, crisis authority or sectoral authority,
// CERT-EU, ENISA as the networks' secretariat, or a network's chair (§49, §18).
func (r Reporter) mayOpen() error {
	if err := r.mayWrite(); err != nil {
		return err
	}
	if r.nationalAuthority() || r.Actor == ActorCERTEU || r.Actor == ActorENISA || len(r.Chairs) > 0 {
		return nil
	}
	return forbidden("a Union-level case is opened by a Member State's CSIRT or authority, CERT-EU, ENISA or a network's chair (§49)")
}

// mayLink: the organisation that filed the report shares it (§49, voluntary
// under §5), or ENISA and the CSIRTs Network's chair aggregate reports they may
// see (§55(a)(iv)).
func (r Reporter) mayLink(rep NationalReport) error {
	if err := r.mayWrite(); err != nil {
		return err
	}
	if rep.Organisation == r.Organisation || r.Actor == ActorENISA || r.chairs(NetworkCSIRTs) {
		return nil
	}
	return forbidden("a report is linked to a case by the organisation that filed it, by ENISA or by the CSIRTs Network's chair (§49, §55(a)(iv))")
}

// maySignal checks who may record each kind of signal.
func (r Reporter) maySignal(k SignalKind) error {
	switch k {
	case SignalHubAlert:
		if err := r.mayWrite(); err != nil {
			return err
		}
		if r.Actor == ActorHubs || len(r.Networks) > 0 || len(r.Chairs) > 0 || r.Actor == ActorENISA {
			return nil
		}
		return forbidden("a cross-border cyber hub's alert is recorded by the hub or relayed by a member of the CSIRTs Network or EU-CyCLONe (§48)")
	case SignalCapacityExceeded:
		if err := r.needDecider(); err != nil {
			return err
		}
		if r.nationalAuthority() {
			return nil
		}
		return forbidden("only a Member State's own authority declares that an incident exceeds its response capacity (§7(c))")
	case SignalInternalMarket, SignalPublicSafety:
		if err := r.needDecider(); err != nil {
			return err
		}
		if r.chairs(NetworkCyCLONe) {
			return nil
		}
		return forbidden("EU-CyCLONe assesses consequences and impact (§55(b)(iii)): its chair records this finding (§7(d))")
	}
	return failure.Field("kind", "%q is not a signal kind (hub-alert, response-capacity-exceeded, internal-market-hindered, public-safety-risk)", k)
}

// authorityRule says who decides in one capacity, which levels it may set,
// and the highest decided level it may still change: a network does not undo
// a political determination.
type authorityRule struct {
	levels  []Level
	reach   Level
	ref     string
	refusal string
	allowed func(r Reporter, c Case) bool
}

func authorityRules() map[Authority]authorityRule {
	return map[Authority]authorityRule{
		AuthorityNational: {
			levels: []Level{LevelIncident, LevelSignificant}, reach: LevelSignificant, ref: "§7(b), §49",
			refusal: "a significance assessment is recorded by the authority of a Member State whose report is linked to the case (§7(b), §49)",
			allowed: func(r Reporter, c Case) bool {
				return r.nationalAuthority() && slices.Contains(c.MemberStates(), r.MemberState)
			},
		},
		AuthorityNetworkAdvice: {
			levels: []Level{LevelSignificant, LevelPotentialLargeScale, LevelLargeScale}, reach: LevelLargeScale, ref: "§50",
			refusal: "only the CSIRTs Network advises EU-CyCLONe whether an incident is a potential or ongoing large-scale incident: its chair records the advice (§50)",
			allowed: func(r Reporter, _ Case) bool { return r.chairs(NetworkCSIRTs) },
		},
		AuthorityCyCLONe: {
			levels: []Level{LevelSignificant, LevelPotentialLargeScale, LevelLargeScale}, reach: LevelLargeScale, ref: "§55(b)(iii), §7(c)",
			refusal: "only EU-CyCLONe records its assessment of consequences and impact: its chair records it (§55(b)(iii))",
			allowed: func(r Reporter, _ Case) bool { return r.chairs(NetworkCyCLONe) },
		},
		AuthorityCrisis: {
			levels: []Level{LevelLargeScale, LevelCyberCrisis}, reach: LevelCyberCrisis, ref: "§7(d), §19, §39",
			refusal: "the cyber-crisis determination is taken at political level: the Council Presidency records it (§7(d), §19)",
			allowed: func(r Reporter, _ Case) bool { return r.Actor == ActorPresidency },
		},
	}
}

// mayClose: whoever may decide the case's current level may close it; the
// Presidency may close any case (§7, §19).
func (r Reporter) mayClose(c Case) error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if r.Actor == ActorPresidency {
		return nil
	}
	for _, rule := range authorityRules() {
		if c.Level.Rank() <= rule.reach.Rank() && rule.allowed(r, c) {
			return nil
		}
	}
	return forbidden("a case at " + string(c.Level) + " is closed or reopened by the actor competent for that level: " + competentFor(c.Level))
}

func competentFor(l Level) string {
	switch {
	case l.Rank() <= LevelSignificant.Rank():
		return "the authority of an affected Member State, or a network's chair"
	case l.Rank() <= LevelLargeScale.Rank():
		return "the chair of the CSIRTs Network or of EU-CyCLONe"
	}
	return "the Council Presidency"
}

// mayActivate: only the network itself, through its chair (§49).
func (r Reporter) mayActivate(network string) error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if r.chairs(network) {
		return nil
	}
	return forbidden("the decision to activate " + network + " rests solely with that network: its chair records it (§49)")
}

// mayArrange: the two networks agree procedural arrangements; either chair
// records them (§51).
func (r Reporter) mayArrange() error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if r.chairs(NetworkCSIRTs) || r.chairs(NetworkCyCLONe) {
		return nil
	}
	return forbidden("procedural arrangements between the CSIRTs Network and EU-CyCLONe are recorded by the chair of either (§51)")
}

// mayDecideIPCR: the Presidency decides; the GSC, the Commission and the EEAS
// may, with the Presidency, activate information-sharing mode (Annex II(3)).
func (r Reporter) mayDecideIPCR(mode IPCRMode, withPresidency bool) error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if r.Actor == ActorPresidency {
		return nil
	}
	if mode == IPCRInformationSharing && slices.Contains([]string{ActorCouncil, ActorCommission, ActorEEAS}, r.Actor) {
		if withPresidency {
			return nil
		}
		return failure.Field("with_presidency", "the GSC, the Commission and the EEAS activate information-sharing mode together with the Presidency (Annex II(3)): confirm it with with_presidency: true")
	}
	return forbidden("the Council Presidency decides IPCR activation and deactivation; the GSC, the Commission and the EEAS may, with it, activate information-sharing mode (Annex II(3))")
}

// mayHoldRoundtable: the Presidency convenes IPCR roundtables (§58(c)).
func (r Reporter) mayHoldRoundtable() error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if r.Actor == ActorPresidency {
		return nil
	}
	return forbidden("IPCR roundtables are convened by the Council Presidency, which records them (§58(c))")
}

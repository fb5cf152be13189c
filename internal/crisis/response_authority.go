package crisis

import (
	"slices"
)

// Who may record each part of the Union response. As in authority.go, every
// rule names its paragraph and a refusal says who is competent instead.

// unionActor: the organisation is a Union institution, body or agency of the
// model (not a Member State's).
func (r Reporter) unionActor() bool { return r.Actor != "" && r.Actor != ActorHubs }

// mayFlagHybrid: whether the activity is part of a hybrid campaign is judged
// at political level and by EU-CyCLONe (§55(c)(vi)).
func (r Reporter) mayFlagHybrid() error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if slices.Contains([]string{ActorPresidency, ActorCouncil, ActorCommission, ActorEEAS}, r.Actor) || r.chairs(NetworkCyCLONe) {
		return nil
	}
	return forbidden("whether the case is part of a hybrid campaign is recorded by the Presidency, the Council, the Commission, the EEAS or EU-CyCLONe's chair (§55(c)(vi))")
}

// mayRecordMechanism: a Member State's authority or a Union actor requests a
// mechanism's activation (§55(b)(iv)(a), §55(c)(iii)); the Union body that runs
// it records its activation or deactivation; either sets up points of contact.
func (r Reporter) mayRecordMechanism(a MechanismAction) error {
	switch a {
	case MechanismRequested:
		if err := r.needDecider(); err != nil {
			return err
		}
		if r.nationalAuthority() || r.unionActor() || r.chairs(NetworkCyCLONe) {
			return nil
		}
		return forbidden("a mechanism's activation is requested by a Member State's authority or a Union institution, body or agency (§55(b)(iv)(a), §55(c)(iii))")
	case MechanismActivated, MechanismDeactivated:
		if err := r.needDecider(); err != nil {
			return err
		}
		if r.unionActor() {
			return nil
		}
		return forbidden("a Union mechanism's activation is recorded by the Union institution, body or agency that runs it (Annex II(3)–(4))")
	case MechanismContact:
		if err := r.mayWrite(); err != nil {
			return err
		}
		if r.nationalAuthority() || r.unionActor() {
			return nil
		}
		return forbidden("points of contact for a mechanism are recorded by a Member State's authority or a Union institution, body or agency (Annex II(3)–(4))")
	}
	return forbidden("unknown mechanism action")
}

// mayAnalyse: the Commission provides the integrated cross-sector analysis
// (§55(b)(iv)(c)).
func (r Reporter) mayAnalyse() error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if r.Actor == ActorCommission {
		return nil
	}
	return forbidden("the integrated cross-sector analysis with options for an integrated response plan is the Commission's (§55(b)(iv)(c))")
}

// reserveUserKinds are the national Reserve users of Regulation 2025/38
// art. 14(3)(a): cyber crisis management authorities and CSIRTs.
var reserveUserKinds = []string{"csirt", "cyber-crisis-management-authority"}

// mayRequestReserve returns for whom the caller requests Reserve services: its
// Member State (through the single point of contact) or, for CERT-EU, the
// Union entities (Regulation 2025/38 art. 14(3), 15(3)).
func (r Reporter) mayRequestReserve() (string, error) {
	if err := r.needDecider(); err != nil {
		return "", err
	}
	switch {
	case r.Actor == ActorCERTEU:
		return UnionEntities, nil
	case slices.Contains(reserveUserKinds, r.NationalKind) && r.MemberState != "":
		return r.MemberState, nil
	}
	return "", forbidden("Reserve services are requested by a Member State's cyber crisis management authority or CSIRT, through its single point of contact, or by CERT-EU for Union entities (§55(b)(v); Regulation 2025/38 arts. 14(3), 15(3))")
}

// mayUpdateReserve: the Commission, with ENISA, assesses, approves or refuses,
// deploys and ends the support (Regulation 2025/38 arts. 10, 16); the
// requester's organisation, or another Reserve user of its Member State,
// submits the user's report.
func (r Reporter) mayUpdateReserve(req ReserveRequest, s ReserveStatus) error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if s == ReserveReported {
		if r.Organisation == req.Organisation || (req.Requester != UnionEntities && r.MemberState == req.Requester && slices.Contains(reserveUserKinds, r.NationalKind)) {
			return nil
		}
		return forbidden("the summary report on the support is submitted by the user that requested it (Regulation 2025/38 art. 16)")
	}
	if r.Actor == ActorCommission || r.Actor == ActorENISA {
		return nil
	}
	return forbidden("a Reserve request is assessed, approved or refused, deployed and ended by the Commission, with ENISA (§20; Regulation 2025/38 arts. 10, 16)")
}

// mayCommunicate: Member States, the Commission and the High Representative
// share their public communication (§59); EU-CyCLONe's chair records its
// overview for the Council (§61).
func (r Reporter) mayCommunicate(k CommunicationKind) error {
	if err := r.mayWrite(); err != nil {
		return err
	}
	if k == CommunicationOverview {
		if r.chairs(NetworkCyCLONe) {
			return nil
		}
		return forbidden("the overview of public communication for the Council is EU-CyCLONe's: its chair records it (§61)")
	}
	if r.nationalAuthority() || r.Actor == ActorCommission || r.Actor == ActorEEAS {
		return nil
	}
	return forbidden("public communication is shared by a Member State's authority, the Commission or the EEAS (§59)")
}

// mayRecordDiplomacy: the High Representative proposes Cyber Diplomacy
// Toolbox measures, as may a Member State or the Commission; the Council
// decides, and the Presidency records its decision (§55(c)(ii), §62(a)).
func (r Reporter) mayRecordDiplomacy(s DiplomacyStage) error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if s == DiplomacyDecided {
		if r.Actor == ActorPresidency || r.Actor == ActorCouncil {
			return nil
		}
		return forbidden("Cyber Diplomacy Toolbox measures are decided by the Council: the Presidency or the GSC records the decision (§55(c)(ii), §62(a))")
	}
	if slices.Contains([]string{ActorEEAS, ActorCommission, ActorPresidency, ActorCouncil}, r.Actor) || r.nationalAuthority() {
		return nil
	}
	return forbidden("Cyber Diplomacy Toolbox measures are proposed by the High Representative, the Commission, the Council or a Member State (§62(a))")
}

// maySetContact: the Commission and the High Representative set up points of
// contact with NATO (§62(b), §65); the CSIRTs Network with Europol
// (§55(a)(vi)).
func (r Reporter) maySetContact(partner string) error {
	if err := r.mayWrite(); err != nil {
		return err
	}
	switch partner {
	case PartnerNATO:
		if r.Actor == ActorCommission || r.Actor == ActorEEAS {
			return nil
		}
		return forbidden("points of contact with NATO are set up by the Commission and the High Representative (§65)")
	case PartnerEuropol:
		if r.chairs(NetworkCSIRTs) {
			return nil
		}
		return forbidden("the CSIRTs Network sets up points of contact with Europol: its chair records them (§55(a)(vi))")
	}
	return forbidden("unknown partner")
}

// mayNotifyMilitary: a Member State informs EU-CyCLONe and the EEAS (§70).
func (r Reporter) mayNotifyMilitary() error {
	if err := r.needDecider(); err != nil {
		return err
	}
	if r.nationalAuthority() {
		return nil
	}
	return forbidden("the use of military response capabilities is notified by the Member State concerned, through its authority (§70)")
}

// mayRecordRecovery: each Member State records its own core functions' status
// (§72); CERT-EU those of Union entities.
func (r Reporter) mayRecordRecovery() (string, error) {
	if err := r.mayWrite(); err != nil {
		return "", err
	}
	switch {
	case r.nationalAuthority():
		return r.MemberState, nil
	case r.Actor == ActorCERTEU:
		return UnionEntities, nil
	}
	return "", forbidden("the recovery of core functions is recorded by the Member State's authority, or CERT-EU for Union entities (§72)")
}

// mayRecordReview: the Commission or EU-CyCLONe requests an incident review
// (§73; Regulation 2025/38 art. 21); ENISA records its delivery.
func (r Reporter) mayRecordReview(s ReviewStage) (string, error) {
	if err := r.needDecider(); err != nil {
		return "", err
	}
	if s == ReviewDelivered {
		if r.Actor == ActorENISA {
			return "", nil
		}
		return "", forbidden("the incident review report is delivered by ENISA, which records it (Regulation 2025/38 art. 21)")
	}
	switch {
	case r.Actor == ActorCommission:
		return ActorCommission, nil
	case r.chairs(NetworkCyCLONe):
		return NetworkCyCLONe, nil
	}
	return "", forbidden("an incident review by ENISA is requested by the Commission or EU-CyCLONe, whose chair records it (§73; Regulation 2025/38 art. 21)")
}

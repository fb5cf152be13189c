package cases

import (
	"encoding/json"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/playbook"
)

// responseFields are the fields of a response event's payload the playbook
// reads.
type responseFields struct {
	Action  string `json:"action"`
	Status  string `json:"status"`
	Kind    string `json:"kind"`
	Stage   string `json:"stage"`
	Partner string `json:"partner"`
}

// responseOccurrence names a Union-response event in the playbook's words
// (playbook.EventReserveRequested and the others), which the steps of
// §55(b)(iv)–(v), §59–§73 complete on; ok is false for an event no step reads.
func responseOccurrence(o playbook.Occurrence, payload []byte) (playbook.Occurrence, bool) {
	var f responseFields
	_ = json.Unmarshal(payload, &f) // decoded once already by ApplyCase
	switch o.Type {
	case crisis.EventMechanismRecorded:
		if f.Action == string(crisis.MechanismRequested) {
			return withType(o, playbook.EventMechanismRequested), true
		}
	case crisis.EventReserveNotice:
		// The notice, not the request: a viewer who may see the request but
		// not the statuses (which go to the same networks as the notice)
		// would otherwise see the deployment step fall overdue.
		return withType(o, playbook.EventReserveRequested), true
	case crisis.EventReserveUpdated:
		if f.Status == string(crisis.ReserveDeployed) {
			return withType(o, playbook.EventReserveDeployed), true
		}
	case crisis.EventCommunicationRecorded:
		r := withType(o, playbook.EventCommunicationRecorded)
		if f.Kind == string(crisis.CommunicationOverview) {
			// EU-CyCLONe's overview, recorded by its chair for the network (§61).
			r.Actor = crisis.NetworkCyCLONe
		}
		return r, true
	case crisis.EventDiplomacyRecorded:
		if f.Stage == string(crisis.DiplomacyDecided) {
			return withType(o, playbook.EventDiplomacyDecided), true
		}
	case crisis.EventContactPointSet:
		switch f.Partner {
		case crisis.PartnerNATO:
			return withType(o, playbook.EventNATOContactSet), true
		case crisis.PartnerEuropol:
			return withType(o, playbook.EventEuropolContactSet), true
		}
	case crisis.EventMilitaryNotice:
		return withType(o, playbook.EventMilitaryNotice), true
	case crisis.EventRecoveryRecorded:
		return withType(o, playbook.EventRecoveryRecorded), true
	case crisis.EventReviewRecorded:
		if f.Stage == string(crisis.ReviewRequested) {
			return withType(o, playbook.EventReviewRequested), true
		}
	}
	return o, false
}

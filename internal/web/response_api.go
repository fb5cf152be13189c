package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The Union response on a case (R9–R13): each route is one command, through
// caseCommand, so the caller must see the case and crisis decides who may
// record what.

func handleHybrid(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.HybridRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideHybrid(who, c, req) }, nil
	})
}

func handleMechanismRecord(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.MechanismRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideMechanism(d.Model, who, c, req) }, nil
	})
}

func handleAnalysis(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.AnalysisRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideAnalysis(who, c, req) }, nil
	})
}

// newRecordID names a request within its case: readable in URLs and forms,
// and unique because commands on a case are serialised by its version.
func newRecordID(prefix string, c crisis.Case) string {
	return prefix + "-" + strconv.FormatInt(c.Version+1, 10)
}

func handleReserveRequest(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.ReserveRequestBody) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) {
			return crisis.DecideReserveRequest(who, c, newRecordID("reserve", c), req, d.Cases.Now())
		}, nil
	})
}

func handleReserveUpdate(d Deps) apiHandler {
	return caseCommand(d, func(r *http.Request, who crisis.Reporter, req crisis.ReserveUpdateBody) (cases.Decider, error) {
		id := r.PathValue("request")
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideReserveUpdate(who, c, id, req) }, nil
	})
}

func handleCommunication(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.CommunicationRequest) (cases.Decider, error) {
		now := d.Cases.Now()
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideCommunication(who, c, req, now) }, nil
	})
}

func handleDiplomacy(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.DiplomacyRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideDiplomacy(who, c, req) }, nil
	})
}

func handleContactPoint(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.ContactRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideContact(who, c, req) }, nil
	})
}

func handleMilitaryNotice(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.MilitaryRequest) (cases.Decider, error) {
		recipients := d.militaryRecipients()
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideMilitaryNotice(who, c, req, recipients) }, nil
	})
}

// militaryRecipients are the organisations §70 informs: EU-CyCLONe's members,
// chair and secretariat (not its observers, and not the Commission through a
// conditional membership), and the EEAS. The notice names them when it is
// recorded, so an organisation that joins EU-CyCLONe later does not read
// earlier notices: a notice is for those it was given to.
func (d Deps) militaryRecipients() []string {
	var ids []string
	for _, o := range d.Auth.Dir.Organisations() {
		if o.Actor == crisis.ActorEEAS || slices.Contains(o.Audiences(), tlp.MembersOf(crisis.NetworkCyCLONe)) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

func handleRecovery(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.RecoveryRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideRecovery(d.Model, who, c, req) }, nil
	})
}

func handleReview(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.ReviewRequestBody) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) {
			return crisis.DecideReview(d.Model, who, c, newRecordID("review", c), req, d.Cases.Now())
		}, nil
	})
}

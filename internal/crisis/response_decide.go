package crisis

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Commands of the Union response. Like those of case_decide.go, each checks
// who asks and what against the case and returns the event to append.

// markedDraft is a command's event under the marking it asks for, or the
// case's.
func markedDraft(c Case, m *tlp.Marking, typ string, payload any) (Draft, error) {
	mk, err := eventMarking(c, m)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: typ, Marking: mk, Payload: payload}, nil
}

// optionalText trims s and checks it is at most max characters.
func optionalText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		return "", failure.Field(field, "must be at most %d characters", max)
	}
	return s, nil
}

// requiredText trims s and checks it has 1-max characters; what says what to give.
func requiredText(field, s, what string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > max {
		return "", failure.Field(field, "%s, in 1-%d characters", what, max)
	}
	return s, nil
}

// HybridRequest flags the case as part of a hybrid campaign, or not.
type HybridRequest struct {
	Flagged bool         `json:"flagged"`
	Reason  string       `json:"reason"`
	Marking *tlp.Marking `json:"marking,omitempty"`
}

// DecideHybrid checks a hybrid-campaign flag.
func DecideHybrid(who Reporter, c Case, req HybridRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if err := who.mayFlagHybrid(); err != nil {
		return Draft{}, err
	}
	if (c.Hybrid != nil && c.Hybrid.Flagged) == req.Flagged {
		state := "not flagged"
		if req.Flagged {
			state = "already flagged"
		}
		return Draft{}, failure.New(failure.Conflict, "%s", "the case is "+state+" as part of a hybrid campaign")
	}
	reason, err := reasonText("reason", req.Reason, 2000)
	if err != nil {
		return Draft{}, err
	}
	return markedDraft(c, req.Marking, EventHybridFlagged, hybridFlagged{Flagged: req.Flagged, Reason: reason})
}

// MechanismRequest records a request, activation, point of contact or
// deactivation of an Annex II mechanism.
type MechanismRequest struct {
	Mechanism string          `json:"mechanism"`
	Action    MechanismAction `json:"action"`
	Contact   string          `json:"contact,omitempty"`
	Detail    string          `json:"detail"`
	Marking   *tlp.Marking    `json:"marking,omitempty"`
}

// DecideMechanism checks a mechanism record.
func DecideMechanism(m *model.Model, who Reporter, c Case, req MechanismRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if _, ok := m.Mechanism(req.Mechanism); !ok {
		return Draft{}, failure.Field("mechanism", "%q is not a mechanism of Annex II (GET /api/v1/model/mechanisms lists them)", req.Mechanism)
	}
	if !slices.Contains(mechanismActions(), req.Action) {
		return Draft{}, failure.Field("action", "%q is not an action (requested, activated, point-of-contact, deactivated)", req.Action)
	}
	if err := who.mayRecordMechanism(req.Action); err != nil {
		return Draft{}, err
	}
	p := mechanismRecorded{Mechanism: req.Mechanism, Action: req.Action}
	if req.Action == MechanismRequested && who.nationalAuthority() {
		p.MemberState = who.MemberState
	}
	var err error
	if req.Action == MechanismContact {
		if p.Contact, err = requiredText("contact", req.Contact, "name the point of contact (function, service, channel)", 300); err != nil {
			return Draft{}, err
		}
	}
	if p.Detail, err = reasonText("detail", req.Detail, 2000); err != nil {
		return Draft{}, err
	}
	return markedDraft(c, req.Marking, EventMechanismRecorded, p)
}

// AnalysisRequest records the Commission's integrated cross-sector analysis.
type AnalysisRequest struct {
	Analysis string       `json:"analysis"`
	Options  []string     `json:"options"`
	Marking  *tlp.Marking `json:"marking,omitempty"`
}

// DecideAnalysis checks an integrated cross-sector analysis (§55(b)(iv)(c)).
func DecideAnalysis(who Reporter, c Case, req AnalysisRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if err := who.mayAnalyse(); err != nil {
		return Draft{}, err
	}
	var errs []error
	analysis, err := requiredText("analysis", req.Analysis, "give the integrated cross-sector analysis", 20000)
	if err != nil {
		errs = append(errs, err)
	}
	if len(req.Options) == 0 || len(req.Options) > 20 {
		errs = append(errs, failure.Field("options", "give 1-20 options for an integrated response plan (§55(b)(iv)(c))"))
	}
	var options []string
	for i, o := range req.Options {
		t, err := requiredText(fmt.Sprintf("options[%d]", i), o, "describe the option", 2000)
		if err != nil {
			errs = append(errs, err)
		}
		options = append(options, t)
	}
	if err := joinFields(errs); err != nil {
		return Draft{}, err
	}
	return markedDraft(c, req.Marking, EventAnalysisRecorded, analysisRecorded{Analysis: analysis, Options: options})
}

// CommunicationRequest records a public communication action.
type CommunicationRequest struct {
	Kind         CommunicationKind `json:"kind"`
	Audience     string            `json:"audience"`
	PublishedAt  time.Time         `json:"published_at"`
	Link         string            `json:"link,omitempty"`
	EmbargoUntil time.Time         `json:"embargo_until,omitzero"`
	Summary      string            `json:"summary"`
	Marking      *tlp.Marking      `json:"marking,omitempty"`
}

// DecideCommunication checks a public communication record (§59–§61).
func DecideCommunication(who Reporter, c Case, req CommunicationRequest, now time.Time) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if !slices.Contains(communicationKinds(), req.Kind) {
		return Draft{}, failure.Field("kind", "%q is not a kind of communication (advisory, press-release, campaign, statement, overview)", req.Kind)
	}
	if err := who.mayCommunicate(req.Kind); err != nil {
		return Draft{}, err
	}
	var errs []error
	p := communicationRecorded{Kind: req.Kind, PublishedAt: req.PublishedAt.UTC(), EmbargoUntil: req.EmbargoUntil.UTC()}
	if who.nationalAuthority() {
		p.MemberState = who.MemberState
	}
	var err error
	if p.Audience, err = requiredText("audience", req.Audience, "say whom it addresses (e.g. \"general public\", \"hospitals\")", 200); err != nil {
		errs = append(errs, err)
	}
	if p.Summary, err = requiredText("summary", req.Summary, "say what it tells them", 4000); err != nil {
		errs = append(errs, err)
	}
	if err := checkTime("published_at", "when it is or was published", req.PublishedAt, now, false); err != nil {
		errs = append(errs, err)
	}
	if !req.EmbargoUntil.IsZero() {
		if err := checkTime("embargo_until", "the end of the embargo", req.EmbargoUntil, now, false); err != nil {
			errs = append(errs, err)
		}
	}
	if p.Link, err = linkText(req.Link); err != nil {
		errs = append(errs, err)
	}
	if err := joinFields(errs); err != nil {
		return Draft{}, err
	}
	return markedDraft(c, req.Marking, EventCommunicationRecorded, p)
}

// linkText checks an optional web address: absolute http or https.
func linkText(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 2000 {
		return "", failure.Field("link", "give an http or https address (e.g. https://ncsc.example/advisories/2026-12), at most 2 000 characters")
	}
	return s, nil
}

// DiplomacyRequest records a Cyber Diplomacy Toolbox measure.
type DiplomacyRequest struct {
	Measure string         `json:"measure"`
	Stage   DiplomacyStage `json:"stage"`
	Detail  string         `json:"detail"`
	Marking *tlp.Marking   `json:"marking,omitempty"`
}

// DecideDiplomacy checks a Cyber Diplomacy Toolbox record (§62).
func DecideDiplomacy(who Reporter, c Case, req DiplomacyRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if req.Stage != DiplomacyProposed && req.Stage != DiplomacyDecided {
		return Draft{}, failure.Field("stage", "%q is not a stage (proposed, decided)", req.Stage)
	}
	if err := who.mayRecordDiplomacy(req.Stage); err != nil {
		return Draft{}, err
	}
	measure, err := requiredText("measure", req.Measure, "name the measure (e.g. \"coordinated attribution statement\")", 300)
	if err != nil {
		return Draft{}, err
	}
	detail, err := reasonText("detail", req.Detail, 4000)
	if err != nil {
		return Draft{}, err
	}
	return markedDraft(c, req.Marking, EventDiplomacyRecorded, diplomacyRecorded{Measure: measure, Stage: req.Stage, Detail: detail})
}

// ContactRequest records a point of contact with a partner.
type ContactRequest struct {
	Partner string       `json:"partner"`
	Contact string       `json:"contact"`
	Detail  string       `json:"detail,omitempty"`
	Marking *tlp.Marking `json:"marking,omitempty"`
}

// DecideContact checks a point of contact with NATO or Europol.
func DecideContact(who Reporter, c Case, req ContactRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if req.Partner != PartnerNATO && req.Partner != PartnerEuropol {
		return Draft{}, failure.Field("partner", "%q is not a partner (nato, europol)", req.Partner)
	}
	if err := who.maySetContact(req.Partner); err != nil {
		return Draft{}, err
	}
	contact, err := requiredText("contact", req.Contact, "name the point of contact (function, service, channel)", 300)
	if err != nil {
		return Draft{}, err
	}
	detail, err := optionalText("detail", req.Detail, 2000)
	if err != nil {
		return Draft{}, err
	}
	return markedDraft(c, req.Marking, EventContactPointSet, contactPointSet{Partner: req.Partner, Contact: contact, Detail: detail})
}

// MilitaryRequest is a notice of military response capabilities used (§70).
// It takes no marking: §70 fixes who is informed.
type MilitaryRequest struct {
	Capabilities string `json:"capabilities"`
	// ProviderAgreed confirms that the capabilities' user and provider agree
	// to inform EU-CyCLONe and the EEAS, as §70 requires.
	ProviderAgreed bool   `json:"provider_agreed"`
	Detail         string `json:"detail"`
}

// DecideMilitaryNotice checks a notice. Its marking is TLP:AMBER+STRICT for
// the organisations the caller names in recipients — EU-CyCLONe's members,
// chair and secretariat and the EEAS, resolved from the directory by the
// caller — with the notifying organisation, which holds it as its creator.
func DecideMilitaryNotice(who Reporter, c Case, req MilitaryRequest, recipients []string) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if err := who.mayNotifyMilitary(); err != nil {
		return Draft{}, err
	}
	if req.Capabilities != "national" && req.Capabilities != "multinational" {
		return Draft{}, failure.Field("capabilities", "say whether national or multinational military response capabilities are used (national, multinational)")
	}
	if !req.ProviderAgreed {
		return Draft{}, failure.Field("provider_agreed", "§70 informs EU-CyCLONe and the EEAS where the capabilities' user and provider agree: confirm their agreement with provider_agreed: true")
	}
	detail, err := reasonText("detail", req.Detail, 4000)
	if err != nil {
		return Draft{}, err
	}
	ids := append(slices.Clone(recipients), who.Organisation)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	m := tlp.Marking{TLP: tlp.AmberStrict, Audience: tlp.Audience{Kind: tlp.Organisations, IDs: ids}, Exercise: c.Marking.Exercise}
	return Draft{Type: EventMilitaryNotice, Marking: m,
		Payload: militaryNoticed{MemberState: who.MemberState, Capabilities: req.Capabilities, Detail: detail}}, nil
}

// RecoveryRequest records the status of a core function.
type RecoveryRequest struct {
	Sector   string        `json:"sector"`
	Function string        `json:"function"`
	State    RecoveryState `json:"state"`
	Detail   string        `json:"detail,omitempty"`
	Marking  *tlp.Marking  `json:"marking,omitempty"`
}

// DecideRecovery checks a recovery status (§72).
func DecideRecovery(m *model.Model, who Reporter, c Case, req RecoveryRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	ms, err := who.mayRecordRecovery()
	if err != nil {
		return Draft{}, err
	}
	var errs []error
	_, okSector := m.Sector(req.Sector)
	_, _, okSub := m.Subsector(req.Sector)
	if !okSector && !okSub {
		errs = append(errs, failure.Field("sector", "%q is not a sector or subsector of the model (GET /api/v1/model/sectors)", req.Sector))
	}
	function, err := requiredText("function", req.Function, "name the core function (e.g. \"emergency admissions\")", 200)
	if err != nil {
		errs = append(errs, err)
	}
	if !slices.Contains(recoveryStates(), req.State) {
		errs = append(errs, failure.Field("state", "%q is not a recovery state (disrupted, restoring, restored)", req.State))
	}
	detail, err := optionalText("detail", req.Detail, 2000)
	if err != nil {
		errs = append(errs, err)
	}
	if err := joinFields(errs); err != nil {
		return Draft{}, err
	}
	return markedDraft(c, req.Marking, EventRecoveryRecorded, recoveryRecorded{MemberState: ms, Sector: req.Sector, Function: function, State: req.State, Detail: detail})
}

// ReviewRequestBody requests an incident review or records its delivery.
type ReviewRequestBody struct {
	Stage ReviewStage `json:"stage"`
	// Review names the request a delivery answers.
	Review       string         `json:"review,omitempty"`
	MemberStates []string       `json:"member_states,omitempty"`
	Agreements   []Consultation `json:"agreements,omitempty"`
	Scope        string         `json:"scope,omitempty"`
	Delivery     string         `json:"delivery,omitempty"`
	Marking      *tlp.Marking   `json:"marking,omitempty"`
}

// DecideReview checks an incident review request or delivery (§73;
// Regulation 2025/38 art. 21): a request names the Member States concerned,
// each of which must have agreed; a delivery answers an open request.
func DecideReview(m *model.Model, who Reporter, c Case, id string, req ReviewRequestBody, now time.Time) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if req.Stage != ReviewRequested && req.Stage != ReviewDelivered {
		return Draft{}, failure.Field("stage", "%q is not a stage (requested, delivered)", req.Stage)
	}
	by, err := who.mayRecordReview(req.Stage)
	if err != nil {
		return Draft{}, err
	}
	mk, err := eventMarking(c, req.Marking)
	if err != nil {
		return Draft{}, err
	}
	if req.Stage == ReviewDelivered {
		i := slices.IndexFunc(c.Reviews, func(r ReviewRequest) bool { return r.ID == req.Review })
		if i < 0 || c.Reviews[i].Stage != ReviewRequested {
			return Draft{}, failure.Field("review", "%q is not an open review request of this case", req.Review)
		}
		delivery, err := requiredText("delivery", req.Delivery, "say where the report is and what it concludes", 4000)
		if err != nil {
			return Draft{}, err
		}
		return Draft{Type: EventReviewRecorded, Marking: mk, Payload: reviewRecorded{ID: req.Review, Stage: ReviewDelivered, Delivery: delivery}}, nil
	}
	var errs []error
	if len(req.MemberStates) == 0 {
		errs = append(errs, failure.Field("member_states", "name the Member States concerned, whose agreement the review needs (§73)"))
	}
	for i, ms := range req.MemberStates {
		if _, ok := m.MemberState(ms); !ok {
			errs = append(errs, failure.Field(fmt.Sprintf("member_states[%d]", i), "%q is not a Member State code (e.g. NL)", ms))
		}
	}
	for i, a := range req.Agreements {
		if !validParty(a.Party) || !strings.HasPrefix(a.Party, "member-state:") {
			errs = append(errs, failure.Field(fmt.Sprintf("agreements[%d].party", i), "%q is not a Member State party: use member-state:XX", a.Party))
		}
		if err := checkTime(fmt.Sprintf("agreements[%d].at", i), "when the Member State agreed", a.At, now, true); err != nil {
			errs = append(errs, err)
		}
		if utf8.RuneCountInString(a.Summary) > 2000 {
			errs = append(errs, failure.Field(fmt.Sprintf("agreements[%d].summary", i), "must be at most 2 000 characters"))
		}
	}
	var missing []string
	for _, ms := range req.MemberStates {
		if !slices.ContainsFunc(req.Agreements, func(a Consultation) bool { return a.Party == "member-state:"+ms }) {
			missing = append(missing, ms)
		}
	}
	if len(missing) > 0 {
		errs = append(errs, failure.Field("agreements", "the review needs the agreement of each Member State concerned (§73); not recorded: %s", strings.Join(missing, ", ")))
	}
	scope, err := requiredText("scope", req.Scope, "say what the review should cover", 4000)
	if err != nil {
		errs = append(errs, err)
	}
	if err := joinFields(errs); err != nil {
		return Draft{}, err
	}
	states := slices.Clone(req.MemberStates)
	slices.Sort(states)
	return Draft{Type: EventReviewRecorded, Marking: mk, Payload: reviewRecorded{ID: id, Stage: ReviewRequested, RequestedBy: by,
		MemberStates: slices.Compact(states), Agreements: utcConsultations(req.Agreements), Scope: scope}}, nil
}

// utcConsultations copies consultations with their times in UTC, as every
// time a record holds.
func utcConsultations(cs []Consultation) []Consultation {
	out := slices.Clone(cs)
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out
}

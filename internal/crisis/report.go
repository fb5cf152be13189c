package crisis

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/tlp"
)

// ReportStatus is where the reporting organisation stands with the incident.
type ReportStatus string

const (
	StatusOpen       ReportStatus = "open"       // being handled
	StatusMitigating ReportStatus = "mitigating" // mitigation under way
	StatusResolved   ReportStatus = "resolved"   // handled; recovery may go on
	StatusWithdrawn  ReportStatus = "withdrawn"  // filed in error
)

func reportStatuses() []ReportStatus {
	return []ReportStatus{StatusOpen, StatusMitigating, StatusResolved, StatusWithdrawn}
}

// UnionEntities is the "Member State" of a report CERT-EU files for Union
// entities (§16, §34).
const UnionEntities = "EU"

// ReportContent is what the reporter writes; the same shape files and amends.
type ReportContent struct {
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// DetectedAt is when the incident was detected; AwareAt when the reporting
	// organisation became aware of it (NIS2 art. 23 clocks run from awareness).
	DetectedAt time.Time `json:"detected_at"`
	AwareAt    time.Time `json:"aware_at"`
	// AffectedMemberStates lists EU country codes (EL for Greece); the reporter's
	// own Member State is always among them.
	AffectedMemberStates []string `json:"affected_member_states"`
	// Sectors holds Annex II(4) sector or subsector ids (MISP nis2 values).
	Sectors []string `json:"sectors"`
	// AffectedEntities counts the entities hit; EntityRelevance says why they
	// matter (essential entities, single providers of a service…).
	AffectedEntities int    `json:"affected_entities"`
	EntityRelevance  string `json:"entity_relevance"`
	// Impact assesses each §30 dimension on the node's severity taxonomy.
	Impact severity.Assessment `json:"impact"`
	// OtherPersonsAffected answers the second limb of the definition of a
	// significant incident (§7(b)(b)): whether the incident affected, or can
	// affect, other natural or legal persons by causing considerable material
	// or non-material damage. The impact levels cannot say this, so the
	// reporter does; nil while they do not know, which is not "no".
	OtherPersonsAffected *bool `json:"other_persons_affected,omitempty"`
	// EntityImpact is given when the affected entity is of a type Commission
	// Implementing Regulation (EU) 2024/2690 covers (DNS, TLD, cloud, data
	// centre, CDN, managed (security) services, online marketplaces, search
	// engines, social networks, trust services): for those, the Regulation's
	// thresholds say when an incident is significant under NIS2 art. 23(3).
	// Nil for any other entity, whose national thresholds apply.
	EntityImpact *severity.EntityImpact `json:"entity_impact,omitempty"`
	// Classification is an RSIT classification, or "classification:type".
	Classification string `json:"classification"`
	// RootCause and Outlook are nis2 taxonomy values (nature-root-cause,
	// impact-outlook); empty while unknown.
	RootCause string       `json:"root_cause,omitempty"`
	Outlook   string       `json:"outlook,omitempty"`
	Status    ReportStatus `json:"status"`
	Marking   tlp.Marking  `json:"marking"`
}

// Reporter is the calling user and organisation, as the directory knows them:
// the one filing a report, or recording something on a case.
type Reporter struct {
	Organisation string
	User         string
	Role         string // auth role name; analyst or above may file
	// Actor is the model actor for Union organisations (cert-eu), NationalKind and
	// MemberState for national ones.
	Actor        string
	NationalKind string
	MemberState  string
	// Chairs lists the networks the organisation chairs; Networks those it
	// takes part in unconditionally (the directory's memberships).
	Chairs   []string
	Networks []string
}

// reportingKinds are the national organisations §49 names as receiving or
// detecting significant incidents.
var reportingKinds = []string{"csirt", "cyber-crisis-management-authority", "sectoral-authority"}

// reportingMemberState says for which Member State the reporter files, or why it
// may not file at all.
func (r Reporter) reportingMemberState() (string, error) {
	switch {
	case r.Actor == "cert-eu":
		return UnionEntities, nil
	case slices.Contains(reportingKinds, r.NationalKind) && r.MemberState != "":
		return r.MemberState, nil
	}
	return "", failure.New(failure.Forbidden,
		"national reports are filed by a Member State's CSIRT, cyber crisis management authority or sectoral authority, or by CERT-EU for Union entities (§49, §16); your organisation is none of these")
}

func (r Reporter) mayWrite() error {
	switch r.Role {
	case "analyst", "coordinator", "admin":
		return nil
	}
	return failure.New(failure.Forbidden, "viewers read reports; an analyst, coordinator or admin of your organisation files and amends them")
}

// Bounds that keep a report's times and counts meaningful and storable. An
// offset can move a time parsed in year 0000 into year -1 in UTC, which has
// no RFC 3339 form, so the event could not be stored; and the event store
// keeps numbers as IEEE doubles (RFC 8785), exact only up to 2^53. Both
// bounds are far beyond any real report: an earlier time is a typo for the
// year, a larger count is not of organisations.
var earliestReportTime = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

const maxAffectedEntities = 10_000_000

// Validate checks content against the model and the severity taxonomy, naming
// every field at fault at once (the form shows each next to its field).
func (c ReportContent) Validate(m *model.Model, tax *severity.Taxonomy, now time.Time) error {
	var errs []error
	field := func(name, format string, args ...any) { errs = append(errs, failure.Field(name, format, args...)) }
	if n := utf8.RuneCountInString(strings.TrimSpace(c.Title)); n == 0 || n > 200 {
		field("title", "must be 1-200 characters, e.g. \"Ransomware at three hospitals\"")
	}
	if utf8.RuneCountInString(c.Summary) > 20000 {
		field("summary", "must be at most 20 000 characters")
	}
	if strings.TrimSpace(c.Summary) == "" {
		field("summary", "is missing: say in a few sentences what happened and what it affects")
	}
	for _, t := range []struct {
		name string
		at   time.Time
	}{{"detected_at", c.DetectedAt}, {"aware_at", c.AwareAt}} {
		switch {
		case t.at.IsZero():
			field(t.name, "is missing (RFC 3339, e.g. 2026-12-01T02:40:00Z)")
		case t.at.After(now.Add(5 * time.Minute)):
			field(t.name, "is in the future (%s); times are UTC", t.at.UTC().Format(time.RFC3339))
		case t.at.Before(earliestReportTime):
			field(t.name, "is before %d (%s): check the year", earliestReportTime.Year(), t.at.UTC().Format(time.RFC3339))
		}
	}
	if !c.DetectedAt.IsZero() && !c.AwareAt.IsZero() && c.AwareAt.Before(c.DetectedAt) {
		field("aware_at", "is before detected_at: an organisation becomes aware of an incident when or after it is detected")
	}
	if len(c.AffectedMemberStates) == 0 {
		field("affected_member_states", "name at least one Member State (EU country codes, EL for Greece)")
	}
	for _, ms := range c.AffectedMemberStates {
		if _, ok := m.MemberState(ms); !ok && ms != UnionEntities {
			field("affected_member_states", "%q is not an EU Member State code (EL for Greece; EU for Union entities)", ms)
		}
	}
	if len(c.Sectors) == 0 {
		field("sectors", "name at least one sector or subsector of Annex II(4), e.g. health, energy, electricity")
	}
	for _, s := range c.Sectors {
		_, sectorOK := m.Sector(s)
		_, _, subOK := m.Subsector(s)
		if !sectorOK && !subOK {
			field("sectors", "%q is not an Annex II(4) sector or subsector id", s)
		}
	}
	switch {
	case c.AffectedEntities < 0:
		field("affected_entities", "cannot be negative")
	case c.AffectedEntities > maxAffectedEntities:
		field("affected_entities", "must be at most 10 000 000: count the entities (organisations) hit, not their devices or users")
	}
	if utf8.RuneCountInString(c.EntityRelevance) > 2000 {
		field("entity_relevance", "must be at most 2 000 characters")
	}
	if _, err := tax.Score(c.Impact); err != nil {
		field("impact", "%v", err)
	}
	if c.Classification == "" {
		field("classification", "is missing: an RSIT classification such as availability or malicious-code:infected-system")
	} else if !validClassification(m, c.Classification) {
		field("classification", "%q is not an RSIT classification or classification:type", c.Classification)
	}
	if c.RootCause != "" {
		if _, ok := m.Term("nature-root-cause", c.RootCause); !ok {
			field("root_cause", "%q is not a nis2 root cause (system-failures, natural-phenomena, human-errors, malicious-actions, third-party-failures)", c.RootCause)
		}
	}
	if c.Outlook != "" {
		if _, ok := m.Term("impact-outlook", c.Outlook); !ok {
			field("outlook", "%q is not a nis2 outlook (improving, stable, worsening)", c.Outlook)
		}
	}
	if !slices.Contains(reportStatuses(), c.Status) {
		field("status", "%q is not a report status (open, mitigating, resolved, withdrawn)", c.Status)
	}
	if err := c.Marking.Validate(); err != nil {
		field("marking", "%v", err)
	}
	if c.EntityImpact != nil {
		for _, err := range unjoin(c.EntityImpact.Validate()) {
			var fe *failure.Error
			if errors.As(err, &fe) && fe.Field != "" {
				field("entity_impact."+fe.Field, "%s", fe.Message)
			} else {
				field("entity_impact", "%v", err)
			}
		}
	}
	return joinFields(errs)
}

func validClassification(m *model.Model, s string) bool {
	if strings.Contains(s, ":") {
		_, _, ok := m.IncidentType(s)
		return ok
	}
	_, ok := m.Classification(s)
	return ok
}

// unjoin lists the errors errors.Join joined; nil for none.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

// joinFields makes one Invalid error listing every field problem.
func joinFields(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	if len(errs) == 1 {
		return errs[0]
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return &failure.Error{Kind: failure.Invalid, Message: strings.Join(msgs, "; "), Err: fieldErrors(errs)}
}

// FieldErrors lets a form put each message next to its field.
type FieldErrors []error

func (f FieldErrors) Error() string { return fmt.Sprintf("%d fields at fault", len(f)) }

func fieldErrors(errs []error) FieldErrors { return FieldErrors(errs) }

// NationalReport is a report's current state: the fold of its events.
type NationalReport struct {
	ID           string          `json:"id"`
	Organisation string          `json:"organisation"`
	MemberState  string          `json:"member_state"`
	FiledBy      string          `json:"filed_by"`
	FiledAt      time.Time       `json:"filed_at"`
	AmendedAt    time.Time       `json:"amended_at"`
	Content      ReportContent   `json:"content"`
	Severity     severity.Result `json:"severity"`
	// Significance is the node's suggestion on whether the incident is
	// significant (§7(b)); the receiving CSIRT or authority decides.
	Significance severity.Suggestion `json:"significance"`
	// Regulation is the suggestion by the thresholds of Regulation (EU)
	// 2024/2690, when the report gives the entity impact; nil otherwise.
	Regulation *severity.Suggestion `json:"regulation_2024_2690,omitempty"`
	Version    int64                `json:"version"`
}

// IsSignificant says whether the node suggests the incident is significant,
// and why: by §7(b), or by the thresholds of Regulation (EU) 2024/2690, which
// implement NIS2 art. 23(3) for the entity types it covers, so that either
// suffices. The reason is the first of the suggestion that says so, §7(b)'s
// when both do.
func (r NationalReport) IsSignificant() (bool, string) {
	for _, s := range []struct {
		suggestion *severity.Suggestion
		fallback   string
	}{
		{&r.Significance, "the §7(b) criteria are met"},
		{r.Regulation, "the criteria of Regulation (EU) 2024/2690 are met"},
	} {
		switch {
		case s.suggestion == nil || !s.suggestion.Significant:
		case len(s.suggestion.Reasons) > 0:
			return true, s.suggestion.Reasons[0].Text
		default:
			return true, s.fallback
		}
	}
	return false, ""
}

// Event types of national reports.
const (
	EventReportFiled   = "report.filed"
	EventReportAmended = "report.amended"
)

// reportFiled and reportAmended carry the whole content with the severity and
// the significance suggestions the node computed, so the history shows every
// version as it was seen, even after the taxonomy or the rules change.
type reportFiled struct {
	ID           string               `json:"id"`
	Organisation string               `json:"organisation"`
	MemberState  string               `json:"member_state"`
	Content      ReportContent        `json:"content"`
	Severity     severity.Result      `json:"severity"`
	Significance severity.Suggestion  `json:"significance"`
	Regulation   *severity.Suggestion `json:"regulation_2024_2690,omitempty"`
}

type reportAmended struct {
	Content      ReportContent        `json:"content"`
	Severity     severity.Result      `json:"severity"`
	Significance severity.Suggestion  `json:"significance"`
	Regulation   *severity.Suggestion `json:"regulation_2024_2690,omitempty"`
	Reason       string               `json:"reason"`
}

// Draft is an event decide wants appended: its type, payload and marking.
type Draft struct {
	Type    string
	Payload any
	Marking tlp.Marking
	// Also are events appended with this one, in order, in the same
	// transaction: the node's notice of a Reserve request to both networks.
	Also []Draft
}

// DecideFile checks a new report and returns the event that files it.
func DecideFile(m *model.Model, tax *severity.Taxonomy, who Reporter, id string, c ReportContent, now time.Time) (Draft, error) {
	ms, err := who.reportingMemberState()
	if err != nil {
		return Draft{}, err
	}
	if err := who.mayWrite(); err != nil {
		return Draft{}, err
	}
	c = normalise(c, ms)
	if err := c.Validate(m, tax, now); err != nil {
		return Draft{}, err
	}
	if c.Status == StatusWithdrawn {
		return Draft{}, failure.Field("status", "a new report cannot be filed as withdrawn")
	}
	a, err := assess(tax, c)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventReportFiled, Marking: c.Marking,
		Payload: reportFiled{ID: id, Organisation: who.Organisation, MemberState: ms, Content: c,
			Severity: a.severity, Significance: a.significance, Regulation: a.regulation}}, nil
}

// DecideAmend checks an amendment by the reporting organisation.
func DecideAmend(m *model.Model, tax *severity.Taxonomy, who Reporter, cur NationalReport, c ReportContent, reason string, now time.Time) (Draft, error) {
	if who.Organisation != cur.Organisation {
		return Draft{}, failure.New(failure.Forbidden, "only the organisation that filed a report amends it")
	}
	if err := who.mayWrite(); err != nil {
		return Draft{}, err
	}
	if strings.TrimSpace(reason) == "" || utf8.RuneCountInString(reason) > 500 {
		return Draft{}, failure.Field("reason", "say in 1-500 characters what changed and why; the history shows it")
	}
	c = normalise(c, cur.MemberState)
	if err := c.Validate(m, tax, now); err != nil {
		return Draft{}, err
	}
	a, err := assess(tax, c)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventReportAmended, Marking: c.Marking,
		Payload: reportAmended{Content: c, Severity: a.severity, Significance: a.significance, Regulation: a.regulation,
			Reason: strings.TrimSpace(reason)}}, nil
}

// assessment is what the node computes from a report's content.
type assessment struct {
	severity     severity.Result
	significance severity.Suggestion
	regulation   *severity.Suggestion // only with an entity impact
}

// assess computes the §30 severity of validated content, the §7(b)
// significance suggestion — limb (a) from the impact levels at the
// thresholds of the taxonomy's significance rule, limb (b) as the reporter
// answered it — and, when the content gives the entity impact, the
// suggestion by the thresholds of Regulation (EU) 2024/2690.
func assess(tax *severity.Taxonomy, c ReportContent) (assessment, error) {
	sev, err := tax.Score(c.Impact)
	if err != nil {
		return assessment{}, failure.Field("impact", "%v", err)
	}
	in := tax.SignificanceInput(c.Impact)
	in.OtherPersonsAffected = c.OtherPersonsAffected
	a := assessment{severity: sev, significance: severity.SuggestSignificant(in)}
	if c.EntityImpact != nil {
		reg := severity.Regulation2024_2690(*c.EntityImpact)
		a.regulation = &reg
	}
	return a, nil
}

// normalise puts the reporter's own Member State among the affected ones, sorts
// and de-duplicates the lists, and trims text, so equal reports are equal.
func normalise(c ReportContent, ownMS string) ReportContent {
	c.Title = strings.TrimSpace(c.Title)
	c.Summary = strings.TrimSpace(c.Summary)
	c.EntityRelevance = strings.TrimSpace(c.EntityRelevance)
	ms := slices.Clone(c.AffectedMemberStates)
	if ownMS != "" && !slices.Contains(ms, ownMS) {
		ms = append(ms, ownMS)
	}
	slices.Sort(ms)
	c.AffectedMemberStates = slices.Compact(ms)
	sectors := slices.Clone(c.Sectors)
	slices.Sort(sectors)
	c.Sectors = slices.Compact(sectors)
	c.DetectedAt, c.AwareAt = c.DetectedAt.UTC(), c.AwareAt.UTC()
	return c
}

// ApplyReport folds one event into a report.
func ApplyReport(r NationalReport, typ string, payload []byte, version int64, by string, at time.Time) (NationalReport, error) {
	switch typ {
	case EventReportFiled:
		var p reportFiled
		if err := json.Unmarshal(payload, &p); err != nil {
			return r, fmt.Errorf("%s: %w", typ, err)
		}
		r = NationalReport{ID: p.ID, Organisation: p.Organisation, MemberState: p.MemberState, FiledBy: by, FiledAt: at,
			AmendedAt: at, Content: p.Content, Severity: p.Severity, Significance: p.Significance, Regulation: p.Regulation}
	case EventReportAmended:
		var p reportAmended
		if err := json.Unmarshal(payload, &p); err != nil {
			return r, fmt.Errorf("%s: %w", typ, err)
		}
		r.Content, r.Severity, r.Significance, r.Regulation, r.AmendedAt = p.Content, p.Severity, p.Significance, p.Regulation, at
	default:
		return r, fmt.Errorf("event type %s does not belong to a national report", typ)
	}
	r.Version = version
	return r, nil
}

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The national report form (R3): every field of crisis.ReportContent but the
// entity impact of Regulation (EU) 2024/2690, which has a form of its own to
// come. A failed submission comes back with everything the officer typed and
// every message next to its field; a double submission files one report (the
// form carries an idempotency key).

type reportFormPage struct {
	basePage
	Form            uiForm
	MemberStates    []model.MemberState
	Sectors         []model.Sector
	Dimensions      []severity.Dimension
	Classifications []model.Classification
	RootCauses      []model.Term
	Outlooks        []model.Term
	Statuses        []crisis.ReportStatus
	Marking         markingFields
	// FirstDimension is where the summary links for an impact message.
	FirstDimension string
}

// DimensionField is the input name of a severity dimension's select.
func (reportFormPage) DimensionField(id string) string { return "impact." + id }

// reportFields are the form's fields in the order it shows them.
var reportFields = []string{"title", "summary", "detected_at", "aware_at", "classification", "root_cause", "outlook", "status",
	"affected_member_states", "sectors", "affected_entities", "entity_relevance", "impact", "other_persons_affected", "marking"}

func (u *webUI) reportLabels() fieldLabels {
	impact := ""
	if dims := u.d.Reports.Taxonomy.Dimensions; len(dims) > 0 {
		impact = "impact-" + dims[0].ID
	}
	return fieldLabels{
		"title":                  {"Title", "title"},
		"summary":                {"Summary", "summary"},
		"detected_at":            {"Detected at (UTC)", "detected_at"},
		"aware_at":               {"Aware at (UTC)", "aware_at"},
		"affected_member_states": {"Affected Member States", "affected_member_states"},
		"sectors":                {"Sectors", "sectors"},
		"affected_entities":      {"Affected entities", "affected_entities"},
		"entity_relevance":       {"Relevance of the entities", "entity_relevance"},
		"impact":                 {"Impact", impact},
		"other_persons_affected": {"Damage to other persons", "other_persons_affected"},
		"classification":         {"Classification", "classification"},
		"root_cause":             {"Root cause", "root_cause"},
		"outlook":                {"Outlook", "outlook"},
		"status":                 {"Status", "status"},
		"marking":                {"TLP marking", "tlp"},
	}
}

func (u *webUI) newReport(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePageUser(r); err != nil {
		return err
	}
	f := uiForm{ID: "report-form", Values: url.Values{"status": {string(crisis.StatusOpen)}}}
	return u.showReportForm(w, r, http.StatusOK, f)
}

func (u *webUI) showReportForm(w http.ResponseWriter, r *http.Request, status int, f uiForm) error {
	m, tax := u.d.Model, u.d.Reports.Taxonomy
	p := &reportFormPage{Form: f, MemberStates: m.MemberStates, Sectors: m.Sectors, Dimensions: tax.Dimensions,
		Classifications: m.Classifications, Statuses: []crisis.ReportStatus{crisis.StatusOpen, crisis.StatusMitigating, crisis.StatusResolved},
		Marking: u.markingFields(callerFrom(r.Context()).User.ID)}
	if v, ok := m.Vocabulary(model.VocabNatureRootCause); ok {
		p.RootCauses = v.Values
	}
	if v, ok := m.Vocabulary(model.VocabImpactOutlook); ok {
		p.Outlooks = v.Values
	}
	if len(tax.Dimensions) > 0 {
		p.FirstDimension = tax.Dimensions[0].ID
	}
	p.Title, p.Nav = "File a national report", "new-report"
	return u.render(w, r, "report_form", status, p)
}

func (u *webUI) fileReport(w http.ResponseWriter, r *http.Request) error {
	c, err := requirePageUser(r)
	if err != nil {
		return err
	}
	f, err := postedForm(r, "report-form")
	if err != nil {
		return err
	}
	content, errs := u.reportContent(f)
	labels := u.reportLabels()
	if errs.Any() {
		// Name every field at fault at once: what the form could not read,
		// and what validating the rest finds.
		if err := content.Validate(u.d.Model, u.d.Reports.Taxonomy, u.d.Reports.Now()); err != nil {
			errs = errs.merge(errorsOf(err, labels))
		}
		f.Errors = errs.inOrder(reportFields)
		return u.showReportForm(w, r, http.StatusUnprocessableEntity, f)
	}
	rep, created, err := u.d.Reports.File(r.Context(), u.d.reporter(c), f.Get("idempotency_key"), content)
	if err != nil {
		status, ok := shownInForm(err)
		if !ok {
			return err
		}
		f.Errors = errorsOf(err, labels).inOrder(reportFields)
		return u.showReportForm(w, r, status, f)
	}
	if !created && !tlp.CanSee(u.d.viewer(r), reports.Item(rep)) {
		return errNoReport
	}
	return seeOther(w, r, "/reports/"+rep.ID)
}

// reportContent reads the form. What it cannot read (a time, a number) is a
// message for that field; everything else is left to crisis's validation.
func (u *webUI) reportContent(f uiForm) (crisis.ReportContent, formErrors) {
	var errs formErrors
	labels := u.reportLabels()
	bad := func(field, msg string) {
		info := labels[field]
		errs.add(fieldError{Field: field, Label: info.Label, Anchor: info.Anchor, Message: msg})
	}
	c := crisis.ReportContent{
		Title: f.Get("title"), Summary: f.Get("summary"),
		AffectedMemberStates: f.Values["affected_member_states"], Sectors: f.Values["sectors"],
		EntityRelevance: f.Get("entity_relevance"), Classification: f.Get("classification"),
		RootCause: f.Get("root_cause"), Outlook: f.Get("outlook"), Status: crisis.ReportStatus(f.Get("status")),
		Impact: severity.Assessment{},
	}
	for _, t := range []struct {
		field string
		into  *time.Time
	}{{"detected_at", &c.DetectedAt}, {"aware_at", &c.AwareAt}} {
		at, err := parseUTC(f.Get(t.field))
		if err != nil {
			bad(t.field, err.Error())
		}
		*t.into = at
	}
	if n, err := strconv.Atoi(strings.TrimSpace(f.Get("affected_entities"))); err != nil {
		bad("affected_entities", "give the number of entities hit as a whole number, 0 if none is known yet")
	} else {
		c.AffectedEntities = n
	}
	// Every dimension needs a level: "not known yet" is not one. The message
	// names the dimensions as the form does, not by their ids.
	var unassessed []string
	for _, d := range u.d.Reports.Taxonomy.Dimensions {
		level, err := strconv.Atoi(f.Get("impact." + d.ID))
		if err != nil {
			unassessed = append(unassessed, d.Name)
			continue
		}
		c.Impact[d.ID] = level
	}
	if len(unassessed) > 0 {
		bad("impact", "choose a level for "+strings.Join(unassessed, ", "))
	}
	switch f.Get("other_persons_affected") {
	case "":
	case "yes":
		c.OtherPersonsAffected = severity.Known(true)
	case "no":
		c.OtherPersonsAffected = severity.Known(false)
	default:
		bad("other_persons_affected", "choose yes, no or not known yet")
	}
	m, merrs := markingFromForm(f, "")
	c.Marking = m
	return c, errs.merge(merrs)
}

// parseUTC reads a datetime-local value as UTC: the form says so beside the
// field, whatever the browser's own time zone.
func parseUTC(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errMissingTime
	}
	for _, layout := range []string{datetimeLocalLayout, "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errBadTime
}

type timeError string

func (e timeError) Error() string { return string(e) }

const (
	errMissingTime = timeError("is missing: give the date and the time in UTC")
	errBadTime     = timeError("is not a date and time: write it as 2026-12-01T02:40 (UTC)")
)

package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Opening a Union-level case from a page: a title, a marking chosen by the
// officer (never defaulted) and, optionally, the national report it starts
// from, which is linked in the same step.

type caseFormPage struct {
	basePage
	Form    uiForm
	Marking markingFields
	// Reports are the reports the caller may see, newest first, to start
	// the case from.
	Reports []crisis.NationalReport
}

var caseFormFields = []string{"title", "summary", "report", "marking"}

var caseFormLabels = fieldLabels{
	"title":   {"Title", "case-title"},
	"summary": {"Summary", "case-summary"},
	"marking": {"TLP marking", "tlp"},
	"report":  {"National report", "case-report"},
}

// caseFormReports is how many of the latest reports the form offers.
const caseFormReports = 100

func (u *webUI) newCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePageUser(r); err != nil {
		return err
	}
	f := uiForm{ID: "case-form", Values: url.Values{"report": {r.URL.Query().Get("report")}}}
	return u.showCaseForm(w, r, http.StatusOK, f)
}

func (u *webUI) showCaseForm(w http.ResponseWriter, r *http.Request, status int, f uiForm) error {
	c := callerFrom(r.Context())
	p := &caseFormPage{Form: f, Marking: u.markingFields(c.User.ID)}
	p.Title, p.Nav = "Open a Union-level case", "new-case"
	all, err := u.d.Reports.All(r.Context())
	if err != nil {
		return err
	}
	viewer := u.d.viewer(r)
	for i := len(all) - 1; i >= 0 && len(p.Reports) < caseFormReports; i-- {
		if tlp.CanSee(viewer, reports.Item(all[i])) {
			p.Reports = append(p.Reports, all[i])
		}
	}
	// A report chosen from further back than the list goes stays chosen.
	if id := f.Get("report"); id != "" && !slices.ContainsFunc(p.Reports, func(rep crisis.NationalReport) bool { return rep.ID == id }) {
		rep, err := u.d.visibleReport(r, id)
		switch {
		case err == nil:
			p.Reports = append([]crisis.NationalReport{rep}, p.Reports...)
		case !failure.Is(err, failure.NotFound):
			return err
		}
	}
	if err := u.d.recordReportReads(r, p.Reports...); err != nil {
		return err
	}
	return u.render(w, r, "case_form", status, p)
}

// openCase opens the case and links the report. The report is looked up
// first: one the caller may not see answers 404 and opens nothing.
func (u *webUI) openCase(w http.ResponseWriter, r *http.Request) error {
	c, err := requirePageUser(r)
	if err != nil {
		return err
	}
	f, err := postedForm(r, "case-form")
	if err != nil {
		return err
	}
	var rep *crisis.NationalReport
	if id := f.Get("report"); id != "" {
		found, err := u.d.visibleReport(r, id)
		if err != nil {
			return err
		}
		rep = &found
	}
	who := u.d.reporter(c)
	m, errs := markingFromForm(f, "")
	req := crisis.OpenCase{Title: f.Get("title"), Summary: f.Get("summary"), Marking: m}
	if errs.Any() {
		// What the form could not read, and what deciding would say of the
		// rest, at once.
		if _, err := crisis.DecideOpen(who, "", req); err != nil {
			errs = errs.merge(errorsOf(err, caseFormLabels))
		}
		f.Errors = errs.inOrder(caseFormFields)
		return u.showCaseForm(w, r, http.StatusUnprocessableEntity, f)
	}
	opened, _, err := u.d.Cases.Open(r.Context(), who, f.Get("idempotency_key"), req)
	if err != nil {
		status, ok := shownInForm(err)
		if !ok {
			return err
		}
		f.Errors = errorsOf(err, caseFormLabels).inOrder(caseFormFields)
		return u.showCaseForm(w, r, status, f)
	}
	target := "/cases/" + opened.ID
	// A retried post finds the case its first attempt opened, with the
	// report linked already.
	if rep == nil || opened.Linked(rep.ID) {
		return seeOther(w, r, target)
	}
	link := func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideLink(who, c, *rep) }
	if _, err := u.d.Cases.Do(r.Context(), who, opened.ID, 0, link); err != nil {
		status, ok := shownInForm(err)
		if !ok {
			return err
		}
		alert := "The case is open, but the report could not be linked: " + errorsOf(err, nil).List()[0].Message
		return u.showCase(w, r, opened.ID, "reports", status, uiForm{}, alert)
	}
	return seeOther(w, r, target+"?tab=reports")
}

// caseFormArgs is what the "caseform" partial shows: on its own page a
// choice of report, on a report's page that report.
type caseFormArgs struct {
	Form    uiForm
	Marking markingFields
	CSRF    string
	Reports []crisis.NationalReport
	// Fixed is the report the form opens the case with, on its page.
	Fixed *crisis.NationalReport
}

// Args prepares the "caseform" partial.
func (p *caseFormPage) Args() caseFormArgs {
	return caseFormArgs{Form: p.Form, Marking: p.Marking, CSRF: p.CSRF, Reports: p.Reports}
}

package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/model"
)

// A national report's page: what was reported, the node's severity score
// with the sentence per dimension, and its significance suggestion with the
// reasons — then the form that opens a Union-level case with it.

type reportViewPage struct {
	basePage
	Report         crisis.NationalReport
	Sectors        []string
	Classification string
	RootCause      string
	Outlook        string
	// CaseForm opens a case with this report.
	CaseForm uiForm
	Marking  markingFields
}

func (u *webUI) report(w http.ResponseWriter, r *http.Request) error {
	c, err := requirePageUser(r)
	if err != nil {
		return err
	}
	rep, err := u.d.visibleReport(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := u.d.recordReportReads(r, rep); err != nil {
		return err
	}
	p := &reportViewPage{Report: rep, Classification: u.classificationName(rep.Content.Classification),
		RootCause: u.termName(model.VocabNatureRootCause, rep.Content.RootCause), Outlook: u.termName(model.VocabImpactOutlook, rep.Content.Outlook),
		CaseForm: uiForm{ID: "case-form", Values: url.Values{"report": {rep.ID}, "title": {rep.Content.Title}}},
		Marking:  u.markingFields(c.User.ID)}
	for _, s := range rep.Content.Sectors {
		p.Sectors = append(p.Sectors, u.sectorName(s))
	}
	p.Title = rep.Content.Title
	p.markExercise(rep.Content.Marking.Exercise)
	return u.render(w, r, "report", http.StatusOK, p)
}

// sectorName names an Annex II(4) sector or subsector: "Energy — Electricity".
func (u *webUI) sectorName(id string) string {
	if s, ok := u.d.Model.Sector(id); ok {
		return s.Name
	}
	if sub, s, ok := u.d.Model.Subsector(id); ok {
		return s.Name + " — " + sub.Name
	}
	return id
}

// classificationName names an RSIT classification or classification:type.
func (u *webUI) classificationName(id string) string {
	if strings.Contains(id, ":") {
		if t, c, ok := u.d.Model.IncidentType(id); ok {
			return c.Name + " — " + t.Name
		}
		return id
	}
	if c, ok := u.d.Model.Classification(id); ok {
		return c.Name
	}
	return id
}

// termName names a nis2 vocabulary term; "" is not known yet.
func (u *webUI) termName(vocabulary, id string) string {
	if id == "" {
		return "not known yet"
	}
	if t, ok := u.d.Model.Term(vocabulary, id); ok {
		return t.Name
	}
	return id
}

// Args prepares the "caseform" partial for this report.
func (p *reportViewPage) Args() caseFormArgs {
	return caseFormArgs{Form: p.CaseForm, Marking: p.Marking, CSRF: p.CSRF, Fixed: &p.Report}
}

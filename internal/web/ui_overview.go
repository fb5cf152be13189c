package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The overview: every case the caller may see, most urgent first, and the
// latest national reports they may see — what an officer called in at 3 a.m.
// scans first.

type overviewPage struct {
	basePage
	Cases   []caseSummary
	Reports []crisis.NationalReport
	Map     []mapRegion
}

// overviewReports is how many of the latest reports the overview lists.
const overviewReports = 20

func (u *webUI) overview(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePageUser(r); err != nil {
		return err
	}
	p := &overviewPage{}
	p.Title, p.Nav = "Overview", "overview"
	ids, err := u.d.Cases.IDs(r.Context())
	if err != nil {
		return err
	}
	// The same loop as GET /api/v1/cases: a case the caller may not see is
	// neither listed nor counted.
	for _, id := range ids {
		v, err := u.d.caseView(r, id)
		if failure.Is(err, failure.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		p.Cases = append(p.Cases, summarise(v.View))
		p.markExercise(v.Case.Marking.Exercise)
	}
	slices.Reverse(p.Cases) // newest first among equals
	slices.SortStableFunc(p.Cases, urgency)
	p.Map = euMap(u.d.Model, p.Cases)

	all, err := u.d.Reports.All(r.Context())
	if err != nil {
		return err
	}
	viewer := u.d.viewer(r)
	for i := len(all) - 1; i >= 0 && len(p.Reports) < overviewReports; i-- {
		if tlp.CanSee(viewer, reports.Item(all[i])) {
			p.Reports = append(p.Reports, all[i])
			p.markExercise(all[i].Content.Marking.Exercise)
		}
	}
	if err := u.d.recordReportReads(r, p.Reports...); err != nil {
		return err
	}
	return u.render(w, r, "overview", http.StatusOK, p)
}

// urgency orders cases: open before closed, more overdue steps first, then
// the nearest due time.
func urgency(a, b caseSummary) int {
	if a.Closed != b.Closed {
		if a.Closed {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(b.Overdue, a.Overdue); c != 0 {
		return c
	}
	switch {
	case a.NextDue.IsZero() && b.NextDue.IsZero():
		return 0
	case a.NextDue.IsZero():
		return 1
	case b.NextDue.IsZero():
		return -1
	}
	return a.NextDue.Compare(b.NextDue)
}

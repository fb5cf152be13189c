package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/tlp"
)

// National reports (R3). Every answer goes through the TLP gate: a report the
// caller may not see answers 404, exactly like one that does not exist.

// reporter describes the caller as crisis needs it.
func (d Deps) reporter(c caller) crisis.Reporter {
	o, _ := d.Auth.Dir.Organisation(c.User.Organisation)
	var chairs []string
	for _, m := range o.Memberships {
		if m.Role == model.RoleChair && m.Condition == "" {
			chairs = append(chairs, m.Network)
		}
	}
	return crisis.Reporter{Organisation: o.ID, User: c.User.ID, Role: string(c.User.Role),
		Actor: o.Actor, NationalKind: o.NationalKind, MemberState: o.MemberState, Chairs: chairs, Networks: o.Networks()}
}

var errNoReport = &failure.Error{Kind: failure.NotFound, Field: "id", Message: "no report with that id"}

// visibleReport returns the report if the caller may see it, and audits the
// read of an AMBER+STRICT or RED one.
func (d Deps) visibleReport(r *http.Request, id string) (crisis.NationalReport, error) {
	rep, err := d.Reports.Get(r.Context(), id)
	if err != nil {
		return rep, err
	}
	see, err := d.reportGate(r, rep)
	if err != nil {
		return crisis.NationalReport{}, err
	}
	if !see(reports.Item(rep)) {
		return crisis.NationalReport{}, errNoReport
	}
	return rep, nil
}

// reportGate is the TLP gate for a report's items. §20 is effective for
// access here as in the case's own view (caseGate): while the Commission is a
// member of EU-CyCLONe for a case the report is linked to, it reads what is
// marked for EU-CyCLONe's members in that report.
func (d Deps) reportGate(r *http.Request, rep crisis.NationalReport) (cases.Gate, error) {
	v := d.viewer(r)
	plain := func(it tlp.Item) bool { return tlp.CanSee(v, it) }
	if plain(reports.Item(rep)) || !d.conditionalCyCLONeMember(r) {
		return plain, nil
	}
	ids, err := d.Cases.IDs(r.Context())
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		c, err := d.Cases.Get(r.Context(), id)
		if err != nil {
			return nil, err
		}
		if !c.Linked(rep.ID) {
			continue
		}
		see, err := d.caseGate(r, c)
		if err != nil {
			return nil, err
		}
		if see(reports.Item(rep)) {
			return see, nil
		}
	}
	return plain, nil
}

func (d Deps) recordReportReads(r *http.Request, rs ...crisis.NationalReport) error {
	evs := make([]event.Event, 0, len(rs))
	for _, rep := range rs {
		evs = append(evs, event.Event{ID: rep.ID, Marking: rep.Content.Marking, Actor: event.Actor{User: rep.FiledBy, Organisation: rep.Organisation}})
	}
	return d.recordReads(r, evs)
}

func handleFileReport(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var content crisis.ReportContent
		if err := decodeJSON(r, &content); err != nil {
			return err
		}
		rep, created, err := d.Reports.File(r.Context(), d.reporter(c), r.Header.Get("Idempotency-Key"), content)
		if err != nil {
			return err
		}
		if !created && !tlp.CanSee(d.viewer(r), reports.Item(rep)) {
			// The report this key filed was since re-marked out of the caller's reach.
			return errNoReport
		}
		w.Header().Set("Location", apiPrefix+"/reports/"+rep.ID)
		w.Header().Set("ETag", etag(rep.Version))
		status := http.StatusCreated
		if !created {
			status = http.StatusOK // a retry with the same Idempotency-Key
		}
		return writeJSON(w, status, rep)
	}
}

// amendRequest is a new version of the whole content, with the reason.
type amendRequest struct {
	Content crisis.ReportContent `json:"content"`
	Reason  string               `json:"reason"`
}

func handleAmendReport(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		cur, err := d.visibleReport(r, r.PathValue("id"))
		if err != nil {
			return err
		}
		version, err := ifMatch(r)
		if err != nil {
			return err
		}
		var req amendRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		rep, err := d.Reports.Amend(r.Context(), d.reporter(c), cur.ID, version, req.Content, req.Reason)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", etag(rep.Version))
		return writeJSON(w, http.StatusOK, rep)
	}
}

func handleGetReport(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		rep, err := d.visibleReport(r, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := d.recordReportReads(r, rep); err != nil {
			return err
		}
		w.Header().Set("ETag", etag(rep.Version))
		return writeJSON(w, http.StatusOK, rep)
	}
}

// reportPage is one page of the report list.
type reportPage struct {
	Items []crisis.NationalReport `json:"items"`
	Next  string                  `json:"next,omitempty"`
}

const reportsPurpose = "reports"

// handleListReports lists the reports the caller may see, oldest first, with
// optional filters; a hidden report is neither listed nor counted.
func handleListReports(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		limit, start, err := d.pageRequest(r, reportsPurpose)
		if err != nil {
			return err
		}
		ms, sector := r.URL.Query().Get("member_state"), r.URL.Query().Get("sector")
		all, err := d.Reports.All(r.Context())
		if err != nil {
			return err
		}
		v := d.viewer(r)
		page := reportPage{Items: []crisis.NationalReport{}}
		for i := int(start); i < len(all); i++ {
			rep := all[i]
			if !tlp.CanSee(v, reports.Item(rep)) || !matches(rep, ms, sector) {
				continue
			}
			if len(page.Items) == limit {
				page.Next = d.Cursors.seal(reportsPurpose, int64(i))
				break
			}
			page.Items = append(page.Items, rep)
		}
		if err := d.recordReportReads(r, page.Items...); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, page)
	}
}

func matches(rep crisis.NationalReport, ms, sector string) bool {
	if ms != "" && !slices.Contains(rep.Content.AffectedMemberStates, ms) {
		return false
	}
	return sector == "" || slices.Contains(rep.Content.Sectors, sector)
}

// handleReportHistory lists a report's versions; each carries its own marking
// and goes through the gate on its own.
func handleReportHistory(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		rep, err := d.visibleReport(r, r.PathValue("id"))
		if err != nil {
			return err
		}
		recs, err := d.Reports.History(r.Context(), rep.ID)
		if err != nil {
			return err
		}
		see, err := d.reportGate(r, rep)
		if err != nil {
			return err
		}
		page := eventPage{Items: []event.Event{}}
		for _, rec := range recs {
			e := rec.Event
			if see(tlp.Item{Marking: e.Marking, OwnerUser: e.Actor.User, OwnerOrganisation: e.Actor.Organisation}) {
				page.Items = append(page.Items, e)
			}
		}
		if err := d.recordReads(r, page.Items); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, page)
	}
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the version the client last saw; amendments need it, so that a
// change made meanwhile by a colleague is never overwritten unseen.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, &failure.Error{Kind: failure.Invalid, Field: "If-Match", Message: "send the ETag of the version you amend (from GET), so a colleague's change made meanwhile is not overwritten"}
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil || v < 1 {
		return 0, &failure.Error{Kind: failure.Invalid, Field: "If-Match", Message: "is not an ETag this node gave"}
	}
	return v, nil
}

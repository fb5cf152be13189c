package crisis

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The EU Cybersecurity Reserve (R10, §55(b)(v), §55(c)(vi); Regulation (EU)
// 2025/38 arts. 14–16). A Member State requests services through its single
// point of contact, or CERT-EU for Union entities, with the content art. 15
// asks for; the node tells the CSIRTs Network and EU-CyCLONe at once; the
// Commission (with ENISA, which implements Reserve actions) assesses, approves
// or refuses and deploys; the user reports on the support within a month of
// its end. §55(b)(v) expects the services deployed within 24 hours of the
// request: that clock is the playbook's reserve-deployment clock.

// ReserveStatus is where a Reserve request stands.
type ReserveStatus string

const (
	ReserveRequested ReserveStatus = "requested"
	ReserveAssessed  ReserveStatus = "assessed"
	ReserveApproved  ReserveStatus = "approved"
	ReserveRefused   ReserveStatus = "refused"
	ReserveDeployed  ReserveStatus = "deployed"
	ReserveEnded     ReserveStatus = "ended"
	// ReserveReported: the user submitted its summary report on the support.
	ReserveReported ReserveStatus = "reported"
)

// reserveNext is the order of the statuses: what may follow each.
var reserveNext = map[ReserveStatus][]ReserveStatus{
	ReserveRequested: {ReserveAssessed, ReserveRefused},
	ReserveAssessed:  {ReserveApproved, ReserveRefused},
	ReserveApproved:  {ReserveDeployed},
	ReserveDeployed:  {ReserveEnded},
	ReserveEnded:     {ReserveReported},
}

// ReserveNoticeNetworks are the networks the node informs of every request:
// the CSIRTs Network and EU-CyCLONe (§55(b)(v); Regulation 2025/38 art. 15).
var ReserveNoticeNetworks = []string{NetworkCSIRTs, NetworkCyCLONe}

// ReserveRequest is one request for Reserve services. A viewer who may see the
// node's notice but not the request itself sees who asked and when, and the
// statuses they may see, without the request's content.
type ReserveRequest struct {
	ID string `json:"id"`
	// Requester is the Member State whose single point of contact transmitted
	// the request, or EU for CERT-EU on behalf of Union entities.
	Requester    string    `json:"requester"`
	Organisation string    `json:"organisation"`
	RequestedAt  time.Time `json:"requested_at"`
	// Content is nil when the viewer may not see the request itself.
	Content *ReserveContent `json:"content"`
	// Notified lists the networks the node informed (the notice's audience);
	// Notice is the notice's record, nil if the viewer may not see it.
	Notified   []string        `json:"notified"`
	Notice     *Record         `json:"notice"`
	Status     ReserveStatus   `json:"status"`
	Updates    []ReserveUpdate `json:"updates"`
	DeployedAt time.Time       `json:"deployed_at,omitzero"`
	EndedAt    time.Time       `json:"ended_at,omitzero"`
	ReportedAt time.Time       `json:"reported_at,omitzero"`
}

// ReserveFields are what Regulation 2025/38 art. 15 asks a request to hold.
type ReserveFields struct {
	AffectedEntity string `json:"affected_entity"`
	Impact         string `json:"impact"`
	PlannedUse     string `json:"planned_use"`
	EstimatedNeeds string `json:"estimated_needs"`
	Mitigation     string `json:"mitigation_taken"`
	OtherSupport   string `json:"other_support"`
}

// ReserveContent is a request's content with who recorded it, under which
// marking.
type ReserveContent struct {
	ReserveFields
	Record
}

// ReserveUpdate is one change of status.
type ReserveUpdate struct {
	Status ReserveStatus `json:"status"`
	Note   string        `json:"note"`
	Record
}

type (
	reserveRequested struct {
		ID        string        `json:"id"`
		Requester string        `json:"requester"`
		Content   ReserveFields `json:"content"`
	}
	reserveNoticed struct {
		ID        string    `json:"id"`
		Requester string    `json:"requester"`
		Networks  []string  `json:"networks"`
		At        time.Time `json:"requested_at"`
	}
	reserveUpdated struct {
		ID     string        `json:"id"`
		Status ReserveStatus `json:"status"`
		Note   string        `json:"note"`
	}
)

func applyReserve(rs []ReserveRequest, e CaseEvent) ([]ReserveRequest, error) {
	find := func(id string) int { return slices.IndexFunc(rs, func(r ReserveRequest) bool { return r.ID == id }) }
	var err error
	decode := func(v any) {
		if jerr := json.Unmarshal(e.Payload, v); jerr != nil {
			err = fmt.Errorf("%s %s: %w", e.Type, e.ID, jerr)
		}
	}
	switch e.Type {
	case EventReserveRequested:
		var p reserveRequested
		if decode(&p); err != nil {
			return rs, err
		}
		content := ReserveContent{ReserveFields: p.Content, Record: recordOf(e)}
		i := find(p.ID)
		if i < 0 {
			rs = append(rs, ReserveRequest{ID: p.ID, Requester: p.Requester, Organisation: e.Organisation, RequestedAt: e.At,
				Notified: []string{}, Status: ReserveRequested, Updates: []ReserveUpdate{}})
			i = len(rs) - 1
		}
		rs[i].Content = &content
	case EventReserveNotice:
		var p reserveNoticed
		if decode(&p); err != nil {
			return rs, err
		}
		i := find(p.ID)
		if i < 0 {
			rs = append(rs, ReserveRequest{ID: p.ID, Requester: p.Requester, Organisation: e.Organisation, RequestedAt: p.At,
				Status: ReserveRequested, Updates: []ReserveUpdate{}})
			i = len(rs) - 1
		}
		rec := recordOf(e)
		rs[i].Notified, rs[i].Notice = slices.Clone(p.Networks), &rec
	case EventReserveUpdated:
		var p reserveUpdated
		if decode(&p); err != nil {
			return rs, err
		}
		i := find(p.ID)
		if i < 0 {
			// The viewer sees the update but neither the request nor the
			// notice: nothing to attach it to, and nothing to show.
			return rs, nil
		}
		r := &rs[i]
		r.Status = p.Status
		r.Updates = append(r.Updates, ReserveUpdate{Status: p.Status, Note: p.Note, Record: recordOf(e)})
		switch p.Status {
		case ReserveDeployed:
			r.DeployedAt = e.At
		case ReserveEnded:
			r.EndedAt = e.At
		case ReserveReported:
			r.ReportedAt = e.At
		}
	}
	return rs, nil
}

// Reserve returns the request with the id.
func (c Case) ReserveRequest(id string) (ReserveRequest, bool) {
	i := slices.IndexFunc(c.Reserve, func(r ReserveRequest) bool { return r.ID == id })
	if i < 0 {
		return ReserveRequest{}, false
	}
	return c.Reserve[i], true
}

// ReserveRequestBody is a request for Reserve services.
type ReserveRequestBody struct {
	AffectedEntity string       `json:"affected_entity"`
	Impact         string       `json:"impact"`
	PlannedUse     string       `json:"planned_use"`
	EstimatedNeeds string       `json:"estimated_needs"`
	Mitigation     string       `json:"mitigation_taken"`
	OtherSupport   string       `json:"other_support"`
	Marking        *tlp.Marking `json:"marking,omitempty"`
}

// DecideReserveRequest checks a request and returns it with the node's notice
// to both networks. The notice names only the request's id, who asked and
// when: the content keeps the requester's marking.
func DecideReserveRequest(who Reporter, c Case, id string, req ReserveRequestBody, now time.Time) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	requester, err := who.mayRequestReserve()
	if err != nil {
		return Draft{}, err
	}
	var errs []error
	text := func(field, v, what string, max int) string {
		v = strings.TrimSpace(v)
		if v == "" || utf8.RuneCountInString(v) > max {
			errs = append(errs, failure.Field(field, "%s, in 1-%d characters (Regulation 2025/38 art. 15)", what, max))
		}
		return v
	}
	content := ReserveFields{
		AffectedEntity: text("affected_entity", req.AffectedEntity, "name the affected entity and its sector", 500),
		Impact:         text("impact", req.Impact, "describe the incident's impact and its potential impacts", 4000),
		PlannedUse:     text("planned_use", req.PlannedUse, "say what the support is for", 4000),
		EstimatedNeeds: text("estimated_needs", req.EstimatedNeeds, "estimate the services needed (e.g. \"2 incident responders for 10 days, forensic triage\")", 2000),
		Mitigation:     text("mitigation_taken", req.Mitigation, "say which mitigation measures were already taken", 4000),
		OtherSupport:   text("other_support", req.OtherSupport, "say what other support the entity has (incident response contracts, insurance), or \"none\"", 2000),
	}
	if err := joinFields(errs); err != nil {
		return Draft{}, err
	}
	m, err := eventMarking(c, req.Marking)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventReserveRequested, Marking: m, Payload: reserveRequested{ID: id, Requester: requester, Content: content},
		Also: []Draft{{Type: EventReserveNotice, Marking: noticeMarking(c),
			Payload: reserveNoticed{ID: id, Requester: requester, Networks: slices.Clone(ReserveNoticeNetworks), At: now.UTC()}}}}, nil
}

// ReserveUpdateBody changes a request's status.
type ReserveUpdateBody struct {
	Status  ReserveStatus `json:"status"`
	Note    string        `json:"note"`
	Marking *tlp.Marking  `json:"marking,omitempty"`
}

// DecideReserveUpdate checks a change of status: the order of the statuses,
// and who records each. An update is marked like the notice unless the caller
// chooses otherwise, so both networks follow the clock.
func DecideReserveUpdate(who Reporter, c Case, id string, req ReserveUpdateBody) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	r, ok := c.ReserveRequest(id)
	if !ok {
		return Draft{}, failure.New(failure.NotFound, "no Reserve request %q in this case", id)
	}
	next := reserveNext[r.Status]
	if !slices.Contains(next, req.Status) {
		if len(next) == 0 {
			return Draft{}, failure.New(failure.Conflict, "the request is %s: no status follows", r.Status)
		}
		return Draft{}, failure.Field("status", "the request is %s; what may follow is %s", r.Status, joinStatuses(next))
	}
	if err := who.mayUpdateReserve(r, req.Status); err != nil {
		return Draft{}, err
	}
	note := strings.TrimSpace(req.Note)
	if utf8.RuneCountInString(note) > 2000 {
		return Draft{}, failure.Field("note", "must be at most 2 000 characters")
	}
	if req.Status == ReserveRefused && note == "" {
		return Draft{}, failure.Field("note", "say why the request is refused; the requester reads it")
	}
	m := noticeMarking(c)
	if req.Marking != nil {
		var err error
		if m, err = eventMarking(c, req.Marking); err != nil {
			return Draft{}, err
		}
	}
	return Draft{Type: EventReserveUpdated, Marking: m, Payload: reserveUpdated{ID: id, Status: req.Status, Note: note}}, nil
}

// noticeMarking is the marking of the node's notice of a request, and by
// default of its statuses: TLP:AMBER for both networks.
func noticeMarking(c Case) tlp.Marking {
	return tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: slices.Clone(ReserveNoticeNetworks)}, Exercise: c.Marking.Exercise}
}

func joinStatuses(ss []ReserveStatus) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, " or ")
}

// ReserveClock is a request's deployment clock and the user's report clock,
// as they stand at a given time.
type ReserveClock struct {
	Request string    `json:"request"`
	Due     time.Time `json:"deployment_due"`
	// Overdue: the deployment clock ran out before the services were
	// deployed — whether they are still awaited or came late.
	Overdue bool   `json:"overdue"`
	State   string `json:"state"` // running, overdue, deployed-in-time, deployed-late, refused, unknown
	Text    string `json:"text"`
	// ReportDue is one month after the support ended (Regulation 2025/38
	// art. 16); ReportOverdue when it passed without the report.
	ReportDue     time.Time `json:"report_due,omitzero"`
	ReportOverdue bool      `json:"report_overdue,omitempty"`
}

// ReserveClocks computes the clocks of the case's requests at now; due gives
// the deployment deadline for a request time (the playbook's
// reserve-deployment clock, 24 hours unless the node overrides it).
func ReserveClocks(c Case, due func(time.Time) time.Time, now time.Time) []ReserveClock {
	out := []ReserveClock{}
	for _, r := range c.Reserve {
		k := ReserveClock{Request: r.ID, Due: due(r.RequestedAt)}
		span := k.Due.Sub(r.RequestedAt)
		switch {
		case r.Notice == nil:
			// The statuses are shared with the networks the notice went to;
			// a viewer outside them cannot tell whether the services came.
			k.State = "unknown"
			k.Text = "the request's progress is shared with the CSIRTs Network and EU-CyCLONe, and you do not see it: ask them whether the services were deployed"
		case r.Status == ReserveRefused:
			k.State, k.Text = "refused", "refused: no deployment clock"
		case !r.DeployedAt.IsZero():
			took := r.DeployedAt.Sub(r.RequestedAt)
			if r.DeployedAt.After(k.Due) {
				k.State, k.Overdue = "deployed-late", true
				k.Text = fmt.Sprintf("overdue: deployed %s after the request, %s past the %s clock (§55(b)(v))", hours(took), hours(r.DeployedAt.Sub(k.Due)), hours(span))
			} else {
				k.State = "deployed-in-time"
				k.Text = fmt.Sprintf("deployed %s after the request, within the %s clock (§55(b)(v))", hours(took), hours(span))
			}
		case now.After(k.Due):
			k.State, k.Overdue = "overdue", true
			k.Text = fmt.Sprintf("overdue: not deployed %s after the request; due %s (%s clock, §55(b)(v))", hours(now.Sub(r.RequestedAt)), k.Due.UTC().Format(time.RFC3339), hours(span))
		default:
			k.State = "running"
			k.Text = fmt.Sprintf("%s left: deployment due %s (%s clock, §55(b)(v))", hours(k.Due.Sub(now)), k.Due.UTC().Format(time.RFC3339), hours(span))
		}
		if !r.EndedAt.IsZero() {
			k.ReportDue = r.EndedAt.AddDate(0, 1, 0)
			k.ReportOverdue = r.ReportedAt.IsZero() && now.After(k.ReportDue)
		}
		out = append(out, k)
	}
	return out
}

// hours renders a span to the minute, as an officer reads it: "25 h",
// "1 h 30 min", "45 min".
func hours(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

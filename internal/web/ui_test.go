package web

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
)

// The web UI, driven over HTTP as a browser would drive it (plain forms, the
// session cookie, the CSRF token read from the page). The browser tests
// (browser_test.go) rely on the ids and names these tests pin down.

// uiGet fetches a page.
func (c *client) uiGet(path string) *httptest.ResponseRecorder {
	c.t.Helper()
	return c.do("GET", path, "", "", nil)
}

// uiPost sends a form as a browser does, with the session's CSRF token.
func (c *client) uiPost(path string, v url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	v = cloneValues(v)
	v.Set("csrf_token", c.csrf)
	return c.do("POST", path, "application/x-www-form-urlencoded", v.Encode(), nil)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// uiLogin signs in through the login form and reads the CSRF token from the
// page it lands on, as a browser would.
func (c *client) uiLogin(username, password string) {
	c.t.Helper()
	rec := c.do("POST", "/login", "application/x-www-form-urlencoded", url.Values{"username": {username}, "password": {password}}.Encode(), nil)
	if rec.Code != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d %s", username, rec.Code, rec.Body.String())
	}
	overview := c.uiGet("/")
	m := csrfField.FindStringSubmatch(overview.Body.String())
	if m == nil {
		c.t.Fatalf("the overview has no CSRF token: %s", overview.Body.String())
	}
	c.csrf = m[1]
}

// wantStatus checks a page's status and that it is HTML with the UI's CSP.
func wantPage(t *testing.T, rec *httptest.ResponseRecorder, status int) string {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %.2000s", rec.Code, status, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("content type %q, want HTML: %.500s", ct, rec.Body.String())
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self'") || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q: want the sheet and this node's script allowed, and no inline script", csp)
	}
	body := rec.Body.String()
	assertAccessible(t, body)
	return body
}

var (
	controlTag = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	attrID     = regexp.MustCompile(`\sid="([^"]+)"`)
	attrType   = regexp.MustCompile(`\stype="([^"]+)"`)
	headingTag = regexp.MustCompile(`<h([1-6])\b`)
	anyID      = regexp.MustCompile(`\sid="([^"]+)"`)
)

// assertAccessible checks the WCAG basics a page can be checked for without a
// browser: the language, the skip link, a label for every control, headings
// in order, unique ids, and every time in a <time datetime> element labelled
// UTC.
func assertAccessible(t *testing.T, body string) {
	t.Helper()
	if !strings.Contains(body, `<html lang="en">`) {
		t.Error(`the page does not say <html lang="en">`)
	}
	if !strings.Contains(body, `class="skip-link" href="#main"`) || !strings.Contains(body, `id="main"`) {
		t.Error("the page has no skip link to #main")
	}
	for _, tag := range controlTag.FindAllString(body, -1) {
		if typ := attrType.FindStringSubmatch(tag); typ != nil && (typ[1] == "hidden" || typ[1] == "submit") {
			continue
		}
		id := attrID.FindStringSubmatch(tag)
		if id == nil {
			t.Errorf("control without an id, so without a label: %s", tag)
			continue
		}
		if !strings.Contains(body, `<label for="`+id[1]+`"`) {
			t.Errorf("control %s has no <label for>", id[1])
		}
	}
	last := 0
	for _, h := range headingTag.FindAllStringSubmatch(body, -1) {
		level := int(h[1][0] - '0')
		if last == 0 && level != 1 {
			t.Errorf("the first heading is h%d, want h1", level)
		}
		if level > last+1 {
			t.Errorf("heading h%d follows h%d: a level is skipped", level, last)
		}
		last = level
	}
	seen := map[string]bool{}
	for _, m := range anyID.FindAllStringSubmatch(body, -1) {
		if seen[m[1]] {
			t.Errorf("id %q is used twice", m[1])
		}
		seen[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`<time datetime="([^"]+)">([^<]*)</time>`).FindAllStringSubmatch(body, -1) {
		if _, err := time.Parse(time.RFC3339, m[1]); err != nil || !strings.HasSuffix(m[2], " UTC") {
			t.Errorf("time %q %q: want an RFC 3339 instant shown in UTC", m[1], m[2])
		}
	}
}

func TestUILoginAndLogout(t *testing.T) {
	h := NewServer(MustDeps(t))
	c := newClient(t, h)

	// Anonymous: every page sends to the login form, and back afterwards.
	for path, next := range map[string]string{"/": "/", "/cases/x?tab=reports": "/cases/x?tab=reports", "/reports/new": "/reports/new"} {
		rec := c.uiGet(path)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next="+url.QueryEscape(next) {
			t.Errorf("anonymous GET %s = %d → %q", path, rec.Code, rec.Header().Get("Location"))
		}
	}
	body := wantPage(t, c.uiGet("/login?next=%2Freports%2Fnew"), http.StatusOK)
	for _, want := range []string{`id="login-form"`, `name="username"`, `name="password"`, `name="next" value="/reports/new"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the login page lacks %s", want)
		}
	}

	// A wrong password and an unknown user get the same answer.
	loginError := regexp.MustCompile(`(?s)<div class="error-summary" role="alert" id="login-error".*?</div>`)
	login := func(username, password, next string) *httptest.ResponseRecorder {
		return c.do("POST", "/login", "application/x-www-form-urlencoded", url.Values{"username": {username}, "password": {password}, "next": {next}}.Encode(), nil)
	}
	wrong, unknown := login("admin", "not it", "/"), login("nobody", "not it", "/")
	wrongMsg := loginError.FindString(wantPage(t, wrong, http.StatusUnauthorized))
	unknownMsg := loginError.FindString(wantPage(t, unknown, http.StatusUnauthorized))
	if wrongMsg == "" || wrongMsg != unknownMsg {
		t.Errorf("wrong password: %q\nunknown user: %q\nwant the same message", wrongMsg, unknownMsg)
	}
	if strings.Contains(wrong.Body.String(), "not it") {
		t.Error("the password was sent back in the page")
	}
	if !strings.Contains(wrong.Body.String(), `value="admin"`) {
		t.Error("the username was not kept")
	}

	// The right password: to next, never off this node.
	rec := login("admin", testAdminPassword, "//evil.example/x")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" || c.cookie == nil {
		t.Fatalf("login = %d → %q, cookie %v", rec.Code, rec.Header().Get("Location"), c.cookie)
	}
	body = wantPage(t, c.uiGet("/"), http.StatusOK)
	if !strings.Contains(body, `id="cases"`) || !strings.Contains(body, "There is no case you may see yet") {
		t.Errorf("the overview's empty state is missing: %.1500s", body)
	}
	c.csrf = csrfField.FindStringSubmatch(body)[1]

	// Logging out needs the token, then ends the session.
	if rec := c.do("POST", "/logout", "application/x-www-form-urlencoded", "", nil); rec.Code != http.StatusForbidden {
		t.Errorf("logout without csrf_token = %d, want 403", rec.Code)
	}
	rec = c.uiPost("/logout", url.Values{})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("logout = %d → %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := c.uiGet("/"); rec.Code != http.StatusSeeOther {
		t.Errorf("after logout GET / = %d, want a redirect to the login form", rec.Code)
	}
}

func TestUILoginThrottled(t *testing.T) {
	c := newClient(t, NewServer(MustDeps(t)))
	var last *httptest.ResponseRecorder
	for range 20 {
		last = c.do("POST", "/login", "application/x-www-form-urlencoded", "username=admin&password=wrong", nil)
	}
	body := wantPage(t, last, http.StatusTooManyRequests)
	if !strings.Contains(body, "Too many failed logins") || last.Header().Get("Retry-After") == "" {
		t.Errorf("throttled login: Retry-After %q, page %.1500s", last.Header().Get("Retry-After"), body)
	}
}

// validReportForm is a complete national report as the form sends it.
func validReportForm(now time.Time) url.Values {
	return url.Values{
		"idempotency_key": {"ui-test-1"},
		"title":           {"Ransomware at three hospitals"}, "summary": {"Encrypted systems; emergency care diverted."},
		"detected_at": {now.Add(-2 * time.Hour).Format(datetimeLocalLayout)}, "aware_at": {now.Add(-time.Hour).Format(datetimeLocalLayout)},
		"affected_member_states": {"NL", "BE"}, "sectors": {"health"}, "affected_entities": {"3"},
		"entity_relevance":        {"regional trauma centres"},
		"impact.service-delivery": {"3"}, "impact.affected-entities": {"2"}, "impact.other-services": {"2"}, "impact.damage": {"2"},
		"other_persons_affected": {"yes"},
		"classification":         {"malicious-code:infected-system"}, "root_cause": {"malicious-actions"}, "outlook": {"stable"},
		"status": {"open"}, "tlp": {"TLP:AMBER"}, "audience_kind": {"networks"}, "audience_ids": {"csirts-network, eu-cyclone"},
	}
}

func TestUIReportForm(t *testing.T) {
	s := newScenario(t)
	sanne := s.people["nl.analyst"]
	body := wantPage(t, sanne.uiGet("/reports/new"), http.StatusOK)
	fields := []string{"title", "summary", "detected_at", "aware_at", "affected_member_states", "sectors", "affected_entities",
		"entity_relevance", "other_persons_affected", "classification", "root_cause", "outlook", "status", "tlp", "audience_kind", "audience_ids"}
	for _, d := range s.d.Reports.Taxonomy.Dimensions {
		fields = append(fields, "impact."+d.ID)
	}
	for _, f := range fields {
		if !strings.Contains(body, `name="`+f+`"`) {
			t.Errorf("the report form has no field %s", f)
		}
	}
	if !strings.Contains(body, `id="report-form"`) || !strings.Contains(body, `type="datetime-local" id="detected_at"`) || !strings.Contains(body, "Detected at (UTC)") {
		t.Error("the form must ask for the times as datetime-local, labelled UTC")
	}
	msSelect := regexp.MustCompile(`(?s)<select id="affected_member_states".*?</select>`).FindString(body)
	if n := strings.Count(msSelect, "<option"); n != 28 {
		t.Errorf("the Member State select offers %d options, want the 27 and EU", n)
	}
	if tlpSelect := regexp.MustCompile(`(?s)<select id="tlp".*?</select>`).FindString(body); tlpSelect == "" || strings.Contains(tlpSelect, " selected") {
		t.Error("a TLP label is chosen before the officer chose one")
	}

	// A submission with a mistake in every field comes back with each
	// message next to its field and everything typed kept.
	bad := url.Values{
		"idempotency_key": {"ui-test-bad"},
		"title":           {""}, "summary": {""},
		"detected_at": {"yesterday night"}, "aware_at": {""},
		"affected_member_states": {"GR"}, "sectors": {"healthcare"}, "affected_entities": {"many"},
		"entity_relevance":        {"Kept: Ελληνικά, български, ș/ț <b>bold</b>"},
		"impact.service-delivery": {"3"},
		"classification":          {""}, "status": {"open"}, "tlp": {""}, "audience_kind": {"community"},
	}
	before, err := s.d.Reports.All(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	rec := sanne.uiPost("/reports", bad)
	body = wantPage(t, rec, http.StatusUnprocessableEntity)
	for _, f := range []string{"title", "summary", "detected_at", "aware_at", "affected_member_states", "sectors", "affected_entities", "impact", "classification", "marking"} {
		if !strings.Contains(body, `id="error-`+f+`"`) {
			t.Errorf("no message next to %s", f)
		}
	}
	for _, anchor := range []string{"#title", "#detected_at", "#affected_member_states", "#impact-service-delivery", "#tlp"} {
		if !strings.Contains(body, `<a href="`+anchor+`"`) {
			t.Errorf("the error summary does not link to %s", anchor)
		}
	}
	for _, kept := range []string{`value="yesterday night"`, html.EscapeString("Kept: Ελληνικά, български, ș/ț <b>bold</b>"), `value="many"`, `<option value="3" selected>`, `value="community" selected`} {
		if !strings.Contains(body, kept) {
			t.Errorf("the input %s was lost", kept)
		}
	}
	if strings.Contains(body, "<b>bold</b>") {
		t.Error("the officer's text was not escaped")
	}
	if !strings.Contains(body, `aria-describedby="title-hint error-title"`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Error("the messages are not linked to their fields with aria-describedby")
	}
	if after, _ := s.d.Reports.All(t.Context()); len(after) != len(before) {
		t.Fatal("an invalid form filed a report")
	}

	// A valid one files the report and shows it with its severity.
	good := validReportForm(s.clock.Now())
	rec = sanne.uiPost("/reports", good)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/reports/") {
		t.Fatalf("valid report = %d → %q: %.2000s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	where := rec.Header().Get("Location")
	if again := sanne.uiPost("/reports", good); again.Header().Get("Location") != where {
		t.Errorf("the same form sent twice filed a second report: %s and %s", where, again.Header().Get("Location"))
	}
	rep, err := s.d.Reports.Get(t.Context(), strings.TrimPrefix(where, "/reports/"))
	if err != nil {
		t.Fatal(err)
	}
	if want := s.clock.Now().Add(-time.Hour).Truncate(time.Minute); !rep.Content.AwareAt.Equal(want) || rep.Content.OtherPersonsAffected == nil || !*rep.Content.OtherPersonsAffected {
		t.Errorf("aware at %s (want %s, the form's value read as UTC), other persons %v", rep.Content.AwareAt, want, rep.Content.OtherPersonsAffected)
	}
	body = wantPage(t, sanne.uiGet(where), http.StatusOK)
	for _, want := range []string{`id="severity"`, "score " + strconv.Itoa(rep.Severity.Score) + " of 100", html.EscapeString(rep.Severity.LevelName),
		`class="tlp tlp-amber">TLP:AMBER<`, `id="significance"`, `id="case-form"`, `name="report" value="` + rep.ID + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	if !strings.Contains(html.UnescapeString(body), rep.Severity.Explanation) {
		t.Errorf("the report page lacks the severity explanation %q", rep.Severity.Explanation)
	}
}

// TestUIOpenCaseWithReport: the report page's form opens a case and links the
// report; a marking left out is refused with the message by the field.
func TestUIOpenCaseWithReport(t *testing.T) {
	s := newScenario(t)
	sanne := s.people["nl.analyst"]
	repID := s.fileReport("nl.analyst", "NL")
	open := url.Values{"idempotency_key": {"ui-case-1"}, "report": {repID}, "title": {"Hospital ransomware"}, "tlp": {""}, "audience_kind": {"organisations"}, "audience_ids": {"nl-ncsc, be-ccb"}}
	body := wantPage(t, sanne.uiPost("/cases", open), http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="error-marking"`) || !strings.Contains(body, `value="Hospital ransomware"`) || !strings.Contains(body, `value="nl-ncsc, be-ccb"`) {
		t.Errorf("an unmarked case: want the message and the input kept: %.3000s", body)
	}
	if ids, _ := s.d.Cases.IDs(t.Context()); len(ids) != 0 {
		t.Fatal("an unmarked case was opened")
	}
	open.Set("tlp", "TLP:AMBER")
	rec := sanne.uiPost("/cases", open)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/cases/") {
		t.Fatalf("open a case = %d → %q: %.2000s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	id := strings.TrimSuffix(strings.TrimPrefix(rec.Header().Get("Location"), "/cases/"), "?tab=reports")
	c, err := s.d.Cases.Get(t.Context(), id)
	if err != nil || !c.Linked(repID) {
		t.Fatalf("the case %s does not link the report: %v", id, err)
	}
	body = wantPage(t, sanne.uiGet(rec.Header().Get("Location")), http.StatusOK)
	if !strings.Contains(body, `href="/reports/`+repID+`"`) || !strings.Contains(body, `aria-current="page" class="current"`) {
		t.Errorf("the reports tab does not show the linked report: %.3000s", body)
	}
	// Sent again (a double click): the same case, linked once.
	if again := sanne.uiPost("/cases", open); again.Header().Get("Location") != "/cases/"+id {
		t.Errorf("the same form sent twice: %d → %q", again.Code, again.Header().Get("Location"))
	}
}

var decisionFormID = regexp.MustCompile(`<form [^>]*\bid="(decision-form-[a-z-]+)"`)
var networkFormID = regexp.MustCompile(`<form [^>]*\bid="(network-form-[a-z-]+)"`)

// TestUICaseRoomShowsOnlyAllowedControls: each official sees exactly the
// decision forms crisis.AllowedFor gives them, and a decision posted by one
// who may not take it is refused with a 403 page and changes nothing.
func TestUICaseRoomShowsOnlyAllowedControls(t *testing.T) {
	s, _, _ := sitrepCase(t)
	room := "/cases/" + s.caseID
	for _, o := range officials {
		c := s.people[o.name]
		body := wantPage(t, c.uiGet(room+"?tab=decisions"), http.StatusOK)
		var got, want []string
		for _, m := range decisionFormID.FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		for _, m := range networkFormID.FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		allowed := crisis.AllowedFor(s.reporterOf(o.name), s.caseAs(o.name))
		for _, d := range allowed.Decisions {
			want = append(want, "decision-form-"+string(d.Authority))
		}
		for _, n := range allowed.Networks {
			want = append(want, "network-form-"+n)
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s sees forms %v; AllowedFor gives %v", o.name, got, want)
		}
		if len(allowed.Decisions) == 0 && !strings.Contains(body, `id="who-decides"`) {
			t.Errorf("%s may decide nothing and is not told who decides", o.name)
		}
		if strings.Contains(body, "disabled") {
			t.Errorf("%s's page has disabled controls", o.name)
		}
		if (strings.Contains(body, `id="close-form"`)) != allowed.Close {
			t.Errorf("%s: close form shown %v, allowed %v", o.name, !allowed.Close, allowed.Close)
		}
	}
	if body := s.people["presidency"].uiGet(room + "?tab=decisions").Body.String(); strings.Contains(body, "decision-form-national-assessment") {
		t.Error("the Presidency's page holds the national assessment form")
	}

	// The Presidency posts NL's national assessment anyway: 403, nothing changes.
	before, err := s.d.Cases.Get(t.Context(), s.caseID)
	if err != nil {
		t.Fatal(err)
	}
	decision := url.Values{"authority": {"national-assessment"}, "level": {"significant"}, "reason": {"taken over"}}
	body := wantPage(t, s.people["presidency"].uiPost(room+"/decide", decision), http.StatusForbidden)
	if !strings.Contains(body, `id="alert"`) || !strings.Contains(body, "§7(b)") {
		t.Errorf("the refusal does not say who decides: %.3000s", body)
	}
	if after, _ := s.d.Cases.Get(t.Context(), s.caseID); after.Version != before.Version {
		t.Fatalf("a refused decision changed the case: version %d → %d", before.Version, after.Version)
	}

	// NL's coordinator forgets the reason: the form comes back with the
	// message next to the field and the level kept.
	nl := s.people["nl.coordinator"]
	decision.Set("reason", "")
	body = wantPage(t, nl.uiPost(room+"/decide", decision), http.StatusUnprocessableEntity)
	sent := regexp.MustCompile(`(?s)<form[^>]*id="decision-form-national-assessment".*?</form>`).FindString(body)
	if !strings.Contains(sent, `id="error-reason"`) || !strings.Contains(sent, `<option value="significant" selected>`) || !strings.Contains(sent, `href="#reason-national-assessment"`) {
		t.Errorf("the failed decision form: %s", sent)
	}
	decision.Set("reason", "three hospitals diverting emergency care")
	rec := nl.uiPost(room+"/decide", decision)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != room+"?tab=decisions" {
		t.Fatalf("the decision = %d → %q: %.2000s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	body = wantPage(t, nl.uiGet(room), http.StatusOK)
	if !strings.Contains(body, `data-decided="significant"`) || !strings.Contains(body, `data-suggested="large-scale"`) {
		t.Errorf("the ladder after the decision: %.2000s", body)
	}
}

// reporterOf is the official as crisis knows them.
func (s *scenario) reporterOf(name string) crisis.Reporter {
	s.t.Helper()
	u, ok := s.d.Auth.Dir.UserByUsername(name)
	if !ok {
		s.t.Fatalf("no user %s", name)
	}
	return s.d.reporter(caller{User: u, Via: "session"})
}

// caseAs is the case as the official's view holds it.
func (s *scenario) caseAs(name string) crisis.Case {
	s.t.Helper()
	var v struct {
		Case crisis.Case `json:"case"`
	}
	mustUnmarshal(s.t, s.as(name, "GET", "/api/v1/cases/"+s.caseID, nil, http.StatusOK), &v)
	return v.Case
}

var badgeClass = regexp.MustCompile(`class="badge badge-([a-z-]+)"`)

func TestUICaseRoomTabs(t *testing.T) {
	s, nl, _ := sitrepCase(t)
	room := "/cases/" + s.caseID
	enisa := s.people["enisa"]
	// Three days on, the NIS2 incident notifications (72 h) are overdue.
	s.clock.Advance(73 * time.Hour)

	body := wantPage(t, enisa.uiGet(room), http.StatusOK)
	for _, tab := range caseTabs {
		if !strings.Contains(body, `id="tab-`+tab.name+`" href="`+room+`?tab=`+tab.name+`"`) {
			t.Errorf("no tab link %s", tab.name)
		}
	}
	if !strings.Contains(body, `id="tab-playbook" href="`+room+`?tab=playbook" aria-current="page"`) {
		t.Error("the playbook is not the default tab")
	}
	for _, want := range []string{`id="ladder"`, `id="next-steps"`, `id="group-technical"`, `id="group-operational"`, `id="group-political"`, ">OVERDUE<", `id="commission-membership"`,
		`id="stix-export" href="/api/v1/cases/` + s.caseID + `/stix"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the case room lacks %s", want)
		}
	}
	// In each group, overdue steps come first.
	for _, group := range regexp.MustCompile(`(?s)<section class="step-group".*?(?:<details|</section>)`).FindAllString(body, -1) {
		var states []string
		for _, m := range badgeClass.FindAllStringSubmatch(group, -1) {
			states = append(states, m[1])
		}
		if i := slices.Index(states, "overdue"); i >= 0 && slices.ContainsFunc(states[:i], func(st string) bool { return st != "overdue" }) {
			t.Errorf("an overdue step is listed after others: %v", states)
		}
	}

	// The export link answers the same session with a STIX bundle.
	if rec := enisa.uiGet("/api/v1/cases/" + s.caseID + "/stix"); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/stix+json;version=2.1" {
		t.Errorf("the STIX export from the case room: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}

	// Timeline: newest first, each with its label.
	body = wantPage(t, enisa.uiGet(room+"?tab=timeline"), http.StatusOK)
	opened, linked := strings.Index(body, "Case opened"), strings.Index(body, "National report linked")
	if opened < 0 || linked < 0 || linked > opened || strings.Count(body, `class="tlp tlp-amber"`) < 3 {
		t.Errorf("the timeline is not newest first with labels: %.3000s", body)
	}

	// Reports: the linked ones with their severity.
	body = wantPage(t, enisa.uiGet(room+"?tab=reports"), http.StatusOK)
	if !strings.Contains(body, `href="/reports/`+nl+`"`) || !strings.Contains(body, "/100)") {
		t.Errorf("the reports tab lacks NL's report: %.3000s", body)
	}

	// Situation reports: a draft downloads; ENISA publishes; the version is
	// listed with a download link per format, which the session opens.
	body = wantPage(t, enisa.uiGet(room+"?tab=sitreps"), http.StatusOK)
	if !strings.Contains(body, `id="sitrep-form"`) || !strings.Contains(body, `id="sitrep-publish"`) {
		t.Fatalf("ENISA's sitreps tab lacks the form or the publish button: %.3000s", body)
	}
	if nlBody := s.people["nl.analyst"].uiGet(room + "?tab=sitreps").Body.String(); strings.Contains(nlBody, `id="sitrep-publish"`) {
		t.Error("NL's analyst, who publishes no kind, is offered Publish")
	}
	sitrep := url.Values{"kind": {"technical"}, "format": {"md"}, "tlp": {"TLP:AMBER"}, "audience_kind": {"networks"}, "audience_ids": {"csirts-network"}}
	rec := enisa.uiPost(room+"/sitreps/draft", sitrep)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/markdown") || !strings.Contains(rec.Body.String(), "TLP:AMBER") {
		t.Fatalf("draft = %d %s: %.500s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	unmarked := cloneValues(sitrep)
	unmarked.Del("tlp")
	if body := wantPage(t, enisa.uiPost(room+"/sitreps/draft", unmarked), http.StatusUnprocessableEntity); !strings.Contains(body, `id="error-marking"`) {
		t.Errorf("an unmarked draft: %.2000s", body)
	}
	if body := wantPage(t, enisa.uiPost(room+"/sitreps/publish", sitrep), http.StatusUnprocessableEntity); !strings.Contains(body, `id="error-confirm"`) {
		t.Errorf("publishing without confirming: %.2000s", body)
	}
	sitrep.Set("confirm", "yes")
	if rec := enisa.uiPost(room+"/sitreps/publish", sitrep); rec.Code != http.StatusSeeOther {
		t.Fatalf("publish = %d: %.2000s", rec.Code, rec.Body.String())
	}
	body = wantPage(t, enisa.uiGet(room+"?tab=sitreps"), http.StatusOK)
	links := regexp.MustCompile(`<a class="download" href="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(links) != 4 {
		t.Fatalf("want a download link per format, got %v", links)
	}
	for _, l := range links {
		href := html.UnescapeString(l[1])
		if rec := enisa.uiGet(href); rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", href, rec.Code)
		}
	}
	if rec := s.people["nl.analyst"].uiPost(room+"/sitreps/publish", sitrep); rec.Code != http.StatusForbidden {
		t.Errorf("NL's analyst publishing = %d, want 403", rec.Code)
	}

	// The Presidency sees the case but neither report: the room counts them
	// and shows nothing of them, on any tab.
	for _, tab := range caseTabs {
		body := wantPage(t, s.people["presidency"].uiGet(room+"?tab="+tab.name), http.StatusOK)
		if !strings.Contains(body, "2 linked reports you may not read") {
			t.Errorf("%s tab: the Presidency is not told of the reports it may not read", tab.name)
		}
		if strings.Contains(body, "Ransomware at hospitals reported by") || strings.Contains(body, nl) {
			t.Errorf("%s tab: the Presidency's page shows a report it may not read", tab.name)
		}
	}
}

// TestUIFormsNeedTheCSRFToken: a form posted without the session's token is
// refused and changes nothing.
func TestUIFormsNeedTheCSRFToken(t *testing.T) {
	s, _, _ := sitrepCase(t)
	nl := s.people["nl.coordinator"]
	before, _ := s.d.Cases.Get(t.Context(), s.caseID)
	for path, v := range map[string]url.Values{
		"/cases/" + s.caseID + "/decide": {"authority": {"national-assessment"}, "level": {"significant"}, "reason": {"x"}},
		"/reports":                       validReportForm(s.clock.Now()),
		"/cases":                         {"title": {"x"}, "tlp": {"TLP:GREEN"}, "audience_kind": {"community"}},
	} {
		for name, token := range map[string]string{"no token": "", "forged token": "forged"} {
			body := v.Encode()
			if token != "" {
				body += "&csrf_token=" + token
			}
			if rec := nl.do("POST", path, "application/x-www-form-urlencoded", body, nil); rec.Code != http.StatusForbidden {
				t.Errorf("POST %s with %s = %d, want 403", path, name, rec.Code)
			}
		}
	}
	if after, _ := s.d.Cases.Get(t.Context(), s.caseID); after.Version != before.Version {
		t.Error("a form without the CSRF token changed the case")
	}
	if ids, _ := s.d.Cases.IDs(t.Context()); len(ids) != 1 {
		t.Error("a form without the CSRF token opened a case")
	}

	// With the token the page gives, the same form is recorded.
	browser := newClient(t, s.h)
	browser.uiLogin("nl.coordinator", "nl.coordinator long passphrase")
	decision := url.Values{"authority": {"national-assessment"}, "level": {"significant"}, "reason": {"three hospitals"}}
	if rec := browser.uiPost("/cases/"+s.caseID+"/decide", decision); rec.Code != http.StatusSeeOther {
		t.Errorf("the decision with the page's token = %d: %.1000s", rec.Code, rec.Body.String())
	}
}

// TestUIExerciseBanner: a page that shows exercise data says so at the top
// and the bottom, and marks each such item.
func TestUIExerciseBanner(t *testing.T) {
	d := MustDeps(t)
	u := newUI(d)
	p := &uiErrorPage{Status: 200, Heading: "x", Message: "y"}
	p.markExercise("")
	p.markExercise("cyber-europe-2026")
	rec := httptest.NewRecorder()
	if err := u.render(rec, httptest.NewRequest("GET", "/", nil), "error", http.StatusOK, p); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(rec.Body.String(), `class="exercise-banner"`); n != 2 || !strings.Contains(rec.Body.String(), "cyber-europe-2026") {
		t.Errorf("%d EXERCISE banners: %s", n, rec.Body.String())
	}
}

func TestUITemplatesParseAndAssetsServe(t *testing.T) {
	d := MustDeps(t)
	u := newUI(d)
	if u.err != nil {
		t.Fatal(u.err)
	}
	h := NewServer(d)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", u.cssURL, nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s = %d %s %s", u.cssURL, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"))
	}
	for _, colour := range []string{"#ff2b2b", "#ffc000", "#33ff00", "#ffffff"} {
		if !strings.Contains(strings.ToLower(rec.Body.String()), colour) {
			t.Errorf("the style sheet lacks FIRST's colour %s", colour)
		}
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/no/such/page", nil))
	if rec.Code != 404 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("an unknown path = %d %s, want an HTML 404", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestUILocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/cases/1?tab=reports": "/cases/1?tab=reports", "": "/", "//evil.example": "/", "https://evil.example": "/",
		"/\\evil.example": "/", "/\t/evil.example": "/", "/login": "/", "/logout?x=1": "/", "cases": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUICaseRoomForms: linking a report, a network's activation, closing and
// reopening, each refused with the message in its own form first.
func TestUICaseRoomForms(t *testing.T) {
	s, _, _ := sitrepCase(t)
	room := "/cases/" + s.caseID
	sanne := s.people["nl.analyst"]
	another := s.fileReport("nl.analyst", "NL")

	body := wantPage(t, sanne.uiGet(room+"?tab=reports"), http.StatusOK)
	if !strings.Contains(body, `id="link-form"`) || !strings.Contains(body, `<option value="`+another+`"`) {
		t.Fatalf("the link form does not offer the new report: %.3000s", body)
	}
	body = wantPage(t, sanne.uiPost(room+"/reports/link", url.Values{"report": {"no-such-report"}}), http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="error-report"`) || !strings.Contains(body, `href="#link-report"`) {
		t.Errorf("linking an unknown report: %.3000s", body)
	}
	if rec := sanne.uiPost(room+"/reports/link", url.Values{"report": {another}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != room+"?tab=reports" {
		t.Fatalf("link = %d → %q: %.2000s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	// Linked twice: the form is gone (nothing left to link), so the alert says why.
	body = wantPage(t, sanne.uiPost(room+"/reports/link", url.Values{"report": {another}}), http.StatusConflict)
	if !strings.Contains(body, `id="alert"`) || !strings.Contains(body, "already linked") {
		t.Errorf("linking twice: %.3000s", body)
	}

	// The CSIRTs Network's chair activates it, after forgetting the reason.
	fi := s.people["fi.chair"]
	activate := url.Values{"network": {"csirts-network"}, "active": {"true"}, "reason": {""}}
	body = wantPage(t, fi.uiPost(room+"/networks", activate), http.StatusUnprocessableEntity)
	sent := regexp.MustCompile(`(?s)<form[^>]*id="network-form-csirts-network".*?</form>`).FindString(body)
	if !strings.Contains(sent, `id="error-reason"`) {
		t.Errorf("the failed activation form: %s", sent)
	}
	activate.Set("reason", "cross-border incident")
	if rec := fi.uiPost(room+"/networks", activate); rec.Code != http.StatusSeeOther {
		t.Fatalf("activate = %d: %.2000s", rec.Code, rec.Body.String())
	}
	body = wantPage(t, fi.uiGet(room+"?tab=decisions"), http.StatusOK)
	if !strings.Contains(body, "Deactivate CSIRTs Network") || !strings.Contains(wantPage(t, fi.uiGet(room), http.StatusOK), "<dt>Active networks</dt><dd>CSIRTs Network</dd>") {
		t.Errorf("after the activation: %.3000s", body)
	}

	// NL's coordinator closes the case, then reopens it.
	nl := s.people["nl.coordinator"]
	body = wantPage(t, nl.uiPost(room+"/close", url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
	if sent := regexp.MustCompile(`(?s)<form[^>]*id="close-form".*?</form>`).FindString(body); !strings.Contains(sent, `id="error-reason"`) || !strings.Contains(body, `href="#reason-close-form"`) {
		t.Errorf("the failed close form: %s", sent)
	}
	if rec := nl.uiPost(room+"/close", url.Values{"reason": {"systems restored"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("close = %d: %.2000s", rec.Code, rec.Body.String())
	}
	body = wantPage(t, nl.uiGet(room+"?tab=decisions"), http.StatusOK)
	if !strings.Contains(body, `id="reopen-form"`) || strings.Contains(body, `id="close-form"`) || strings.Contains(body, `id="decision-form-`) {
		t.Errorf("a closed case offers: %.3000s", body)
	}
	if overview := wantPage(t, nl.uiGet("/"), http.StatusOK); !strings.Contains(overview, `class="badge badge-closed">Closed<`) {
		t.Error("the overview does not say the case is closed")
	}
	if rec := nl.uiPost(room+"/reopen", url.Values{"reason": {"the attacker is back"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("reopen = %d: %.2000s", rec.Code, rec.Body.String())
	}
	if c, _ := s.d.Cases.Get(t.Context(), s.caseID); c.Closed {
		t.Error("the case is still closed")
	}
}

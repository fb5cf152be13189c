package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The attacker-side suite (R15). Organisation Y (be-ccb) has items marked for it
// only: its users' logins and token uses (audit, TLP:AMBER+STRICT for the
// operator and Y), a failed login, and an API token. A user of organisation X
// (nl-ncsc), as analyst and as admin, calls EVERY route of the node, trying to
// reach them. No response may contain any of Y's secrets or markers, every item a
// listing returns must be one X may see (so no count includes a hidden item),
// cursors must be opaque, and nothing of Y's may be changed.
//
// How this catches a new exit: TestAttackerCoversEveryRoute compares routes()
// with the attacks table below. Add a route — say GET /api/v1/cases — and the
// suite fails with "route GET /api/v1/cases has no attack", until an attack that
// tries to reach Y's items through it is added here. If the new handler forgets
// the gate (Deps.visible), that attack finds Y's markers in the response and
// fails too.

type attackFixture struct {
	h      http.Handler
	deps   Deps
	yUser  auth.User
	yToken string
	yTokID string
	// yReports are Y's national reports: AMBER+STRICT for Y, and RED for a Y user.
	yReports []string
	yCase    string   // Y's case, AMBER+STRICT for Y
	markers  []string // strings only Y's hidden items contain
}

const (
	yClient        = "203.0.113.66"
	yTokenName     = "Y-secret-token-name"
	yPassword      = "Y's own long passphrase"
	yReportTitle   = "Y-secret-report-title"
	yCaseTitle     = "Y-secret-case-title"
	xPassword      = "X's own long passphrase"
	xAdminPassword = "X admin long passphrase"
	yIndicatorName = "Y-secret-indicator-name"
	yIndicator     = "indicator--9b1a3f0e-2c4d-4e5f-8a6b-7c8d9e0f1a2b"
)

func MustAttackFixture(t *testing.T) *attackFixture {
	t.Helper()
	d := MustDeps(t)
	svc, ctx := d.Auth, t.Context()
	admin, _ := svc.Dir.UserByUsername("admin")
	for _, org := range []auth.OrganisationRequest{
		{ID: "nl-ncsc", Name: "NCSC-NL", NationalKind: "csirt", MemberState: "NL"},
		{ID: "be-ccb", Name: "CCB", NationalKind: "csirt", MemberState: "BE"},
	} {
		if _, err := svc.RegisterOrganisation(ctx, admin, org); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(username, org string, role auth.Role, pw string) auth.User {
		u, err := svc.CreateUser(ctx, admin, auth.UserRequest{Username: username, DisplayName: username, Organisation: org, Role: string(role), Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	mk("x.analyst", "nl-ncsc", auth.RoleAnalyst, xPassword)
	mk("x.admin", "nl-ncsc", auth.RoleAdmin, xAdminPassword)
	y := mk("y.analyst", "be-ccb", auth.RoleAnalyst, yPassword)

	// Y's activity, which leaves items marked for Y (and the operator) only.
	h := NewServer(d)
	yc := newClient(t, h)
	yc.addr = yClient + ":5555"
	yc.json("POST", "/api/v1/session", map[string]string{"username": "y.analyst", "password": "wrong, from Y's address"}, false)
	yc.MustLogin("y.analyst", yPassword)
	rec := yc.json("POST", "/api/v1/tokens", map[string]string{"name": yTokenName}, true)
	var tok struct {
		Token string `json:"token"`
		ID    string `json:"id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.Token == "" {
		t.Fatalf("Y's token: %s", rec.Body.String())
	}
	tool := newClient(t, h)
	tool.addr = yClient + ":6666"
	tool.bearer = tok.Token
	if rec := tool.json("GET", "/api/v1/session", nil, false); rec.Code != 200 {
		t.Fatalf("Y's token does not work: %d", rec.Code)
	}
	// Y's national reports, one for Y only, one for a named Y user only (RED).
	var yReports []string
	for _, m := range []string{
		`{"tlp":"TLP:AMBER+STRICT","audience":{"kind":"organisations","ids":["be-ccb"]}}`,
		`{"tlp":"TLP:RED","audience":{"kind":"users","ids":["` + y.ID + `"]}}`,
	} {
		body := reportBody(yReportTitle, m)
		body["affected_member_states"] = []string{"BE", "NL"}
		rec := yc.json("POST", "/api/v1/reports", body, true)
		var rep struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil || rep.ID == "" {
			t.Fatalf("Y's report: %d %s", rec.Code, rec.Body.String())
		}
		yReports = append(yReports, rep.ID)
	}
	// Y's case, for Y only, with its AMBER+STRICT report linked.
	rec = yc.json("POST", "/api/v1/cases", map[string]any{"title": yCaseTitle,
		"marking": json.RawMessage(`{"tlp":"TLP:AMBER+STRICT","audience":{"kind":"organisations","ids":["be-ccb"]}}`)}, true)
	var yCase struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &yCase); err != nil || yCase.Case.ID == "" {
		t.Fatalf("Y's case: %d %s", rec.Code, rec.Body.String())
	}
	if rec := yc.json("POST", "/api/v1/cases/"+yCase.Case.ID+"/reports", map[string]string{"report": yReports[0]}, true); rec.Code != 200 {
		t.Fatalf("Y links its report: %d %s", rec.Code, rec.Body.String())
	}
	// Y shares a STIX indicator, AMBER: by default for Y's organisation only.
	bundle := `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","spec_version":"2.1",` +
		`"id":"` + yIndicator + `","created":"2026-11-30T10:00:00.000Z","modified":"2026-11-30T10:00:00.000Z","name":"` + yIndicatorName + `",` +
		`"pattern":"[ipv4-addr:value = '198.51.100.66']","pattern_type":"stix","valid_from":"2026-11-30T10:00:00Z",` +
		`"object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]}]}`
	if rec := yc.do("POST", "/api/v1/stix/bundles", "application/stix+json;version=2.1", bundle, map[string]string{"X-CSRF-Token": yc.csrf}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"added": 1`) {
		t.Fatalf("Y shares an indicator: %d %s", rec.Code, rec.Body.String())
	}
	// Y reads its own audit trail, which records a read of AMBER+STRICT items.
	if rec := yc.json("GET", "/api/v1/audit", nil, false); rec.Code != 200 || !strings.Contains(rec.Body.String(), yClient) {
		t.Fatalf("Y cannot see its own audit trail: %d %s", rec.Code, rec.Body.String())
	}
	return &attackFixture{h: h, deps: d, yUser: y, yToken: tok.Token, yTokID: tok.ID, yReports: yReports, yCase: yCase.Case.ID,
		markers: append([]string{yClient, yTokenName, tok.Token, tok.ID, y.ID, "y.analyst", yPassword, yReportTitle, yCaseTitle, yCase.Case.ID, yIndicatorName}, yReports...)}
}

// attack is one request X makes against a route.
type attack struct {
	method, path, body string
	// taxii sends the request as a TAXII client does: Accept and
	// Content-Type taxii+json, X's user name and password as HTTP Basic.
	taxii bool
	// status, if not 0, is the only acceptable answer.
	status int
	// form sends the body as an HTML form does (the UI's routes).
	form bool
}

// attacks lists, per route of routes(), what X tries. Every route must appear.
func (f *attackFixture) attacks() map[string][]attack {
	y := f.yUser.ID
	return map[string][]attack{
		"GET /healthz":                                  {{method: "GET", path: "/healthz"}},
		"GET /readyz":                                   {{method: "GET", path: "/readyz"}},
		"GET /metrics":                                  {{method: "GET", path: "/metrics"}},
		"GET /api/v1/openapi.json":                      {{method: "GET", path: "/api/v1/openapi.json"}},
		"GET /api/v1/model":                             {{method: "GET", path: "/api/v1/model"}},
		"GET /api/v1/model/{table}":                     {{method: "GET", path: "/api/v1/model/actors"}},
		"GET /api/v1/model/{table}/{id}":                {{method: "GET", path: "/api/v1/model/actors/enisa"}},
		"POST /api/v1/session":                          {{method: "POST", path: "/api/v1/session", body: `{"username":"y.analyst","password":"guess"}`, status: 401}},
		"GET /api/v1/session":                           {{method: "GET", path: "/api/v1/session", status: 200}},
		"DELETE /api/v1/session":                        {}, // run last, separately: it ends X's session
		"GET /api/v1/tokens":                            {{method: "GET", path: "/api/v1/tokens", status: 200}},
		"POST /api/v1/tokens":                           {{method: "POST", path: "/api/v1/tokens", body: `{"name":"x tool"}`, status: 201}},
		"DELETE /api/v1/tokens/{id}":                    {{method: "DELETE", path: "/api/v1/tokens/" + f.yTokID, status: 404}},
		"GET /api/v1/organisations":                     {{method: "GET", path: "/api/v1/organisations", status: 200}},
		"POST /api/v1/organisations":                    {{method: "POST", path: "/api/v1/organisations", body: `{"id":"be-ccb","name":"takeover","national_kind":"csirt","member_state":"BE"}`}},
		"GET /api/v1/organisations/{id}":                {{method: "GET", path: "/api/v1/organisations/be-ccb", status: 200}},
		"POST /api/v1/organisations/{id}/memberships":   {{method: "POST", path: "/api/v1/organisations/be-ccb/memberships", body: `{"network":"eu-cyclone","role":"member"}`, status: 403}},
		"DELETE /api/v1/organisations/{id}/memberships": {{method: "DELETE", path: "/api/v1/organisations/be-ccb/memberships", body: `{"network":"csirts-network","role":"member"}`, status: 403}},
		"GET /api/v1/users": {
			{method: "GET", path: "/api/v1/users", status: 200},
			{method: "GET", path: "/api/v1/users?organisation=be-ccb", status: 403},
		},
		"POST /api/v1/users":              {{method: "POST", path: "/api/v1/users", body: `{"username":"mole","display_name":"m","organisation":"be-ccb","role":"admin","password":"a long passphrase!"}`, status: 403}},
		"GET /api/v1/users/{id}":          {{method: "GET", path: "/api/v1/users/" + y, status: 404}},
		"POST /api/v1/users/{id}/disable": {{method: "POST", path: "/api/v1/users/" + y + "/disable", body: `{}`, status: 404}},
		"PUT /api/v1/users/{id}/password": {{method: "PUT", path: "/api/v1/users/" + y + "/password", body: `{"password":"taken over passphrase"}`, status: 404}},
		"GET /api/v1/audit":               {{method: "GET", path: "/api/v1/audit?limit=500", status: 200}},
		" /api/v1/":                       {{method: "GET", path: "/api/v1/users/" + y + "/tokens", status: 404}},
		"GET /api/v1/reports": {
			{method: "GET", path: "/api/v1/reports?limit=500", status: 200},
			{method: "GET", path: "/api/v1/reports?member_state=BE", status: 200},
		},
		// X files its own report; the answer must hold nothing of Y's.
		"POST /api/v1/reports":             {{method: "POST", path: "/api/v1/reports", body: mustMarshalAny(reportBody("x report", greenAll)), status: 201}},
		"GET /api/v1/reports/{id}":         f.onYReports("GET", "", "", 404),
		"PUT /api/v1/reports/{id}":         f.onYReports("PUT", "", `{"content":`+mustMarshalAny(reportBody("taken over", greenAll))+`,"reason":"x"}`, 404),
		"GET /api/v1/reports/{id}/history": f.onYReports("GET", "/history", "", 404),
		"GET /api/v1/cases": {
			{method: "GET", path: "/api/v1/cases?limit=500", status: 200},
			{method: "GET", path: "/api/v1/cases?open=true", status: 200},
		},
		// X opens its own case and links Y's report to it: refused, as X may not see it.
		"POST /api/v1/cases":                                        {{method: "POST", path: "/api/v1/cases", body: `{"title":"x case","marking":` + greenAll + `}`, status: 201}},
		"GET /api/v1/cases/{id}":                                    {{method: "GET", path: "/api/v1/cases/" + f.yCase, status: 404}},
		"POST /api/v1/cases/{id}/reports":                           f.onYCase("/reports", `{"report":"`+f.yReports[1]+`"}`),
		"POST /api/v1/cases/{id}/unlinks":                           f.onYCase("/unlinks", `{"report":"`+f.yReports[0]+`","reason":"x"}`),
		"POST /api/v1/cases/{id}/signals":                           f.onYCase("/signals", `{"kind":"response-capacity-exceeded","detail":"x"}`),
		"POST /api/v1/cases/{id}/decisions":                         f.onYCase("/decisions", `{"authority":"national-assessment","level":"significant","reason":"x"}`),
		"POST /api/v1/cases/{id}/networks":                          f.onYCase("/networks", `{"network":"csirts-network","active":true,"reason":"x"}`),
		"POST /api/v1/cases/{id}/arrangements":                      f.onYCase("/arrangements", `{"text":"x"}`),
		"POST /api/v1/cases/{id}/ipcr":                              f.onYCase("/ipcr", `{"mode":"monitoring","reason":"x"}`),
		"POST /api/v1/cases/{id}/roundtables":                       f.onYCase("/roundtables", `{"held_at":"2026-01-01T00:00:00Z","summary":"x"}`),
		"POST /api/v1/cases/{id}/hybrid":                            f.onYCase("/hybrid", `{"flagged":true,"reason":"x"}`),
		"POST /api/v1/cases/{id}/mechanisms":                        f.onYCase("/mechanisms", `{"mechanism":"ucpm","action":"requested","detail":"x"}`),
		"POST /api/v1/cases/{id}/analyses":                          f.onYCase("/analyses", `{"analysis":"x","options":["x"]}`),
		"POST /api/v1/cases/{id}/reserve-requests":                  f.onYCase("/reserve-requests", `{"affected_entity":"x","impact":"x","planned_use":"x","estimated_needs":"x","mitigation_taken":"x","other_support":"x"}`),
		"POST /api/v1/cases/{id}/reserve-requests/{request}/status": f.onYCase("/reserve-requests/reserve-2/status", `{"status":"assessed"}`),
		"POST /api/v1/cases/{id}/communications":                    f.onYCase("/communications", `{"kind":"advisory","audience":"x","published_at":"2026-01-01T00:00:00Z","summary":"x"}`),
		"POST /api/v1/cases/{id}/diplomacy":                         f.onYCase("/diplomacy", `{"measure":"x","stage":"proposed","detail":"x"}`),
		"POST /api/v1/cases/{id}/contact-points":                    f.onYCase("/contact-points", `{"partner":"nato","contact":"x"}`),
		"POST /api/v1/cases/{id}/military-notices":                  f.onYCase("/military-notices", `{"capabilities":"national","provider_agreed":true,"detail":"x"}`),
		"POST /api/v1/cases/{id}/recovery":                          f.onYCase("/recovery", `{"sector":"health","function":"x","state":"restoring"}`),
		"POST /api/v1/cases/{id}/reviews":                           f.onYCase("/reviews", `{"stage":"requested","member_states":["NL"],"agreements":[{"party":"member-state:NL","at":"2026-01-01T00:00:00Z"}],"scope":"x"}`),
		// TAXII: Y's indicator is in Y's AMBER collection, which X may not
		// read; X's own listing names none of Y's items.
		" /taxii2/": {
			{method: "GET", path: "/taxii2/blueprint/collections/", taxii: true, status: 200},
			{method: "GET", path: "/taxii2/blueprint/collections/be-ccb-amber/", taxii: true, status: 404},
			{method: "GET", path: "/taxii2/blueprint/collections/be-ccb-amber/objects/", taxii: true, status: 404},
			{method: "GET", path: "/taxii2/blueprint/collections/be-ccb-amber/manifest/", taxii: true, status: 404},
			{method: "GET", path: "/taxii2/blueprint/collections/be-ccb-amber/objects/" + yIndicator + "/", taxii: true, status: 404},
			{method: "GET", path: "/taxii2/blueprint/collections/be-ccb-amber/objects/" + yIndicator + "/versions/", taxii: true, status: 404},
			{method: "DELETE", path: "/taxii2/blueprint/collections/be-ccb-amber/objects/" + yIndicator + "/", taxii: true, status: 404},
			{method: "POST", path: "/taxii2/blueprint/collections/be-ccb-amber/objects/", taxii: true, status: 404, body: `{"objects":[]}`},
			{method: "GET", path: "/taxii2/blueprint/collections/community-green/objects/", taxii: true, status: 200},
		},
		"GET /api/v1/cases/{id}/stix": {{method: "GET", path: "/api/v1/cases/" + f.yCase + "/stix", status: 404}},
		"POST /api/v1/stix/bundles": {{method: "POST", path: "/api/v1/stix/bundles", status: 200, body: `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` +
			`{"type":"indicator","spec_version":"2.1","id":"` + yIndicator + `","created":"2026-11-30T10:00:00.000Z","modified":"2026-11-30T10:00:00.000Z",` +
			`"pattern":"[ipv4-addr:value = '198.51.100.99']","pattern_type":"stix","valid_from":"2026-11-30T10:00:00Z","object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]}]}`}},
		// X shares its own version of Y\'s indicator id: a copy of X\'s, which
		// leaves Y\'s as it was (checked after the attacks).
		// X shares its own version of Y's indicator id: a copy of X's, which
		// leaves Y's as it was (checked after the attacks).
		// X may hold its own copy of the id (the import below): whatever the
		// status, Y\'s copy must not show.
		"GET /api/v1/stix/objects/{id}":          {{method: "GET", path: "/api/v1/stix/objects/" + yIndicator}},
		"POST /api/v1/cases/{id}/closure":        f.onYCase("/closure", `{"reason":"x"}`),
		"POST /api/v1/cases/{id}/reopening":      f.onYCase("/reopening", `{"reason":"x"}`),
		"POST /api/v1/cases/{id}/sitreps/drafts": f.onYCase("/sitreps/drafts", `{"kind":"technical","marking":`+greenAll+`}`),
		"POST /api/v1/cases/{id}/sitreps":        f.onYCase("/sitreps", `{"kind":"technical","marking":`+greenAll+`}`),
		"GET /api/v1/cases/{id}/sitreps":         {{method: "GET", path: "/api/v1/cases/" + f.yCase + "/sitreps", status: 404}},
		"GET /api/v1/cases/{id}/sitreps/{kind}/{version}": {
			{method: "GET", path: "/api/v1/cases/" + f.yCase + "/sitreps/technical/1", status: 404},
			{method: "GET", path: "/api/v1/cases/" + f.yCase + "/sitreps/technical/1?format=pdf", status: 404},
		},
		// X asks for the live stream of Y's case: 404, as for a case that does
		// not exist (live_test.go checks what the overview stream sends).
		"GET /api/v1/live": {
			{method: "GET", path: "/api/v1/live?case=" + f.yCase, status: 404},
			{method: "GET", path: "/api/v1/live?after=0&case=" + f.yCase, status: 404},
		},

		// The web UI: X reaches for Y's case and reports through the pages and
		// their forms; each answers 404, as for something that does not exist.
		"GET /login":         {{method: "GET", path: "/login?next=/cases/" + f.yCase, status: 303}},
		"POST /login":        {{method: "POST", path: "/login", body: "username=y.analyst&password=guess", form: true, status: 401}},
		"POST /logout":       {}, // run last, separately: it ends X's session
		"GET /static/{file}": {{method: "GET", path: "/static/ui.css", status: 200}, {method: "GET", path: "/static/live.js", status: 200}},
		"GET /{$}":           {{method: "GET", path: "/", status: 200}},
		"GET /reports/new":   {{method: "GET", path: "/reports/new", status: 200}},
		// X files its own report through the form; the answer holds nothing of Y's.
		"POST /reports":     {{method: "POST", path: "/reports", body: validReportForm(time.Now().UTC()).Encode(), form: true, status: 303}},
		"GET /reports/{id}": f.onYReportPages(),
		"GET /cases/new": {
			{method: "GET", path: "/cases/new", status: 200},
			{method: "GET", path: "/cases/new?report=" + f.yReports[0], status: 200},
		},
		// X opens a case with Y's report: refused before anything is opened.
		"POST /cases": {{method: "POST", path: "/cases", body: "title=x+case&tlp=TLP%3AGREEN&audience_kind=community&report=" + f.yReports[0], form: true, status: 404}},
		"GET /cases/{id}": {
			{method: "GET", path: "/cases/" + f.yCase, status: 404},
			{method: "GET", path: "/cases/" + f.yCase + "?tab=reports", status: 404},
			{method: "GET", path: "/cases/" + f.yCase + "?tab=sitreps", status: 404},
		},
		"POST /cases/{id}/reports/link":             f.onYCasePage("/reports/link", "report="+f.yReports[0]),
		"POST /cases/{id}/decide":                   f.onYCasePage("/decide", "authority=national-assessment&level=significant&reason=x"),
		"POST /cases/{id}/networks":                 f.onYCasePage("/networks", "network=csirts-network&active=true&reason=x"),
		"POST /cases/{id}/signals":                  f.onYCasePage("/signals", "kind=response-capacity-exceeded&detail=x"),
		"POST /cases/{id}/arrangements":             f.onYCasePage("/arrangements", "text=x"),
		"POST /cases/{id}/ipcr":                     f.onYCasePage("/ipcr", "mode=monitoring&reason=x"),
		"POST /cases/{id}/roundtables":              f.onYCasePage("/roundtables", "held_at=2026-01-01T00%3A00&summary=x&gap_description_1=x&gap_actor_1=commission"),
		"POST /cases/{id}/reserve":                  f.onYCasePage("/reserve", "affected_entity=x&impact=x&planned_use=x&estimated_needs=x&mitigation_taken=x&other_support=x"),
		"POST /cases/{id}/reserve/{request}/status": f.onYCasePage("/reserve/reserve-2/status", "request=reserve-2&status=assessed"),
		"POST /cases/{id}/hybrid":                   f.onYCasePage("/hybrid", "flagged=yes&reason=x"),
		"POST /cases/{id}/mechanisms":               f.onYCasePage("/mechanisms", "mechanism=ucpm&action=requested&detail=x"),
		"POST /cases/{id}/analyses":                 f.onYCasePage("/analyses", "analysis=x&options=x"),
		"POST /cases/{id}/communications":           f.onYCasePage("/communications", "kind=advisory&audience=x&published_at=2026-01-01T00%3A00&summary=x"),
		"POST /cases/{id}/diplomacy":                f.onYCasePage("/diplomacy", "measure=x&stage=proposed&detail=x"),
		"POST /cases/{id}/contact-points":           f.onYCasePage("/contact-points", "partner=nato&contact=x"),
		"POST /cases/{id}/military-notices":         f.onYCasePage("/military-notices", "capabilities=national&provider_agreed=yes&detail=x"),
		"POST /cases/{id}/recovery":                 f.onYCasePage("/recovery", "sector=health&function=x&state=restoring"),
		"POST /cases/{id}/reviews":                  f.onYCasePage("/reviews", "member_states=NL&agreed=yes&agreed_at=2026-01-01T00%3A00&scope=x"),
		"POST /cases/{id}/reviews/delivery":         f.onYCasePage("/reviews/delivery", "review=review-2&delivery=x"),
		"POST /cases/{id}/close":                    f.onYCasePage("/close", "reason=x"),
		"POST /cases/{id}/reopen":                   f.onYCasePage("/reopen", "reason=x"),
		"POST /cases/{id}/sitreps/draft":            f.onYCasePage("/sitreps/draft", "kind=technical&format=html&tlp=TLP%3AGREEN&audience_kind=community"),
		"POST /cases/{id}/sitreps/publish":          f.onYCasePage("/sitreps/publish", "kind=technical&tlp=TLP%3AGREEN&audience_kind=community&confirm=yes"),
		"POST /cases/{id}/sitreps/check":            f.onYCasePage("/sitreps/check", "kind=technical&tlp=TLP%3AGREEN&audience_kind=community"),
		// The account page is the caller's own: X changes nothing of Y's
		// through it, and Y's token id answers like one that does not exist.
		"GET /account":                     {{method: "GET", path: "/account", status: 200}},
		"POST /account/password":           {{method: "POST", path: "/account/password", body: "current_password=guess&password=taken+over+passphrase&password_confirm=taken+over+passphrase", form: true, status: 422}},
		"POST /account/tokens":             {{method: "POST", path: "/account/tokens", body: "name=x+page+tool&ttl=24h0m0s", form: true, status: 201}},
		"POST /account/tokens/{id}/revoke": {{method: "POST", path: "/account/tokens/" + f.yTokID + "/revoke", body: "confirm=yes", form: true, status: 404}},
		"GET /directory":                   {{method: "GET", path: "/directory", status: 200}},
		" /":                               {{method: "GET", path: "/cases/" + f.yCase + "/reports", status: 404}},
	}
}

// onYReportPages asks for the page of each of Y's reports.
func (f *attackFixture) onYReportPages() []attack {
	var as []attack
	for _, id := range f.yReports {
		as = append(as, attack{method: "GET", path: "/reports/" + id, status: 404})
	}
	return as
}

// onYCasePage posts a case room form on Y's case: 404, as for a case that
// does not exist.
func (f *attackFixture) onYCasePage(suffix, body string) []attack {
	return []attack{{method: "POST", path: "/cases/" + f.yCase + suffix, body: body, form: true, status: 404}}
}

// onYReports makes one attack per report of Y's.
func (f *attackFixture) onYReports(method, suffix, body string, status int) []attack {
	var as []attack
	for _, id := range f.yReports {
		as = append(as, attack{method: method, path: "/api/v1/reports/" + id + suffix, body: body, status: status})
	}
	return as
}

// onYCase makes a command on Y's case: 404, as for a case that does not exist.
func (f *attackFixture) onYCase(suffix, body string) []attack {
	return []attack{{method: "POST", path: "/api/v1/cases/" + f.yCase + suffix, body: body, status: 404}}
}

func TestAttackerCoversEveryRoute(t *testing.T) {
	f := MustAttackFixture(t)
	table := f.attacks()
	for _, rt := range routes(f.deps) {
		key := rt.method + " " + rt.pattern
		if _, ok := table[key]; !ok {
			t.Errorf("route %s has no attack in attacker_test.go: add one that tries to reach organisation Y's items through it", key)
		}
	}
}

func TestAttackerCannotReachAnotherOrganisationsItems(t *testing.T) {
	for _, who := range []struct{ username, password string }{{"x.analyst", xPassword}, {"x.admin", xAdminPassword}} {
		t.Run(who.username, func(t *testing.T) {
			f := MustAttackFixture(t)
			x := newClient(t, f.h)
			x.addr = "198.51.100.20:7777"
			x.MustLogin(who.username, who.password)
			viewer := f.deps.viewer(httptest.NewRequest("GET", "/", nil).WithContext(
				contextWithCaller(t, x, f)))
			for route, attacks := range f.attacks() {
				for _, a := range attacks {
					contentType := "application/json"
					if a.form {
						contentType = "application/x-www-form-urlencoded"
					}
					header := map[string]string{"X-CSRF-Token": x.csrf}
					if a.taxii {
						contentType = taxiiMediaType
						header = map[string]string{"Accept": taxiiMediaType,
							"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(who.username+":"+who.password))}
					}
					rec := x.do(a.method, a.path, contentType, a.body, header)
					if a.status != 0 && rec.Code != a.status {
						t.Errorf("%s %s: status %d, want %d: %s", a.method, a.path, rec.Code, a.status, rec.Body.String())
					}
					f.assertNothingOfY(t, route, a.path+a.body, rec.Body.String())
					f.assertListingVisible(t, viewer, route, rec)
				}
			}
			rec := x.json("DELETE", "/api/v1/session", nil, true)
			f.assertNothingOfY(t, "DELETE /api/v1/session", "", rec.Body.String())
			// The UI's logout, the same way.
			x.MustLogin(who.username, who.password)
			rec = x.do("POST", "/logout", "application/x-www-form-urlencoded", "csrf_token="+url.QueryEscape(x.csrf), nil)
			if rec.Code != http.StatusSeeOther {
				t.Errorf("POST /logout: status %d, want 303", rec.Code)
			}
			f.assertNothingOfY(t, "POST /logout", "", rec.Body.String())

			// Nothing of Y's was changed: its token works, its account is active.
			tool := newClient(t, f.h)
			tool.bearer = f.yToken
			if rec := tool.json("GET", "/api/v1/session", nil, false); rec.Code != 200 {
				t.Errorf("Y's token stopped working after the attacks: %d", rec.Code)
			}
			if _, err := f.deps.Auth.Authenticate(t.Context(), "y.analyst", yPassword, "192.0.2.200"); err != nil {
				t.Errorf("Y can no longer log in after the attacks: %v", err)
			}
			if _, ok := f.deps.Auth.Dir.UserByUsername("mole"); ok {
				t.Error("X created a user in Y's organisation")
			}
			if c, err := f.deps.Cases.Get(t.Context(), f.yCase); err != nil || c.Version != 2 || c.Title != yCaseTitle {
				t.Errorf("Y's case changed after the attacks: version %d, %v", c.Version, err)
			}
			ys, err := f.deps.Intel.Versions(t.Context(), yIndicator, func(it tlp.Item) bool { return it.OwnerOrganisation == "be-ccb" })
			if err != nil || len(ys) != 1 || !strings.Contains(string(ys[0].Object), yIndicatorName) || ys[0].Marking.Audience.IDs[0] != "be-ccb" {
				t.Errorf("Y's shared indicator changed after the attacks: %+v, %v", ys, err)
			}
			for _, id := range f.yReports {
				if rep, err := f.deps.Reports.Get(t.Context(), id); err != nil || rep.Version != 1 || rep.Content.Title != yReportTitle {
					t.Errorf("Y's report %s changed after the attacks: version %d, %v", id, rep.Version, err)
				}
			}
		})
	}
}

// assertNothingOfY: an id X sent itself may be echoed back in an error; anything
// else of Y's may not appear.
func (f *attackFixture) assertNothingOfY(t *testing.T, route, sent, body string) {
	t.Helper()
	for _, m := range f.markers {
		if strings.Contains(body, m) && !strings.Contains(sent, m) {
			t.Errorf("%s: the response contains %q, which only organisation Y's items hold:\n%.800s", route, m, body)
		}
	}
}

func mustMarshalAny(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// assertListingVisible checks every item of an event listing against the gate:
// a listing that held a hidden item would count it.
func (f *attackFixture) assertListingVisible(t *testing.T, v tlp.Viewer, route string, rec *httptest.ResponseRecorder) {
	t.Helper()
	var page struct {
		Items []event.Event `json:"items"`
		Next  string        `json:"next"`
	}
	if strings.HasPrefix(route, "GET /api/v1/reports") && !strings.HasSuffix(route, "/history") {
		f.assertReportsVisible(t, v, route, rec)
		return
	}
	if route == "GET /api/v1/cases" {
		f.assertCasesVisible(t, v, route, rec)
		return
	}
	if json.Unmarshal(rec.Body.Bytes(), &page) != nil || page.Items == nil {
		return // not an event listing
	}
	for _, e := range page.Items {
		if !tlp.CanSee(v, tlp.Item{Marking: e.Marking, OwnerUser: e.Actor.User, OwnerOrganisation: e.Actor.Organisation}) {
			t.Errorf("%s: item %s (%s, %s) is not visible to %s but was listed", route, e.ID, e.Type, e.Marking.TLP, v.User)
		}
	}
	if page.Next != "" && strings.Trim(page.Next, "0123456789") == "" {
		t.Errorf("%s: the cursor %q is a plain position: it would count hidden items", route, page.Next)
	}
}

// assertReportsVisible is assertListingVisible for national reports.
func (f *attackFixture) assertReportsVisible(t *testing.T, v tlp.Viewer, route string, rec *httptest.ResponseRecorder) {
	t.Helper()
	var page struct {
		Items []crisis.NationalReport `json:"items"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &page) != nil {
		return
	}
	for _, r := range page.Items {
		if !tlp.CanSee(v, reports.Item(r)) {
			t.Errorf("%s: report %s (%s) is not visible to %s but was listed", route, r.ID, r.Content.Marking.TLP, v.User)
		}
	}
}

// assertCasesVisible checks every listed case against the gate, on the marking
// of the case as stored (not as the listing says).
func (f *attackFixture) assertCasesVisible(t *testing.T, v tlp.Viewer, route string, rec *httptest.ResponseRecorder) {
	t.Helper()
	var page casePage
	if json.Unmarshal(rec.Body.Bytes(), &page) != nil {
		return
	}
	for _, s := range page.Items {
		c, err := f.deps.Cases.Get(t.Context(), s.ID)
		if err != nil {
			t.Errorf("%s: listed case %s: %v", route, s.ID, err)
			continue
		}
		if !tlp.CanSee(v, tlp.Item{Marking: c.Marking, OwnerOrganisation: c.Organisation, OwnerUser: c.OpenedBy}) {
			t.Errorf("%s: case %s is not visible to %s but was listed", route, s.ID, v.User)
		}
	}
}

// contextWithCaller gives the gate X's identity, as the server would.
func contextWithCaller(t *testing.T, x *client, f *attackFixture) context.Context {
	t.Helper()
	rec := x.json("GET", "/api/v1/session", nil, false)
	var v struct {
		User auth.User `json:"user"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return context.WithValue(context.Background(), callerKey{}, caller{User: v.User, Via: "session"})
}

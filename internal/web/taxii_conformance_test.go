package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/auth"
)

// The TAXII 2.1 conformance suite (STANDARDS.md §1): one test per MUST of the
// specification that a server must meet, named by its section, driven through
// the HTTP handler as a TAXII client would (Accept and Content-Type
// application/taxii+json;version=2.1, a bearer token, or HTTP Basic in the
// tests about authentication). The TLP tests at the end check that the
// collections follow the gate. A test skipped with "non-conformance" names a
// MUST the server does not meet yet.

const (
	tcRoot        = "/taxii2/blueprint/"
	tcColls       = tcRoot + "collections/"
	tcSTIXMedia   = "application/stix+json;version=2.1"
	tcClear       = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
	tcGreen       = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
	tcAmber       = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
	tcAmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
	tcRed         = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
)

var (
	// A TAXII timestamp (§2): UTC, "Z", microseconds.
	tcTimestamp = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$`)
	// An RFC 4122 version 4 UUID (§2 identifier).
	tcUUIDv4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	// Any RFC 4122 UUID.
	tcUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	// tcBase is created of every object here; versions are minutes after it.
	tcBase = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// tcFixture is a scenario (newScenario) with TAXII clients: one bearer token
// per official, created on first use.
type tcFixture struct {
	t      *testing.T
	s      *scenario
	tokens map[string]string
}

func newTC(t *testing.T) *tcFixture {
	t.Helper()
	return &tcFixture{t: t, s: newScenario(t), tokens: map[string]string{}}
}

// token is the official's API token, for Authorization: Bearer.
func (f *tcFixture) token(user string) string {
	f.t.Helper()
	if tok, ok := f.tokens[user]; ok {
		return tok
	}
	c := f.s.people[user]
	if c == nil {
		f.t.Fatalf("no official %q in the scenario", user)
	}
	rec := c.json("POST", "/api/v1/tokens", map[string]string{"name": "taxii"}, true)
	var v struct {
		Token string `json:"token"`
	}
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &v) != nil || v.Token == "" {
		f.t.Fatalf("create a token for %s: %d %s", user, rec.Code, rec.Body.String())
	}
	f.tokens[user] = v.Token
	return v.Token
}

// addViewer adds a user with role viewer to an organisation and signs them in.
func (f *tcFixture) addViewer(name, org string) {
	f.t.Helper()
	admin, _ := f.s.d.Auth.Dir.UserByUsername("admin")
	pw := name + " long passphrase"
	if _, err := f.s.d.Auth.CreateUser(f.t.Context(), admin, auth.UserRequest{Username: name, DisplayName: name, Organisation: org, Role: string(auth.RoleViewer), Password: pw}); err != nil {
		f.t.Fatal(err)
	}
	c := newClient(f.t, f.s.h)
	c.MustLogin(name, pw)
	f.s.people[name] = c
}

// do sends a TAXII request as user (a bearer token; "" for none) with
// Accept: application/taxii+json;version=2.1. header adds or replaces
// headers; a header given as "" is left out.
func (f *tcFixture) do(user, method, path, contentType, body string, header map[string]string) *httptest.ResponseRecorder {
	f.t.Helper()
	h := map[string]string{"Accept": taxiiMediaType}
	if user != "" {
		h["Authorization"] = "Bearer " + f.token(user)
	}
	for k, v := range header {
		h[k] = v
	}
	for k, v := range h {
		if v == "" {
			delete(h, k)
		}
	}
	return newClient(f.t, f.s.h).do(method, path, contentType, body, h)
}

func (f *tcFixture) get(user, path string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(user, http.MethodGet, path, "", "", nil)
}

func (f *tcFixture) post(user, coll, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(user, http.MethodPost, tcColls+coll+"/objects/", taxiiMediaType, body, nil)
}

func (f *tcFixture) del(user, path string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(user, http.MethodDelete, path, "", "", nil)
}

// add posts the objects and wants every one of them a success.
func (f *tcFixture) add(user, coll string, objs ...string) tcStatus {
	f.t.Helper()
	st := tcDecode[tcStatus](f.t, f.post(user, coll, tcEnv(objs...)), http.StatusAccepted)
	if st.FailureCount != 0 || st.SuccessCount != len(objs) {
		f.t.Fatalf("post to %s: %d successes, %d failures, want %d and 0: %+v", coll, st.SuccessCount, st.FailureCount, len(objs), st)
	}
	return st
}

func (f *tcFixture) envelope(user, path string) tcEnvelope {
	f.t.Helper()
	return tcDecode[tcEnvelope](f.t, f.get(user, path), http.StatusOK)
}

func (f *tcFixture) manifest(user, path string) tcManifest {
	f.t.Helper()
	return tcDecode[tcManifest](f.t, f.get(user, path), http.StatusOK)
}

type tcEnvelope struct {
	More    bool             `json:"more"`
	Next    string           `json:"next"`
	Objects []map[string]any `json:"objects"`
}

// ids are the objects' ids, in order.
func (e tcEnvelope) ids() []string {
	out := make([]string, len(e.Objects))
	for i, o := range e.Objects {
		out[i], _ = o["id"].(string)
	}
	return out
}

// versions are the objects' id@modified, in order.
func (e tcEnvelope) versions() []string {
	out := make([]string, len(e.Objects))
	for i, o := range e.Objects {
		out[i] = fmt.Sprintf("%v@%v", o["id"], o["modified"])
	}
	return out
}

type tcRecord struct {
	ID        string `json:"id"`
	DateAdded string `json:"date_added"`
	Version   string `json:"version"`
	MediaType string `json:"media_type"`
}

type tcManifest struct {
	More    bool       `json:"more"`
	Objects []tcRecord `json:"objects"`
}

func (m tcManifest) ids() []string {
	out := make([]string, len(m.Objects))
	for i, r := range m.Objects {
		out[i] = r.ID
	}
	return out
}

func (m tcManifest) versions() []string {
	out := make([]string, len(m.Objects))
	for i, r := range m.Objects {
		out[i] = r.ID + "@" + r.Version
	}
	return out
}

type tcDetail struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Message string `json:"message"`
}

type tcStatus struct {
	ID               string     `json:"id"`
	Status           string     `json:"status"`
	RequestTimestamp string     `json:"request_timestamp"`
	TotalCount       int        `json:"total_count"`
	SuccessCount     int        `json:"success_count"`
	Successes        []tcDetail `json:"successes"`
	FailureCount     int        `json:"failure_count"`
	Failures         []tcDetail `json:"failures"`
	PendingCount     int        `json:"pending_count"`
	Pendings         []tcDetail `json:"pendings"`
}

type tcVersions struct {
	More     bool     `json:"more"`
	Versions []string `json:"versions"`
}

type tcCollection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Alias       string   `json:"alias"`
	CanRead     bool     `json:"can_read"`
	CanWrite    bool     `json:"can_write"`
	MediaTypes  []string `json:"media_types"`
}

// tcWantTAXIIType checks the response's Content-Type is the TAXII media type
// with version 2.1 (§1.6.8, §3.1).
func tcWantTAXIIType(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	ct := rec.Header().Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/taxii+json" || params["version"] != "2.1" {
		t.Errorf("Content-Type %q (status %d), want application/taxii+json;version=2.1", ct, rec.Code)
	}
}

// tcDecode checks the status and the Content-Type and decodes the body.
func tcDecode[T any](t *testing.T, rec *httptest.ResponseRecorder, want int) T {
	t.Helper()
	var v T
	if rec.Code != want {
		t.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body.String())
	}
	tcWantTAXIIType(t, rec)
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, rec.Body.String())
	}
	return v
}

// tcWantError checks an error answer: one of the statuses, the TAXII
// Content-Type, and an error resource whose http_status is a string that
// matches the status (§3.6.1).
func tcWantError(t *testing.T, rec *httptest.ResponseRecorder, what string, codes ...int) {
	t.Helper()
	if !slices.Contains(codes, rec.Code) {
		t.Errorf("%s: status %d, want one of %v: %s", what, rec.Code, codes, rec.Body.String())
		return
	}
	tcWantTAXIIType(t, rec)
	var e map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Errorf("%s: the error body is not a JSON object: %v: %q", what, err, rec.Body.String())
		return
	}
	if title, ok := e["title"].(string); !ok || title == "" {
		t.Errorf("%s: error resource without its required title: %s", what, rec.Body.String())
	}
	if hs, present := e["http_status"]; present {
		s, ok := hs.(string)
		if !ok || s != strconv.Itoa(rec.Code) {
			t.Errorf("%s: http_status %#v, want the string %q", what, hs, strconv.Itoa(rec.Code))
		}
	}
}

// tcWantBody checks the body is exactly the JSON given, whitespace aside.
func tcWantBody(t *testing.T, rec *httptest.ResponseRecorder, want string) {
	t.Helper()
	var got bytes.Buffer
	if err := json.Compact(&got, rec.Body.Bytes()); err != nil || got.String() != want {
		t.Errorf("body %q, want exactly %s", rec.Body.String(), want)
	}
}

// tcWantDateHeaders checks X-TAXII-Date-Added-First and -Last (§3.2) and
// returns them.
func tcWantDateHeaders(t *testing.T, rec *httptest.ResponseRecorder, what string) (string, string) {
	t.Helper()
	first, last := rec.Header().Get("X-TAXII-Date-Added-First"), rec.Header().Get("X-TAXII-Date-Added-Last")
	if !tcTimestamp.MatchString(first) || !tcTimestamp.MatchString(last) {
		t.Errorf("%s: X-TAXII-Date-Added-First %q, -Last %q: want TAXII timestamps", what, first, last)
	}
	if first > last {
		t.Errorf("%s: X-TAXII-Date-Added-First %s is after -Last %s", what, first, last)
	}
	return first, last
}

func tcID(typ string) string { return typ + "--" + uuid.NewString() }

// tcVer is the STIX timestamp n minutes after tcBase: version n.
func tcVer(n int) string {
	return tcBase.Add(time.Duration(n) * time.Minute).Format("2006-01-02T15:04:05.000Z")
}

func tcRefs(markings []string) string {
	if len(markings) == 0 {
		return ""
	}
	return `,"object_marking_refs":["` + strings.Join(markings, `","`) + `"]`
}

// tcIndicator is a valid STIX 2.1 indicator, created at tcBase.
func tcIndicator(id, modified string, markings ...string) string {
	return `{"type":"indicator","spec_version":"2.1","id":"` + id + `","created":"` + tcVer(0) + `","modified":"` + modified +
		`","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"` + tcVer(0) + `"` + tcRefs(markings) + `}`
}

// tcMalware is a valid STIX 2.1 malware.
func tcMalware(id, modified string, markings ...string) string {
	return `{"type":"malware","spec_version":"2.1","id":"` + id + `","created":"` + tcVer(0) + `","modified":"` + modified +
		`","name":"blueprint test malware","is_family":false` + tcRefs(markings) + `}`
}

// tcStatement is a statement marking definition: a STIX object without
// versions (created, no modified).
func tcStatement(id, created string, markings ...string) string {
	return `{"type":"marking-definition","spec_version":"2.1","id":"` + id + `","created":"` + created +
		`","definition_type":"statement","definition":{"statement":"Copyright 2026 NCSC-NL"}` + tcRefs(markings) + `}`
}

func tcEnv(objs ...string) string { return `{"objects":[` + strings.Join(objs, ",") + `]}` }

func tcObject(coll, id string) string { return tcColls + coll + "/objects/" + id + "/" }

// ---------------------------------------------------------------------------
// §1.6.8, §1.6.9, §3.1 — content negotiation, authentication, paths
// ---------------------------------------------------------------------------

// TAXII 2.1 §1.6.8/§3.1: all TAXII responses MUST include the media type and
// its version parameter in Content-Type, success and error alike.
func TestTAXII_1_6_8_ResponseContentTypeHasVersion(t *testing.T) {
	f := newTC(t)
	x, y := tcID("indicator"), tcID("indicator")
	postRec := f.post("nl.analyst", "nl-ncsc-amber", tcEnv(tcIndicator(x, tcVer(1), tcAmber)))
	st := tcDecode[tcStatus](t, postRec, http.StatusAccepted)
	f.add("nl.analyst", "community-green", tcIndicator(y, tcVer(1), tcGreen))
	taxiiJSON := map[string]string{"Content-Type": taxiiMediaType}
	cases := []struct {
		name, user, method, path, ct, body string
		header                             map[string]string
		want                               int
	}{
		{"discovery", "nl.analyst", "GET", "/taxii2/", "", "", nil, 200},
		{"api root", "nl.analyst", "GET", tcRoot, "", "", nil, 200},
		{"status", "nl.analyst", "GET", tcRoot + "status/" + st.ID + "/", "", "", nil, 200},
		{"collections", "nl.analyst", "GET", tcColls, "", "", nil, 200},
		{"collection", "nl.analyst", "GET", tcColls + "nl-ncsc-amber/", "", "", nil, 200},
		{"manifest", "nl.analyst", "GET", tcColls + "nl-ncsc-amber/manifest/", "", "", nil, 200},
		{"objects", "nl.analyst", "GET", tcColls + "nl-ncsc-amber/objects/", "", "", nil, 200},
		{"empty objects", "nl.analyst", "GET", tcColls + "public-clear/objects/", "", "", nil, 200},
		{"object", "nl.analyst", "GET", tcObject("nl-ncsc-amber", x), "", "", nil, 200},
		{"versions", "nl.analyst", "GET", tcObject("nl-ncsc-amber", x) + "versions/", "", "", nil, 200},
		{"400", "nl.analyst", "GET", tcColls + "nl-ncsc-amber/objects/?limit=0", "", "", nil, 400},
		{"401", "", "GET", tcColls, "", "", nil, 401},
		{"403", "be.coordinator", "DELETE", tcObject("community-green", y), "", "", nil, 403},
		{"404", "nl.analyst", "GET", tcColls + "no-such-collection/", "", "", nil, 404},
		{"406", "nl.analyst", "GET", tcColls, "", "", map[string]string{"Accept": "application/json"}, 406},
		{"415", "nl.analyst", "POST", tcColls + "nl-ncsc-amber/objects/", "application/json", tcEnv(), nil, 415},
		{"422", "nl.analyst", "POST", tcColls + "nl-ncsc-amber/objects/", taxiiMediaType, "not json", taxiiJSON, 422},
		{"delete", "nl.analyst", "DELETE", tcObject("nl-ncsc-amber", x), "", "", nil, 200},
	}
	for _, c := range cases {
		rec := f.do(c.user, c.method, c.path, c.ct, c.body, c.header)
		if rec.Code != c.want {
			t.Errorf("%s: %s %s = %d, want %d: %s", c.name, c.method, c.path, rec.Code, c.want, rec.Body.String())
			continue
		}
		tcWantTAXIIType(t, rec)
	}
}

// TAXII 2.1 §1.6.8/§3.1: requests whose Accept holds a media type the
// endpoint defines MUST NOT get 406; a request without a TAXII media range
// is not a TAXII request and is answered 406.
func TestTAXII_1_6_8_NotAcceptableIs406(t *testing.T) {
	f := newTC(t)
	paths := []string{"/taxii2/", tcRoot, tcColls, tcColls + "community-green/", tcColls + "community-green/manifest/", tcColls + "community-green/objects/"}
	accepted := []string{
		"application/taxii+json;version=2.1",
		"application/taxii+json",              // no version: the latest the server has
		"application/taxii+json; version=2.1", // optional whitespace
		"application/json, application/taxii+json;version=2.1",
		"application/taxii+json;version=2.1,application/stix+json;version=2.1", // §5.3's Accept
	}
	for _, p := range paths {
		for _, a := range accepted {
			rec := f.do("nl.analyst", "GET", p, "", "", map[string]string{"Accept": a})
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s with Accept %q = %d, want 200: %s", p, a, rec.Code, rec.Body.String())
				continue
			}
			tcWantTAXIIType(t, rec)
		}
		for _, a := range []string{"", "application/json", "application/stix+json;version=2.1", "application/taxii+json;version=2.0", "text/html"} {
			rec := f.do("nl.analyst", "GET", p, "", "", map[string]string{"Accept": a})
			tcWantError(t, rec, fmt.Sprintf("GET %s with Accept %q", p, a), http.StatusNotAcceptable)
		}
	}
	// POST needs a valid Accept as well (§3.1).
	rec := f.do("nl.analyst", "POST", tcColls+"community-green/objects/", taxiiMediaType,
		tcEnv(tcIndicator(tcID("indicator"), tcVer(1), tcGreen)), map[string]string{"Accept": "application/json"})
	tcWantError(t, rec, "POST with Accept application/json", http.StatusNotAcceptable)
	if m := f.manifest("nl.analyst", tcColls+"community-green/manifest/"); len(m.Objects) != 0 {
		t.Errorf("a POST answered 406 stored objects: %+v", m.Objects)
	}
}

// TAXII 2.1 §3.1: a request whose Accept holds the TAXII media type MUST
// NOT get 406 — also when the client sends Accept as several header lines,
// which HTTP defines as one comma-separated list (RFC 9110 §5.3).
func TestTAXII_1_6_8_AcceptOverSeveralHeaderLines(t *testing.T) {
	f := newTC(t)
	req := httptest.NewRequest(http.MethodGet, tcColls, nil)
	req.Header.Add("Accept", "application/json")
	req.Header.Add("Accept", taxiiMediaType)
	req.Header.Set("Authorization", "Bearer "+f.token("nl.analyst"))
	rec := httptest.NewRecorder()
	f.s.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("Accept over two header lines, the second TAXII 2.1: %d, want 200: %s", rec.Code, rec.Body.String())
	}
}

// TAXII 2.1 §1.6.9: an endpoint that requires authentication answers a
// request without acceptable credentials with 401 and a WWW-Authenticate
// header with one or more challenges (and §5.1–§5.8: failed authentication
// MUST be 401 or 404). §8.2.2: HTTP Basic SHOULD be implemented.
func TestTAXII_1_6_9_UnauthenticatedIs401WithChallenge(t *testing.T) {
	f := newTC(t)
	x := tcID("indicator")
	st := f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen))
	endpoints := []struct{ method, path, ct, body string }{
		{"GET", "/taxii2/", "", ""},
		{"GET", tcRoot, "", ""},
		{"GET", tcRoot + "status/" + st.ID + "/", "", ""},
		{"GET", tcColls, "", ""},
		{"GET", tcColls + "community-green/", "", ""},
		{"GET", tcColls + "community-green/manifest/", "", ""},
		{"GET", tcColls + "community-green/objects/", "", ""},
		{"POST", tcColls + "community-green/objects/", taxiiMediaType, tcEnv(tcIndicator(tcID("indicator"), tcVer(1), tcGreen))},
		{"GET", tcObject("community-green", x), "", ""},
		{"DELETE", tcObject("community-green", x), "", ""},
		{"GET", tcObject("community-green", x) + "versions/", "", ""},
	}
	basic := func(user, pw string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pw))
	}
	credentials := map[string]map[string]string{
		"none":           nil,
		"bad token":      {"Authorization": "Bearer not-a-token"},
		"wrong password": {"Authorization": basic("be.coordinator", "not the passphrase")},
		"unknown user":   {"Authorization": basic("nobody", "nobody long passphrase")},
		"other scheme":   {"Authorization": "Digest username=\"nl.analyst\""},
	}
	for name, h := range credentials {
		for _, e := range endpoints {
			rec := f.do("", e.method, e.path, e.ct, e.body, h)
			what := fmt.Sprintf("%s %s, credentials: %s", e.method, e.path, name)
			tcWantError(t, rec, what, http.StatusUnauthorized)
			if rec.Code == http.StatusUnauthorized && !strings.Contains(strings.Join(rec.Header().Values("WWW-Authenticate"), ","), "Basic") {
				t.Errorf("%s: 401 without a Basic challenge in WWW-Authenticate: %q", what, rec.Header().Values("WWW-Authenticate"))
			}
		}
	}
	// A session cookie is no TAXII credential: the signed-in browser client
	// sending no Authorization is not authenticated.
	rec := f.s.people["nl.analyst"].do("GET", tcColls, "", "", map[string]string{"Accept": taxiiMediaType})
	tcWantError(t, rec, "GET collections with a session cookie only", http.StatusUnauthorized)
	// Nothing was posted or deleted by the refused requests.
	if m := f.manifest("nl.analyst", tcColls+"community-green/manifest/"); !slices.Equal(m.ids(), []string{x}) {
		t.Errorf("refused requests changed the collection: %v", m.ids())
	}
	// HTTP Basic with the user name and password authenticates.
	rec = f.do("", "GET", tcColls+"community-green/objects/", "", "", map[string]string{"Authorization": basic("nl.analyst", "nl.analyst long passphrase")})
	if env := tcDecode[tcEnvelope](t, rec, http.StatusOK); !slices.Equal(env.ids(), []string{x}) {
		t.Errorf("GET objects with HTTP Basic: %v, want [%s]", env.ids(), x)
	}
}

// TAXII 2.1 §3.1: the endpoint path of a request MUST end in "/"; the server
// serves TAXII resources only at those paths.
func TestTAXII_3_1_PathsEndWithSlash(t *testing.T) {
	f := newTC(t)
	x := tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen))
	for _, p := range []string{"/taxii2/", tcRoot, tcColls, tcColls + "community-green/", tcColls + "community-green/manifest/",
		tcColls + "community-green/objects/", tcObject("community-green", x), tcObject("community-green", x) + "versions/",
		tcColls + "community-green/objects/?match[type]=indicator"} {
		if rec := f.get("nl.analyst", p); rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200: %s", p, rec.Code, rec.Body.String())
		}
	}
	for _, p := range []string{"/taxii2/blueprint", tcColls + "community-green", tcColls + "community-green/manifest",
		tcColls + "community-green/objects", strings.TrimSuffix(tcObject("community-green", x), "/"),
		tcObject("community-green", x) + "versions", tcColls + "community-green/objects?match[type]=indicator"} {
		tcWantError(t, f.get("nl.analyst", p), "GET "+p+" (no trailing slash)", http.StatusNotFound)
	}
}

// ---------------------------------------------------------------------------
// §3.2 headers, §3.3 sorting, §3.4 filtering, §3.5 pagination, §3.6 errors
// ---------------------------------------------------------------------------

// TAXII 2.1 §3.2: every 200 response of GET manifest, objects, object and
// versions MUST carry X-TAXII-Date-Added-First and -Last, TAXII timestamps
// of the first and last object of the response.
func TestTAXII_3_2_DateAddedHeadersOnPages(t *testing.T) {
	f := newTC(t)
	x, y := tcID("indicator"), tcID("malware")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen))
	f.add("nl.analyst", "community-green", tcMalware(y, tcVer(1), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(2), tcGreen))
	all := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[version]=all")
	if len(all.Objects) != 3 {
		t.Fatalf("manifest: %+v, want 3 records", all.Objects)
	}
	dx1, dy, dx2 := all.Objects[0].DateAdded, all.Objects[1].DateAdded, all.Objects[2].DateAdded
	cases := []struct {
		path        string
		first, last string
	}{
		{tcColls + "community-green/manifest/?match[version]=all", dx1, dx2},
		{tcColls + "community-green/manifest/", dy, dx2},
		{tcColls + "community-green/manifest/?match[type]=malware", dy, dy},
		{tcColls + "community-green/objects/?match[version]=all", dx1, dx2},
		{tcColls + "community-green/objects/?match[version]=all&limit=2", dx1, dy},
		{tcColls + "community-green/objects/?match[version]=first", dx1, dy},
		{tcObject("community-green", x), dx2, dx2},
		{tcObject("community-green", x) + "?match[version]=all", dx1, dx2},
		{tcObject("community-green", x) + "versions/", dx1, dx2},
		{tcObject("community-green", y) + "versions/", dy, dy},
	}
	for _, c := range cases {
		rec := f.get("nl.analyst", c.path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d: %s", c.path, rec.Code, rec.Body.String())
			continue
		}
		first, last := tcWantDateHeaders(t, rec, c.path)
		if first != c.first || last != c.last {
			t.Errorf("GET %s: X-TAXII-Date-Added-First %s, -Last %s; want %s, %s (the records' date_added)", c.path, first, last, c.first, c.last)
		}
	}
}

// TAXII 2.1 §3.2: the headers are required on ALL 200 responses of those
// endpoints, including a 200 that holds no object (an empty envelope or
// manifest).
func TestTAXII_3_2_DateAddedHeadersOnEmptyPages(t *testing.T) {
	f := newTC(t)
	x := tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen))
	last := f.get("nl.analyst", tcColls+"community-green/manifest/").Header().Get("X-TAXII-Date-Added-Last")
	for _, p := range []string{
		tcColls + "public-clear/manifest/",
		tcColls + "public-clear/objects/",
		tcColls + "community-green/objects/?match[type]=malware",
		tcColls + "community-green/objects/?added_after=" + url.QueryEscape(last),
		tcColls + "community-green/manifest/?added_after=" + url.QueryEscape(last),
	} {
		rec := f.get("nl.analyst", p)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", p, rec.Code)
			continue
		}
		tcWantDateHeaders(t, rec, p)
	}
}

// TAXII 2.1 §3.4: if any URL query parameter is malformed, the server MUST
// answer 400 (Bad Request).
func TestTAXII_3_4_MalformedParameterIs400(t *testing.T) {
	f := newTC(t)
	x := tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen))
	malformed := []string{
		"limit=0", "limit=-1", "limit=ten", "limit=1.5", "limit=",
		"limit=1&limit=2",
		"added_after=yesterday", "added_after=2026-01-01", "added_after=2026-01-01T00:00:00+01:00", "added_after=",
		"added_after=2026-01-01T00:00:00.000000Z&added_after=2026-01-02T00:00:00.000000Z",
		"next=", "next=not-a-value-this-server-gave",
		"match[id]=not-an-id", "match[id]=indicator--x", "match[id]=" + x + "," + x, "match[id]=" + x + ",",
		"match[type]=Indicator", "match[type]=indicator,,malware", "match[type]=indicator&match[type]=malware",
		"match[version]=yesterday", "match[version]=", "match[version]=latest",
		"match[spec_version]=two", "match[spec_version]=2.1,2.1",
	}
	endpoints := []string{
		tcColls + "community-green/manifest/",
		tcColls + "community-green/objects/",
		tcObject("community-green", x),
		tcObject("community-green", x) + "versions/",
	}
	for _, e := range endpoints {
		for _, q := range malformed {
			if strings.HasSuffix(e, "versions/") && strings.HasPrefix(q, "match[") && !strings.HasPrefix(q, "match[spec_version]") {
				continue // not a parameter of the versions endpoint: it may be ignored (§3.4)
			}
			if !strings.HasSuffix(e, "manifest/") && !strings.HasSuffix(e, "/objects/") && (strings.HasPrefix(q, "match[id]") || strings.HasPrefix(q, "match[type]")) {
				continue // not a parameter of the object endpoints
			}
			tcWantError(t, f.get("nl.analyst", e+"?"+q), "GET "+e+"?"+q, http.StatusBadRequest)
		}
	}
	for _, q := range []string{"match[version]=yesterday", "match[version]=all,last", "match[spec_version]=two"} {
		tcWantError(t, f.del("nl.analyst", tcObject("community-green", x)+"?"+q), "DELETE ?"+q, http.StatusBadRequest)
	}
	if m := f.manifest("nl.analyst", tcColls+"community-green/manifest/"); !slices.Equal(m.ids(), []string{x}) {
		t.Errorf("a malformed DELETE deleted: %v", m.ids())
	}
}

// TAXII 2.1 §3.4: added_after returns only objects added after (strictly
// later than) the timestamp; without it the server MUST start from the
// oldest objects.
func TestTAXII_3_4_1_AddedAfterStrictlyLater(t *testing.T) {
	f := newTC(t)
	a, b, c := tcID("indicator"), tcID("indicator"), tcID("indicator")
	for _, id := range []string{a, b, c} {
		f.add("nl.analyst", "community-green", tcIndicator(id, tcVer(1), tcGreen))
	}
	f.add("nl.analyst", "community-green", tcIndicator(a, tcVer(2), tcGreen))
	m := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[version]=all")
	if !slices.Equal(m.versions(), []string{a + "@" + tcVer(1), b + "@" + tcVer(1), c + "@" + tcVer(1), a + "@" + tcVer(2)}) {
		t.Fatalf("manifest: %v", m.versions())
	}
	da, db, dc, da2 := m.Objects[0].DateAdded, m.Objects[1].DateAdded, m.Objects[2].DateAdded, m.Objects[3].DateAdded
	before := func(ts string) string {
		tm, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			t.Fatal(err)
		}
		return tm.Add(-time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
	}
	cases := []struct {
		after string
		want  []string
	}{
		{"2000-01-01T00:00:00.000Z", []string{a + "@" + tcVer(1), b + "@" + tcVer(1), c + "@" + tcVer(1), a + "@" + tcVer(2)}},
		{before(da), []string{a + "@" + tcVer(1), b + "@" + tcVer(1), c + "@" + tcVer(1), a + "@" + tcVer(2)}},
		{da, []string{b + "@" + tcVer(1), c + "@" + tcVer(1), a + "@" + tcVer(2)}},
		{db, []string{c + "@" + tcVer(1), a + "@" + tcVer(2)}},
		{dc, []string{a + "@" + tcVer(2)}},
		{da2, nil},
	}
	for _, cs := range cases {
		q := "?match[version]=all&added_after=" + url.QueryEscape(cs.after)
		if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/"+q).versions(); !slices.Equal(got, cs.want) && !(len(got) == 0 && len(cs.want) == 0) {
			t.Errorf("manifest%s: %v, want %v", q, got, cs.want)
		}
		if got := f.envelope("nl.analyst", tcColls+"community-green/objects/"+q).versions(); !slices.Equal(got, cs.want) && !(len(got) == 0 && len(cs.want) == 0) {
			t.Errorf("objects%s: %v, want %v", q, got, cs.want)
		}
	}
	// The object and versions endpoints filter the same way.
	if got := f.envelope("nl.analyst", tcObject("community-green", a)+"?match[version]=all&added_after="+url.QueryEscape(da)).versions(); !slices.Equal(got, []string{a + "@" + tcVer(2)}) {
		t.Errorf("object added after its first version: %v", got)
	}
	if got := tcDecode[tcVersions](t, f.get("nl.analyst", tcObject("community-green", a)+"versions/?added_after="+url.QueryEscape(da)), 200); !slices.Equal(got.Versions, []string{tcVer(2)}) {
		t.Errorf("versions added after the first: %v", got.Versions)
	}
	// Without added_after the oldest come first.
	if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[version]=all&limit=1").versions(); !slices.Equal(got, []string{a + "@" + tcVer(1)}) {
		t.Errorf("first page without added_after: %v, want the oldest", got)
	}
}

// TAXII 2.1 §3.4: a response to a request with limit MUST NOT contain more
// objects than requested; if the objects available are no more than both
// limits, all MUST be returned; if more are available, more MUST be true.
func TestTAXII_3_4_1_LimitNeverExceeded(t *testing.T) {
	f := newTC(t)
	var objs []string
	for range 5 {
		objs = append(objs, tcIndicator(tcID("indicator"), tcVer(1), tcGreen))
	}
	x := tcID("indicator")
	objs = append(objs, tcIndicator(x, tcVer(1), tcGreen), tcIndicator(x, tcVer(2), tcGreen), tcIndicator(x, tcVer(3), tcGreen))
	f.add("nl.analyst", "community-green", objs...)
	const total = 8 // versions in the collection
	for limit := 1; limit <= total+2; limit++ {
		q := fmt.Sprintf("?match[version]=all&limit=%d", limit)
		m := f.manifest("nl.analyst", tcColls+"community-green/manifest/"+q)
		e := f.envelope("nl.analyst", tcColls+"community-green/objects/"+q)
		for name, got := range map[string]struct {
			n    int
			more bool
		}{"manifest": {len(m.Objects), m.More}, "objects": {len(e.Objects), e.More}} {
			switch {
			case got.n > limit:
				t.Errorf("%s%s: %d objects, more than the limit", name, q, got.n)
			case limit >= total && (got.n != total || got.more):
				t.Errorf("%s%s: %d objects, more=%v; want all %d, more absent", name, q, got.n, got.more, total)
			case limit < total && !got.more:
				t.Errorf("%s%s: %d objects and more=false, while %d are available", name, q, got.n, total)
			}
		}
	}
	for limit, want := range map[int]bool{1: true, 2: true, 3: false, 4: false} {
		v := tcDecode[tcVersions](t, f.get("nl.analyst", tcObject("community-green", x)+fmt.Sprintf("versions/?limit=%d", limit)), 200)
		if len(v.Versions) != min(limit, 3) || v.More != want {
			t.Errorf("versions?limit=%d: %v more=%v", limit, v.Versions, v.More)
		}
		e := f.envelope("nl.analyst", tcObject("community-green", x)+fmt.Sprintf("?match[version]=all&limit=%d", limit))
		if len(e.Objects) != min(limit, 3) || e.More != want {
			t.Errorf("object?match[version]=all&limit=%d: %d objects more=%v", limit, len(e.Objects), e.More)
		}
	}
}

// TAXII 2.1 §3.4.1: the keyword all MUST NOT be combined with any other
// version value, and no keyword or value may occur twice; these are
// malformed (400).
func TestTAXII_3_4_1_MatchVersionAllNotCombined(t *testing.T) {
	f := newTC(t)
	x := tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen), tcIndicator(x, tcVer(2), tcGreen))
	for _, v := range []string{"all,last", "last,all", "all,first", "all," + tcVer(1), "all,all", "last,last", "first,first", tcVer(1) + "," + tcVer(1)} {
		for _, p := range []string{tcColls + "community-green/objects/", tcColls + "community-green/manifest/", tcObject("community-green", x)} {
			tcWantError(t, f.get("nl.analyst", p+"?match[version]="+v), p+"?match[version]="+v, http.StatusBadRequest)
		}
	}
	for _, v := range []string{"first,last", tcVer(1) + "," + tcVer(2), "first," + tcVer(2) + ",last"} {
		if rec := f.get("nl.analyst", tcColls+"community-green/objects/?match[version]="+v); rec.Code != http.StatusOK {
			t.Errorf("match[version]=%s = %d, want 200: %s", v, rec.Code, rec.Body.String())
		}
	}
}

// TAXII 2.1 §3.4.1: match[type] returns only the listed types (OR); a STIX
// 2.1 type MUST NOT be an error; manifest filters apply to the source object.
func TestTAXII_3_4_1_MatchTypeFilters(t *testing.T) {
	f := newTC(t)
	i, m := tcID("indicator"), tcID("malware")
	f.add("nl.analyst", "community-green", tcIndicator(i, tcVer(1), tcGreen), tcMalware(m, tcVer(1), tcGreen))
	cases := map[string][]string{
		"indicator":             {i},
		"malware":               {m},
		"indicator,malware":     {i, m},
		"malware,indicator":     {i, m},
		"incident":              nil,
		"indicator,incident":    {i},
		"x509-certificate":      nil,
		"ipv4-addr,sighting":    nil,
		"marking-definition":    nil,
		"relationship,grouping": nil,
	}
	// Every type STIX 2.1 defines is a valid value, not an error.
	for _, typ := range []string{"attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident",
		"infrastructure", "intrusion-set", "location", "malware-analysis", "note", "observed-data", "opinion", "report",
		"threat-actor", "tool", "vulnerability", "relationship", "sighting", "artifact", "autonomous-system", "directory",
		"domain-name", "email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
		"network-traffic", "process", "software", "url", "user-account", "windows-registry-key", "x509-certificate",
		"language-content", "extension-definition", "bundle"} {
		cases[typ] = nil
	}
	for types, want := range cases {
		q := "?match[type]=" + types
		if got := f.envelope("nl.analyst", tcColls+"community-green/objects/"+q).ids(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("objects%s: %v, want %v", q, got, want)
		}
		if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/"+q).ids(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("manifest%s: %v, want %v", q, got, want)
		}
	}
}

// TAXII 2.1 §3.4/§3.4.1: match[id] returns only the listed ids (OR), and
// different match fields are ANDed.
func TestTAXII_3_4_1_MatchIdFilters(t *testing.T) {
	f := newTC(t)
	i1, i2, m := tcID("indicator"), tcID("indicator"), tcID("malware")
	f.add("nl.analyst", "community-green", tcIndicator(i1, tcVer(1), tcGreen), tcIndicator(i2, tcVer(1), tcGreen), tcMalware(m, tcVer(1), tcGreen))
	cases := map[string][]string{
		"match[id]=" + i1:                                    {i1},
		"match[id]=" + m + "," + i1:                          {i1, m},
		"match[id]=" + i1 + "," + i2 + "," + m:               {i1, i2, m},
		"match[id]=" + i1 + "&match[type]=malware":           nil,
		"match[id]=" + i1 + "," + m + "&match[type]=malware": {m},
		"match[id]=" + tcID("indicator"):                     nil,
	}
	for q, want := range cases {
		if got := f.envelope("nl.analyst", tcColls+"community-green/objects/?"+q).ids(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("objects?%s: %v, want %v", q, got, want)
		}
		if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/?"+q).ids(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("manifest?%s: %v, want %v", q, got, want)
		}
	}
}

// TAXII 2.1 §3.4.1: match[version] — last (the default: only the latest
// version of each object), first, all, or exact values (STIX modified).
func TestTAXII_3_4_1_MatchVersionFirstLastAllExact(t *testing.T) {
	f := newTC(t)
	x, y := tcID("indicator"), tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(y, tcVer(10), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(3), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(2), tcGreen)) // an older version, added last
	X := func(n int) string { return x + "@" + tcVer(n) }
	Y := y + "@" + tcVer(10)
	cases := map[string][]string{
		"":                            {Y, X(3)},
		"?match[version]=last":        {Y, X(3)},
		"?match[version]=first":       {X(1), Y},
		"?match[version]=all":         {X(1), Y, X(3), X(2)},
		"?match[version]=first,last":  {X(1), Y, X(3)},
		"?match[version]=" + tcVer(2): {X(2)},
		"?match[version]=" + tcVer(1) + "," + tcVer(3): {X(1), X(3)},
		"?match[version]=" + tcVer(10) + ",first":      {X(1), Y},
		"?match[version]=" + tcVer(4):                  nil,
		"?match[version]=2026-01-01T00:02:00Z":         {X(2)}, // the same instant, written differently
	}
	for q, want := range cases {
		if got := f.envelope("nl.analyst", tcColls+"community-green/objects/"+q).versions(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("objects%s: %v, want %v", q, got, want)
		}
		if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/"+q).versions(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("manifest%s: %v, want %v", q, got, want)
		}
	}
}

// TAXII 2.1 §3.4.1: a response with match[spec_version] MUST NOT include
// other spec versions; without it the server MUST return only the latest
// spec version it has for each object.
func TestTAXII_3_4_1_SpecVersionDefaultLatest(t *testing.T) {
	f := newTC(t)
	i := tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(i, tcVer(1), tcGreen))
	// A STIX 2.0 object (no spec_version) is not stored here: the server
	// holds STIX 2.1 only, so 2.1 is every object's latest spec version.
	old := strings.Replace(tcIndicator(tcID("indicator"), tcVer(1), tcGreen), `"spec_version":"2.1",`, "", 1)
	st := tcDecode[tcStatus](t, f.post("nl.analyst", "community-green", tcEnv(old)), http.StatusAccepted)
	if st.FailureCount != 1 {
		t.Errorf("a STIX 2.0 object: %+v, want a failure", st)
	}
	for q, want := range map[string][]string{"": {i}, "?match[spec_version]=2.1": {i}, "?match[spec_version]=2.0,2.1": {i}, "?match[spec_version]=2.0": nil} {
		env := f.envelope("nl.analyst", tcColls+"community-green/objects/"+q)
		if got := env.ids(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("objects%s: %v, want %v", q, got, want)
		}
		for _, o := range env.Objects {
			if o["spec_version"] != "2.1" {
				t.Errorf("objects%s: an object of spec_version %v", q, o["spec_version"])
			}
		}
		if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/"+q).ids(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("manifest%s: %v, want %v", q, got, want)
		}
	}
	if got := f.envelope("nl.analyst", tcObject("community-green", i)+"?match[spec_version]=2.1").ids(); !slices.Equal(got, []string{i}) {
		t.Errorf("object?match[spec_version]=2.1: %v", got)
	}
}

// TAXII 2.1 §3.5 (and §3.4 limit): when more objects are available the
// response MUST set more to true; a client pages with next (and the original
// parameters) or with added_after=X-TAXII-Date-Added-Last, and gets every
// object exactly once, in date_added order. App. B: next is not trusted.
func TestTAXII_3_5_MoreAndNextPaginate(t *testing.T) {
	f := newTC(t)
	const n = 250
	var want, objs []string
	for range n {
		id := tcID("indicator")
		want = append(want, id)
		objs = append(objs, tcIndicator(id, tcVer(1), tcGreen))
	}
	// A malware in the middle, which the type filter leaves out.
	f.add("nl.analyst", "community-green", objs[:120]...)
	f.add("nl.analyst", "community-green", tcMalware(tcID("malware"), tcVer(1), tcGreen))
	f.add("nl.analyst", "community-green", objs[120:]...)

	full := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[type]=indicator&limit=1000")
	if !slices.Equal(full.ids(), want) || full.More {
		t.Fatalf("manifest with limit 1000: %d records, more=%v; want the %d indicators in the order posted", len(full.Objects), full.More, n)
	}
	dateOf := map[string]string{}
	for i, r := range full.Objects {
		if i > 0 && r.DateAdded <= full.Objects[i-1].DateAdded {
			t.Errorf("date_added not strictly increasing: %s then %s", full.Objects[i-1].DateAdded, r.DateAdded)
		}
		dateOf[r.ID] = r.DateAdded
	}
	// Without a client limit: all of them, or fewer (the server's limit)
	// and more set to true.
	if e := f.envelope("nl.analyst", tcColls+"community-green/objects/"); !(len(e.Objects) == n+1 && !e.More) && !(len(e.Objects) < n+1 && e.More) {
		t.Errorf("objects without limit: %d objects of %d, more=%v", len(e.Objects), n+1, e.More)
	}

	const params = "?match[type]=indicator&limit=100"
	page := func(what, path string) (tcEnvelope, string) {
		t.Helper()
		rec := f.get("nl.analyst", path)
		env := tcDecode[tcEnvelope](t, rec, http.StatusOK)
		first, last := tcWantDateHeaders(t, rec, what)
		if len(env.Objects) > 100 {
			t.Fatalf("%s: %d objects, more than the limit", what, len(env.Objects))
		}
		if len(env.Objects) > 0 {
			ids := env.ids()
			if first != dateOf[ids[0]] || last != dateOf[ids[len(ids)-1]] {
				t.Errorf("%s: headers %s..%s, want the page's date_added %s..%s", what, first, last, dateOf[ids[0]], dateOf[ids[len(ids)-1]])
			}
		}
		return env, last
	}

	t.Run("next", func(t *testing.T) {
		var got []string
		var sizes []int
		path := tcColls + "community-green/objects/" + params
		for i := 0; ; i++ {
			if i > 5 {
				t.Fatal("more than 5 pages")
			}
			env, _ := page("next page", path)
			got = append(got, env.ids()...)
			sizes = append(sizes, len(env.Objects))
			if !env.More {
				if env.Next != "" {
					t.Errorf("next %q on the last page", env.Next)
				}
				break
			}
			if env.Next == "" {
				t.Fatal("more without next: the object endpoint of this server gives next")
			}
			path = tcColls + "community-green/objects/" + params + "&next=" + url.QueryEscape(env.Next)
		}
		if !slices.Equal(got, want) {
			t.Errorf("paging with next: %d objects, want each of the %d exactly once in date_added order", len(got), n)
		}
		if !slices.Equal(sizes, []int{100, 100, 50}) {
			t.Errorf("page sizes %v, want [100 100 50]", sizes)
		}
	})

	t.Run("added_after", func(t *testing.T) {
		for _, endpoint := range []string{"objects", "manifest"} {
			var got []string
			path := tcColls + "community-green/" + endpoint + "/" + params
			for i := 0; ; i++ {
				if i > 5 {
					t.Fatal("more than 5 pages")
				}
				var ids []string
				var more bool
				var last string
				if endpoint == "objects" {
					var env tcEnvelope
					env, last = page("added_after page", path)
					ids, more = env.ids(), env.More
				} else {
					rec := f.get("nl.analyst", path)
					m := tcDecode[tcManifest](t, rec, http.StatusOK)
					_, last = tcWantDateHeaders(t, rec, "manifest page")
					if len(m.Objects) > 100 {
						t.Fatalf("manifest page of %d", len(m.Objects))
					}
					ids, more = m.ids(), m.More
				}
				got = append(got, ids...)
				if !more {
					break
				}
				path = tcColls + "community-green/" + endpoint + "/" + params + "&added_after=" + url.QueryEscape(last)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s paged with added_after: %d objects, want each of the %d exactly once in date_added order", endpoint, len(got), n)
			}
		}
	})

	t.Run("next is not trusted", func(t *testing.T) {
		env := f.envelope("nl.analyst", tcColls+"community-green/objects/"+params)
		if env.Next == "" {
			t.Fatal("no next")
		}
		tampered := []byte(env.Next)
		tampered[len(tampered)/2] ^= 1
		tcWantError(t, f.get("nl.analyst", tcColls+"community-green/objects/"+params+"&next="+url.QueryEscape(string(tampered))), "a tampered next", http.StatusBadRequest)
		// A next of one collection opens nothing in another.
		f.add("nl.analyst", "nl-ncsc-amber", tcIndicator(tcID("indicator"), tcVer(1), tcAmber))
		rec := f.get("nl.analyst", tcColls+"nl-ncsc-amber/objects/"+params+"&next="+url.QueryEscape(env.Next))
		tcWantError(t, rec, "next of community-green used in nl-ncsc-amber", http.StatusBadRequest)
	})
}

// TAXII 2.1 §3.6.1: the error resource has a title, and its http_status is
// a string that MUST match the HTTP status.
func TestTAXII_3_6_1_ErrorHttpStatusIsString(t *testing.T) {
	f := newTC(t)
	f.addViewer("nl.viewer", "nl-ncsc")
	cases := []struct {
		name, user, method, path, ct, body, accept string
		want                                       int
	}{
		{"400", "nl.analyst", "GET", tcColls + "community-green/objects/?limit=x", "", "", taxiiMediaType, 400},
		{"401", "", "GET", tcColls, "", "", taxiiMediaType, 401},
		{"403", "nl.viewer", "POST", tcColls + "nl-ncsc-amber/objects/", taxiiMediaType, tcEnv(), taxiiMediaType, 403},
		{"404", "nl.analyst", "GET", tcColls + "be-ccb-amber/", "", "", taxiiMediaType, 404},
		{"406", "nl.analyst", "GET", tcColls, "", "", "application/json", 406},
		{"415", "nl.analyst", "POST", tcColls + "nl-ncsc-amber/objects/", "application/json", tcEnv(), taxiiMediaType, 415},
		{"422", "nl.analyst", "POST", tcColls + "nl-ncsc-amber/objects/", taxiiMediaType, `{"objects":`, taxiiMediaType, 422},
	}
	for _, c := range cases {
		rec := f.do(c.user, c.method, c.path, c.ct, c.body, map[string]string{"Accept": c.accept})
		tcWantError(t, rec, c.name, c.want)
		var e map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		if _, ok := e["http_status"].(string); !ok {
			t.Errorf("%s: http_status %#v is not a JSON string", c.name, e["http_status"])
		}
	}
}

// ---------------------------------------------------------------------------
// §4 server information
// ---------------------------------------------------------------------------

// TAXII 2.1 §4.1.1 (and §8.2.1): discovery at /taxii2/ has the required
// title; default MUST be an item of api_roots; API root URLs are HTTPS
// absolute or relative beginning with a single "/", without a query.
func TestTAXII_4_1_DiscoveryResource(t *testing.T) {
	f := newTC(t)
	d := tcDecode[map[string]any](t, f.get("nl.analyst", "/taxii2/"), http.StatusOK)
	if title, ok := d["title"].(string); !ok || title == "" {
		t.Errorf("discovery without a title: %v", d)
	}
	raw, _ := d["api_roots"].([]any)
	var roots []string
	for _, r := range raw {
		s, ok := r.(string)
		if !ok {
			t.Errorf("api_roots item %#v is not a string", r)
		}
		roots = append(roots, s)
	}
	if present := d["api_roots"] != nil; present && len(roots) == 0 {
		t.Errorf("api_roots present but empty (lists MUST have at least one value, §2)")
	}
	if len(roots) == 0 {
		t.Fatalf("no API root advertised (§8.2.1: at least one): %v", d)
	}
	if def, present := d["default"]; present && !slices.Contains(roots, fmt.Sprint(def)) {
		t.Errorf("default %v is not one of api_roots %v", def, roots)
	}
	for _, r := range roots {
		u, err := url.Parse(r)
		switch {
		case err != nil:
			t.Errorf("API root %q: %v", r, err)
		case u.RawQuery != "" || strings.Contains(r, "?"):
			t.Errorf("API root %q has a query component", r)
		case u.IsAbs() && u.Scheme != "https":
			t.Errorf("API root %q: absolute URLs MUST be HTTPS", r)
		case !u.IsAbs() && (!strings.HasPrefix(r, "/") || strings.HasPrefix(r, "//") || strings.HasPrefix(r, "../")):
			t.Errorf("API root %q: a relative URL MUST begin with a single /", r)
		}
		if !u.IsAbs() {
			if rec := f.get("nl.analyst", r); rec.Code != http.StatusOK {
				t.Errorf("GET the advertised API root %s = %d", r, rec.Code)
			}
		}
	}
}

// TAXII 2.1 §4.2/§4.2.1: the API root has a title, versions including
// "application/taxii+json;version=2.1", and max_content_length, a positive
// integer; each API root has a unique URL.
func TestTAXII_4_2_APIRootResource(t *testing.T) {
	f := newTC(t)
	d := tcDecode[map[string]any](t, f.get("nl.analyst", "/taxii2/"), http.StatusOK)
	seen := map[string]bool{}
	for _, r := range d["api_roots"].([]any) {
		if seen[r.(string)] {
			t.Errorf("API root %v advertised twice", r)
		}
		seen[r.(string)] = true
	}
	rec := f.get("nl.analyst", tcRoot)
	root := tcDecode[map[string]any](t, rec, http.StatusOK)
	if title, ok := root["title"].(string); !ok || title == "" {
		t.Errorf("API root without a title: %v", root)
	}
	vs, _ := root["versions"].([]any)
	if !slices.Contains(vs, any(taxiiMediaType)) {
		t.Errorf("versions %v does not include %q", root["versions"], taxiiMediaType)
	}
	for _, v := range vs {
		mt, params, err := mime.ParseMediaType(fmt.Sprint(v))
		if err != nil || mt != "application/taxii+json" || params["version"] == "" {
			t.Errorf("versions item %v: a TAXII media type with its version parameter", v)
		}
	}
	// max_content_length: an integer (no fraction), > 0, within I-JSON's range.
	var typed struct {
		Max json.Number `json:"max_content_length"`
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&typed); err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(typed.Max.String(), 10, 64)
	if err != nil || n <= 0 || n > 1<<53-1 {
		t.Errorf("max_content_length %q: want an integer greater than 0", typed.Max)
	}
}

// TAXII 2.1 §4.3/§4.3.1/§5.5: adding objects answers 202 with a status
// resource (required id, status complete|pending, total_count,
// success_count, failure_count, pending_count); it is retrievable at
// {api-root}/status/{id}/; an unknown id MUST be 404.
func TestTAXII_4_3_StatusResource(t *testing.T) {
	f := newTC(t)
	good, unmarked := tcID("indicator"), tcID("indicator")
	rec := f.post("nl.analyst", "nl-ncsc-amber", tcEnv(tcIndicator(good, tcVer(1), tcAmber), tcIndicator(unmarked, tcVer(1))))
	raw := tcDecode[map[string]any](t, rec, http.StatusAccepted)
	for _, p := range []string{"id", "status", "total_count", "success_count", "failure_count", "pending_count"} {
		if _, ok := raw[p]; !ok {
			t.Errorf("status resource without its required %s: %s", p, rec.Body.String())
		}
	}
	for _, p := range []string{"total_count", "success_count", "failure_count", "pending_count"} {
		if v, ok := raw[p].(float64); !ok || v < 0 || v != float64(int64(v)) {
			t.Errorf("%s %v: want an integer >= 0", p, raw[p])
		}
	}
	for _, p := range []string{"successes", "failures", "pendings"} {
		if l, present := raw[p]; present {
			if list, ok := l.([]any); !ok || len(list) == 0 {
				t.Errorf("%s %v: a list present MUST have at least one value (§2)", p, l)
			}
		}
	}
	st := tcDecode[tcStatus](t, rec, http.StatusAccepted)
	if !tcUUID.MatchString(st.ID) {
		t.Errorf("status id %q is not a UUID", st.ID)
	}
	if st.Status != "complete" && st.Status != "pending" {
		t.Errorf("status %q, want complete or pending", st.Status)
	}
	if st.RequestTimestamp != "" && !tcTimestamp.MatchString(st.RequestTimestamp) {
		t.Errorf("request_timestamp %q is not a TAXII timestamp", st.RequestTimestamp)
	}
	if st.TotalCount != 2 || st.SuccessCount+st.FailureCount+st.PendingCount != st.TotalCount {
		t.Errorf("counts: total %d, success %d, failure %d, pending %d", st.TotalCount, st.SuccessCount, st.FailureCount, st.PendingCount)
	}
	if st.Status == "complete" && st.PendingCount != 0 {
		t.Errorf("complete with %d pending", st.PendingCount)
	}
	if len(st.Successes) != 1 || st.Successes[0].ID != good || st.Successes[0].Version != tcVer(1) {
		t.Errorf("successes %+v, want %s version %s", st.Successes, good, tcVer(1))
	}
	// (That the failure's version is the object's modified is
	// TestTAXII_4_3_1_FailureVersionIsModified.)
	if len(st.Failures) != 1 || st.Failures[0].ID != unmarked || st.Failures[0].Version == "" {
		t.Errorf("failures %+v, want %s with a version", st.Failures, unmarked)
	}

	// The poster retrieves it.
	again := tcDecode[tcStatus](t, f.get("nl.analyst", tcRoot+"status/"+st.ID+"/"), http.StatusOK)
	if again.ID != st.ID || again.Status != st.Status || again.TotalCount != st.TotalCount || again.SuccessCount != st.SuccessCount || again.FailureCount != st.FailureCount {
		t.Errorf("GET status %+v, want what the POST answered %+v", again, st)
	}
	// Another user, of the same or of another organisation: 404.
	for _, other := range []string{"nl.coordinator", "be.coordinator"} {
		tcWantError(t, f.get(other, tcRoot+"status/"+st.ID+"/"), "status as "+other, http.StatusNotFound)
	}
	// Unknown ids: 404.
	for _, id := range []string{uuid.NewString(), "not-a-uuid"} {
		tcWantError(t, f.get("nl.analyst", tcRoot+"status/"+id+"/"), "unknown status "+id, http.StatusNotFound)
	}
}

// TAXII 2.1 §4.3.1/§2: the status resource's id is an identifier, "an RFC
// 4122-compliant Version 4 UUID" that "MUST be generated according to ...
// section 4.4 (Version 4 UUID)".
func TestTAXII_4_3_1_StatusIdIsUUIDv4(t *testing.T) {
	f := newTC(t)
	st := f.add("nl.analyst", "community-green", tcIndicator(tcID("indicator"), tcVer(1), tcGreen))
	if !tcUUIDv4.MatchString(st.ID) {
		t.Errorf("status id %q is not a version 4 UUID", st.ID)
	}
}

// TAXII 2.1 §4.3.1 status-details: "For STIX objects the version MUST be the
// STIX modified timestamp" (created if unversioned) — for the objects that
// failed as for those that succeeded.
func TestTAXII_4_3_1_FailureVersionIsModified(t *testing.T) {
	f := newTC(t)
	unmarked, red, unversioned := tcID("indicator"), tcID("indicator"), tcID("marking-definition")
	rec := f.post("nl.analyst", "community-green", tcEnv(
		tcIndicator(unmarked, tcVer(1)),    // refused by stix.ReadObjects: no TLP marking
		tcIndicator(red, tcVer(2), tcRed),  // refused by the collection's label
		tcStatement(unversioned, tcVer(3)), // unversioned and unmarked: its created
	))
	st := tcDecode[tcStatus](t, rec, http.StatusAccepted)
	got := map[string]string{}
	for _, d := range st.Failures {
		got[d.ID] = d.Version
	}
	for id, want := range map[string]string{unmarked: tcVer(1), red: tcVer(2), unversioned: tcVer(3)} {
		if got[id] != want {
			t.Errorf("failure %s: version %q, want %q", id, got[id], want)
		}
	}
}

// ---------------------------------------------------------------------------
// §5 collections
// ---------------------------------------------------------------------------

func (f *tcFixture) collections(user string) []tcCollection {
	f.t.Helper()
	v := tcDecode[struct {
		Collections []tcCollection `json:"collections"`
	}](f.t, f.get(user, tcColls), http.StatusOK)
	return v.Collections
}

func tcAliases(cs []tcCollection) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Alias
	}
	return out
}

// TAXII 2.1 §5.1/§3.3: the collections endpoint lists collections in a
// consistent order across requests; here it lists only those the client may
// read (a client is told what it may read; §1.6.9 allows omitting the rest).
func TestTAXII_5_1_CollectionsOnlyReadable(t *testing.T) {
	f := newTC(t)
	f.addViewer("nl.viewer", "nl-ncsc")
	for _, user := range []string{"nl.analyst", "nl.viewer", "be.coordinator", "fi.chair", "dk.chair", "enisa"} {
		first := f.collections(user)
		if len(first) == 0 {
			t.Errorf("%s: no collections", user)
		}
		for range 2 {
			if again := f.collections(user); !slices.Equal(tcAliases(again), tcAliases(first)) {
				t.Errorf("%s: collections in another order: %v, then %v", user, tcAliases(first), tcAliases(again))
			}
		}
		for _, c := range first {
			if !c.CanRead {
				t.Errorf("%s: %s listed with can_read false", user, c.Alias)
			}
			if rec := f.get(user, tcColls+c.ID+"/objects/"); rec.Code != http.StatusOK {
				t.Errorf("%s: GET objects of listed %s = %d", user, c.Alias, rec.Code)
			}
		}
	}
	nl := tcAliases(f.collections("nl.analyst"))
	for _, want := range []string{"public-clear", "community-green", "nl-ncsc-amber", "nl-ncsc-amber-strict"} {
		if !slices.Contains(nl, want) {
			t.Errorf("NL's collections %v lack %s", nl, want)
		}
	}
	for _, other := range []string{"be-ccb-amber", "be-ccb-amber-strict", "fi-ncsc-amber"} {
		if slices.Contains(nl, other) {
			t.Errorf("NL's collections list %s, which NL may not read", other)
		}
	}
	if fi := tcAliases(f.collections("fi.chair")); !slices.Contains(fi, "csirts-network-amber") || !slices.Contains(fi, "csirts-network-green") {
		t.Errorf("FI (CSIRTs Network chair) lacks the network's collections: %v", fi)
	}
	if dk := tcAliases(f.collections("dk.chair")); !slices.Contains(dk, "eu-cyclone-members-amber") {
		t.Errorf("DK (EU-CyCLONe chair) lacks eu-cyclone-members-amber: %v", dk)
	}
}

// TAXII 2.1 §5.2/§5.2.1: a collection has the required id (a version 4
// UUID), title, can_read and can_write; media_types, if present, lists the
// types it stores; an alias is unique in the API root and addresses it.
func TestTAXII_5_2_CollectionResource(t *testing.T) {
	f := newTC(t)
	f.addViewer("nl.viewer", "nl-ncsc")
	byAlias, byID := map[string]string{}, map[string]string{}
	for _, user := range []string{"nl.analyst", "nl.viewer", "be.coordinator", "fi.chair", "dk.chair", "commission"} {
		raw := tcDecode[map[string][]map[string]any](t, f.get(user, tcColls), http.StatusOK)
		for _, c := range raw["collections"] {
			for _, p := range []string{"id", "title", "can_read", "can_write"} {
				if _, ok := c[p]; !ok {
					t.Errorf("%s: collection %v without its required %s", user, c["alias"], p)
				}
			}
			for _, p := range []string{"can_read", "can_write"} {
				if _, ok := c[p].(bool); !ok {
					t.Errorf("%s: %v: %s %#v is not a boolean", user, c["alias"], p, c[p])
				}
			}
		}
		for _, c := range f.collections(user) {
			if !tcUUIDv4.MatchString(c.ID) {
				t.Errorf("collection %s: id %q is not a version 4 UUID", c.Alias, c.ID)
			}
			if c.Title == "" {
				t.Errorf("collection %s without a title", c.ID)
			}
			if c.MediaTypes != nil && (len(c.MediaTypes) == 0 || !slices.Contains(c.MediaTypes, tcSTIXMedia)) {
				t.Errorf("collection %s: media_types %v, want it to list %s", c.Alias, c.MediaTypes, tcSTIXMedia)
			}
			if user == "nl.viewer" && c.CanWrite {
				t.Errorf("a viewer may write to %s", c.Alias)
			}
			if c.Alias != "" {
				if id, ok := byAlias[c.Alias]; ok && id != c.ID {
					t.Errorf("alias %s names two collections: %s and %s", c.Alias, id, c.ID)
				}
				if a, ok := byID[c.ID]; ok && a != c.Alias {
					t.Errorf("collection %s has two aliases: %s and %s", c.ID, a, c.Alias)
				}
				byAlias[c.Alias], byID[c.ID] = c.ID, c.Alias
				// The collection by id and by alias: the same resource.
				one := tcDecode[tcCollection](t, f.get(user, tcColls+c.ID+"/"), http.StatusOK)
				two := tcDecode[tcCollection](t, f.get(user, tcColls+c.Alias+"/"), http.StatusOK)
				if one.ID != c.ID || two.ID != c.ID || one.CanRead != c.CanRead || one.CanWrite != c.CanWrite || !slices.Equal(one.MediaTypes, two.MediaTypes) {
					t.Errorf("%s: collection %s by id %+v, by alias %+v, in the list %+v", user, c.Alias, one, two, c)
				}
			}
		}
	}
}

// TAXII 2.1 §5.3/§5.3.1: a manifest record has the required id (the STIX
// id), date_added (a TAXII timestamp) and version (STIX modified; created if
// unversioned); media_type MUST be one of the collection's media_types;
// filters apply to the source object.
func TestTAXII_5_3_ManifestRecords(t *testing.T) {
	f := newTC(t)
	i, m, s := tcID("indicator"), tcID("malware"), tcID("marking-definition")
	f.add("nl.analyst", "community-green", tcIndicator(i, tcVer(1), tcGreen), tcMalware(m, tcVer(5), tcGreen), tcStatement(s, tcVer(7), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(i, tcVer(2), tcGreen))
	coll := tcDecode[tcCollection](t, f.get("nl.analyst", tcColls+"community-green/"), http.StatusOK)
	media := coll.MediaTypes
	if media == nil {
		media = []string{"application/stix+json"}
	}
	rec := f.get("nl.analyst", tcColls+"community-green/manifest/?match[version]=all")
	raw := tcDecode[map[string]any](t, rec, http.StatusOK)
	for _, r := range raw["objects"].([]any) {
		for _, p := range []string{"id", "date_added", "version"} {
			if _, ok := r.(map[string]any)[p]; !ok {
				t.Errorf("manifest record without its required %s: %v", p, r)
			}
		}
	}
	man := tcDecode[tcManifest](t, rec, http.StatusOK)
	want := []string{i + "@" + tcVer(1), m + "@" + tcVer(5), s + "@" + tcVer(7), i + "@" + tcVer(2)}
	if !slices.Equal(man.versions(), want) {
		t.Errorf("manifest %v, want %v (the unversioned marking definition's version is its created)", man.versions(), want)
	}
	for _, r := range man.Objects {
		if !tcTimestamp.MatchString(r.DateAdded) {
			t.Errorf("%s: date_added %q is not a TAXII timestamp", r.ID, r.DateAdded)
		}
		if r.MediaType != "" && !slices.Contains(media, r.MediaType) {
			t.Errorf("%s: media_type %q is not one of the collection's %v", r.ID, r.MediaType, media)
		}
	}
	if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[type]=indicator&match[version]=all").versions(); !slices.Equal(got, []string{i + "@" + tcVer(1), i + "@" + tcVer(2)}) {
		t.Errorf("manifest?match[type]=indicator: %v, want the indicator's records", got)
	}
	if raw["more"] != nil && raw["more"] != false {
		t.Errorf("more %v with every record on the page", raw["more"])
	}
}

// TAXII 2.1 §5.4/§5.6/§3.7 (and §5.3.1): STIX content is always delivered
// in an envelope, even for one object; if no objects are returned, the
// response MUST be an empty envelope ({}, the objects key omitted).
func TestTAXII_5_4_EmptyEnvelopeIsEmptyObject(t *testing.T) {
	f := newTC(t)
	i := tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(i, tcVer(1), tcGreen))
	last := f.get("nl.analyst", tcColls+"community-green/objects/").Header().Get("X-TAXII-Date-Added-Last")
	for _, p := range []string{
		tcColls + "public-clear/objects/",
		tcColls + "public-clear/manifest/",
		tcColls + "community-green/objects/?match[type]=malware",
		tcColls + "community-green/manifest/?match[id]=" + tcID("indicator"),
		tcColls + "community-green/objects/?added_after=" + url.QueryEscape(last),
		tcColls + "community-green/objects/?match[spec_version]=2.0",
	} {
		rec := f.get("nl.analyst", p)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200 with an empty envelope", p, rec.Code)
			continue
		}
		tcWantTAXIIType(t, rec)
		tcWantBody(t, rec, `{}`)
	}
	// One object: an envelope all the same.
	env := tcDecode[map[string]any](t, f.get("nl.analyst", tcObject("community-green", i)), http.StatusOK)
	if objs, ok := env["objects"].([]any); !ok || len(objs) != 1 {
		t.Errorf("one object by id: %v, want an envelope with one object", env)
	}
	// An existing object with a filter that matches none of its versions:
	// an empty envelope, or 404 as for a version that is not there (§5.7).
	rec := f.get("nl.analyst", tcObject("community-green", i)+"?match[version]="+tcVer(9))
	if rec.Code == http.StatusOK {
		tcWantBody(t, rec, `{}`)
	} else {
		tcWantError(t, rec, "object with no matching version", http.StatusNotFound)
	}
}

// TAXII 2.1 §3.3/§5.4: objects and manifest records MUST be sorted in
// ascending order of date added (the most recently added last), whatever
// their ids or STIX versions.
func TestTAXII_5_4_SortedByDateAdded(t *testing.T) {
	f := newTC(t)
	z, a, m := "indicator--ffffffff-0000-4000-8000-000000000000", "indicator--00000000-0000-4000-8000-000000000000", tcID("malware")
	f.add("nl.analyst", "community-green", tcIndicator(z, tcVer(5), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(a, tcVer(9), tcGreen), tcMalware(m, tcVer(1), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(z, tcVer(2), tcGreen)) // older STIX version, added last
	want := []string{z + "@" + tcVer(5), a + "@" + tcVer(9), m + "@" + tcVer(1), z + "@" + tcVer(2)}
	if got := f.envelope("nl.analyst", tcColls+"community-green/objects/?match[version]=all").versions(); !slices.Equal(got, want) {
		t.Errorf("objects %v, want in the order added %v", got, want)
	}
	man := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[version]=all")
	if !slices.Equal(man.versions(), want) {
		t.Errorf("manifest %v, want %v", man.versions(), want)
	}
	for i := 1; i < len(man.Objects); i++ {
		if man.Objects[i].DateAdded <= man.Objects[i-1].DateAdded {
			t.Errorf("date_added %s after %s: not ascending", man.Objects[i].DateAdded, man.Objects[i-1].DateAdded)
		}
	}
	if got := f.envelope("nl.analyst", tcObject("community-green", z)+"?match[version]=all").versions(); !slices.Equal(got, []string{z + "@" + tcVer(5), z + "@" + tcVer(2)}) {
		t.Errorf("object's versions %v, want in the order added", got)
	}
	if got := tcDecode[tcVersions](t, f.get("nl.analyst", tcObject("community-green", z)+"versions/"), 200).Versions; !slices.Equal(got, []string{tcVer(5), tcVer(2)}) {
		t.Errorf("versions %v, want in the order added", got)
	}
}

// TAXII 2.1 §5.3/§5.4/§5.6/§5.8: if the collection's can_read is false for
// the client, GET manifest, objects, object and versions MUST be 403 or 404.
func TestTAXII_5_4_CannotReadIs403Or404(t *testing.T) {
	f := newTC(t)
	x := tcID("indicator")
	f.add("nl.analyst", "nl-ncsc-amber", tcIndicator(x, tcVer(1), tcAmber))
	nl := tcDecode[tcCollection](t, f.get("nl.analyst", tcColls+"nl-ncsc-amber/"), http.StatusOK)
	for _, key := range []string{"nl-ncsc-amber", nl.ID} {
		for _, p := range []string{tcColls + key + "/manifest/", tcColls + key + "/objects/", tcObject(key, x), tcObject(key, x) + "versions/"} {
			rec := f.get("be.coordinator", p)
			tcWantError(t, rec, "BE: GET "+p, http.StatusForbidden, http.StatusNotFound)
			if strings.Contains(rec.Body.String(), x) {
				t.Errorf("BE: GET %s names the object: %s", p, rec.Body.String())
			}
		}
	}
}

// TAXII 2.1 §5.5: a successful add answers 202 with a status resource that
// says what became of each object.
func TestTAXII_5_5_AddObjectsReturns202Status(t *testing.T) {
	f := newTC(t)
	i, m, bad := tcID("indicator"), tcID("malware"), tcID("indicator")
	rec := f.post("nl.analyst", "community-green", tcEnv(tcIndicator(i, tcVer(1), tcGreen), tcMalware(m, tcVer(1), tcGreen), `{"type":"indicator","id":"`+bad+`"}`))
	st := tcDecode[tcStatus](t, rec, http.StatusAccepted)
	if st.Status != "complete" && st.Status != "pending" {
		t.Errorf("status %q", st.Status)
	}
	if st.TotalCount != 3 || st.SuccessCount != 2 || st.FailureCount != 1 || st.SuccessCount+st.FailureCount+st.PendingCount != 3 {
		t.Errorf("counts %+v, want 3 = 2 successes + 1 failure", st)
	}
	var ok []string
	for _, d := range st.Successes {
		ok = append(ok, d.ID+"@"+d.Version)
	}
	if !slices.Equal(ok, []string{i + "@" + tcVer(1), m + "@" + tcVer(1)}) {
		t.Errorf("successes %v", ok)
	}
	if len(st.Failures) != 1 || st.Failures[0].ID != bad || st.Failures[0].Version == "" || st.Failures[0].Message == "" {
		t.Errorf("failures %+v, want the invalid indicator with a version and a reason", st.Failures)
	}
	if got := f.envelope("nl.analyst", tcColls+"community-green/objects/").ids(); !slices.Equal(got, []string{i, m}) {
		t.Errorf("objects after the add: %v, want [%s %s]", got, i, m)
	}
}

// TAXII 2.1 §5.5: posting an exact duplicate of an object already in the
// collection MUST NOT produce an error for that object.
func TestTAXII_5_5_DuplicateIsNotAnError(t *testing.T) {
	f := newTC(t)
	i := tcID("indicator")
	obj := tcIndicator(i, tcVer(1), tcGreen)
	f.add("nl.analyst", "community-green", obj)
	for _, poster := range []string{"nl.analyst", "nl.coordinator", "be.coordinator"} {
		st := tcDecode[tcStatus](t, f.post(poster, "community-green", tcEnv(obj)), http.StatusAccepted)
		if st.FailureCount != 0 || st.SuccessCount != 1 {
			t.Errorf("the duplicate posted again by %s: %+v, want a success", poster, st)
		}
	}
	// Twice in one envelope.
	st := tcDecode[tcStatus](t, f.post("nl.analyst", "community-green", tcEnv(obj, obj)), http.StatusAccepted)
	if st.FailureCount != 0 {
		t.Errorf("the duplicate twice in an envelope: %+v", st)
	}
	if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[version]=all").versions(); !slices.Equal(got, []string{i + "@" + tcVer(1)}) {
		t.Errorf("manifest %v, want the object once", got)
	}
}

// TAXII 2.1 §5.5/§3.1: a Content-Type the server does not support is 415; a
// media type the endpoint defines MUST NOT be.
func TestTAXII_5_5_UnsupportedContentTypeIs415(t *testing.T) {
	f := newTC(t)
	path := tcColls + "community-green/objects/"
	for _, ct := range []string{"application/json", "application/stix+json;version=2.1", "text/plain", "application/taxii+json;version=2.0", "application/x-www-form-urlencoded", ""} {
		rec := f.do("nl.analyst", "POST", path, ct, tcEnv(tcIndicator(tcID("indicator"), tcVer(1), tcGreen)), nil)
		tcWantError(t, rec, fmt.Sprintf("POST with Content-Type %q", ct), http.StatusUnsupportedMediaType)
	}
	if m := f.manifest("nl.analyst", tcColls+"community-green/manifest/"); len(m.Objects) != 0 {
		t.Errorf("posts answered 415 stored %v", m.ids())
	}
	for _, ct := range []string{taxiiMediaType, "application/taxii+json", "application/taxii+json; version=2.1", "application/taxii+json;charset=utf-8;version=2.1"} {
		rec := f.do("nl.analyst", "POST", path, ct, tcEnv(tcIndicator(tcID("indicator"), tcVer(1), tcGreen)), nil)
		if rec.Code != http.StatusAccepted {
			t.Errorf("POST with Content-Type %q = %d, want 202: %s", ct, rec.Code, rec.Body.String())
		}
	}
}

// TAXII 2.1 §5.5/§4.2.1: a body larger than the API root's
// max_content_length is 413; a body no larger MUST NOT be.
func TestTAXII_5_5_TooLargeIs413(t *testing.T) {
	f := newTC(t)
	root := tcDecode[struct {
		Max int `json:"max_content_length"`
	}](t, f.get("nl.analyst", tcRoot), http.StatusOK)
	if root.Max <= 0 || root.Max > 64<<20 {
		t.Fatalf("max_content_length %d: this test builds bodies of that size in memory", root.Max)
	}
	i := tcID("indicator")
	env := tcEnv(tcIndicator(i, tcVer(1), tcGreen))
	// JSON allows trailing whitespace: the same envelope, padded.
	atMax := env + strings.Repeat(" ", root.Max-len(env))
	rec := f.post("nl.analyst", "community-green", atMax+" ")
	tcWantError(t, rec, "a body of max_content_length+1 octets", http.StatusRequestEntityTooLarge)
	if m := f.manifest("nl.analyst", tcColls+"community-green/manifest/"); len(m.Objects) != 0 {
		t.Errorf("a post answered 413 stored %v", m.ids())
	}
	rec = f.post("nl.analyst", "community-green", atMax)
	if st := tcDecode[tcStatus](t, rec, http.StatusAccepted); st.SuccessCount != 1 {
		t.Errorf("a body of exactly max_content_length octets: %+v", st)
	}
}

// TAXII 2.1 §5.5: a malformed body (not a TAXII envelope) is 422, and
// nothing of it is stored.
func TestTAXII_5_5_MalformedEnvelopeIs422(t *testing.T) {
	f := newTC(t)
	obj := tcIndicator(tcID("indicator"), tcVer(1), tcGreen)
	for _, body := range []string{
		"not json",
		"",
		`{"objects":[` + obj,
		`[` + obj + `]`,
		`{"objects":` + obj + `}`,
		`{"objects":"` + "x" + `"}`,
		`{"objects":[` + obj + `]}trailing`,
		`"an envelope"`,
	} {
		rec := f.post("nl.analyst", "community-green", body)
		tcWantError(t, rec, fmt.Sprintf("POST %.40q", body), http.StatusUnprocessableEntity, http.StatusBadRequest)
	}
	if m := f.manifest("nl.analyst", tcColls+"community-green/manifest/"); len(m.Objects) != 0 {
		t.Errorf("malformed posts stored %v", m.ids())
	}
}

// TAXII 2.1 §5.5/§3.7: the body of add objects is an envelope, a JSON
// object; JSON null is not one and is a malformed body (422), not an
// accepted request of no objects.
func TestTAXII_5_5_NullBodyIs422(t *testing.T) {
	f := newTC(t)
	tcWantError(t, f.post("nl.analyst", "community-green", "null"), "POST null", http.StatusUnprocessableEntity, http.StatusBadRequest)
}

// TAXII 2.1 §5.5: if the collection's can_write is false for the client,
// add objects MUST be 403 or 404.
func TestTAXII_5_5_CannotWriteIs403Or404(t *testing.T) {
	f := newTC(t)
	f.addViewer("nl.viewer", "nl-ncsc")
	for _, alias := range []string{"nl-ncsc-amber", "community-green", "public-clear"} {
		c := tcDecode[tcCollection](t, f.get("nl.viewer", tcColls+alias+"/"), http.StatusOK)
		if !c.CanRead || c.CanWrite {
			t.Errorf("viewer: %s can_read %v can_write %v, want true and false", alias, c.CanRead, c.CanWrite)
		}
		rec := f.post("nl.viewer", alias, tcEnv(tcIndicator(tcID("indicator"), tcVer(1), tcGreen)))
		tcWantError(t, rec, "viewer POST to "+alias, http.StatusForbidden, http.StatusNotFound)
	}
	// BE may neither read nor write NL's collection.
	tcWantError(t, f.post("be.coordinator", "nl-ncsc-amber", tcEnv(tcIndicator(tcID("indicator"), tcVer(1), tcAmber))), "BE POST to nl-ncsc-amber", http.StatusForbidden, http.StatusNotFound)
	for _, alias := range []string{"nl-ncsc-amber", "community-green", "public-clear"} {
		if m := f.manifest("nl.analyst", tcColls+alias+"/manifest/"); len(m.Objects) != 0 {
			t.Errorf("refused posts stored in %s: %v", alias, m.ids())
		}
	}
}

// TAXII 2.1 §5.6: an object by its STIX id, in an envelope; the latest
// version by default, others with match[version]; an object not in the
// collection is 404.
func TestTAXII_5_6_GetObjectById(t *testing.T) {
	f := newTC(t)
	x, y := tcID("indicator"), tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen), tcIndicator(y, tcVer(1), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(3), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(2), tcGreen))
	f.add("nl.analyst", "nl-ncsc-amber", tcIndicator(tcID("indicator"), tcVer(1), tcAmber))
	X := func(n int) string { return x + "@" + tcVer(n) }
	for q, want := range map[string][]string{
		"":                            {X(3)},
		"?match[version]=last":        {X(3)},
		"?match[version]=first":       {X(1)},
		"?match[version]=all":         {X(1), X(3), X(2)},
		"?match[version]=" + tcVer(2): {X(2)},
		"?match[version]=" + tcVer(1) + "," + tcVer(3): {X(1), X(3)},
		"?match[version]=first,last":                   {X(1), X(3)},
		"?match[spec_version]=2.1":                     {X(3)},
	} {
		rec := f.get("nl.analyst", tcObject("community-green", x)+q)
		env := tcDecode[tcEnvelope](t, rec, http.StatusOK)
		if got := env.versions(); !slices.Equal(got, want) {
			t.Errorf("object%s: %v, want %v", q, got, want)
		}
		tcWantDateHeaders(t, rec, "object"+q)
	}
	// Not in this collection, or not at all: 404.
	for _, p := range []string{tcObject("community-green", tcID("indicator")), tcObject("nl-ncsc-amber", x), tcObject("community-green", "not-an-id")} {
		tcWantError(t, f.get("nl.analyst", p), "GET "+p, http.StatusNotFound)
	}
}

// TAXII 2.1 §5.7: after a 200 to DELETE, fetching that object/version from
// the collection MUST be 404, and the manifest and objects MUST NOT return
// it.
func TestTAXII_5_7_DeleteThenGetIs404(t *testing.T) {
	f := newTC(t)
	x, y := tcID("indicator"), tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen), tcIndicator(y, tcVer(1), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(2), tcGreen))

	// One version.
	rec := f.del("nl.analyst", tcObject("community-green", x)+"?match[version]="+tcVer(1))
	if rec.Code != http.StatusOK {
		t.Fatalf("DELETE one version = %d: %s", rec.Code, rec.Body.String())
	}
	tcWantTAXIIType(t, rec)
	tcWantError(t, f.get("nl.analyst", tcObject("community-green", x)+"?match[version]="+tcVer(1)), "GET the deleted version", http.StatusNotFound)
	if got := f.envelope("nl.analyst", tcObject("community-green", x)+"?match[version]=all").versions(); !slices.Equal(got, []string{x + "@" + tcVer(2)}) {
		t.Errorf("object after deleting version 1: %v", got)
	}
	if got := tcDecode[tcVersions](t, f.get("nl.analyst", tcObject("community-green", x)+"versions/"), 200).Versions; !slices.Equal(got, []string{tcVer(2)}) {
		t.Errorf("versions after deleting version 1: %v", got)
	}
	if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[version]=all").versions(); slices.Contains(got, x+"@"+tcVer(1)) {
		t.Errorf("manifest still lists the deleted version: %v", got)
	}

	// The latest version: the one before it becomes the latest.
	z := tcID("indicator")
	f.add("nl.analyst", "community-green", tcIndicator(z, tcVer(1), tcGreen), tcIndicator(z, tcVer(2), tcGreen), tcIndicator(z, tcVer(3), tcGreen))
	if rec := f.del("nl.analyst", tcObject("community-green", z)+"?match[version]=last"); rec.Code != http.StatusOK {
		t.Fatalf("DELETE ?match[version]=last = %d: %s", rec.Code, rec.Body.String())
	}
	if got := f.envelope("nl.analyst", tcObject("community-green", z)).versions(); !slices.Equal(got, []string{z + "@" + tcVer(2)}) {
		t.Errorf("object after deleting its latest version: %v, want version 2", got)
	}
	if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/?match[id]="+z).versions(); !slices.Equal(got, []string{z + "@" + tcVer(2)}) {
		t.Errorf("manifest after deleting the latest version: %v, want version 2", got)
	}
	if rec := f.del("nl.analyst", tcObject("community-green", z)); rec.Code != http.StatusOK {
		t.Fatalf("DELETE z = %d", rec.Code)
	}

	// The whole object.
	rec = f.del("nl.analyst", tcObject("community-green", x))
	if rec.Code != http.StatusOK {
		t.Fatalf("DELETE the object = %d: %s", rec.Code, rec.Body.String())
	}
	for _, p := range []string{tcObject("community-green", x), tcObject("community-green", x) + "?match[version]=all", tcObject("community-green", x) + "versions/"} {
		tcWantError(t, f.get("nl.analyst", p), "GET "+p+" after DELETE", http.StatusNotFound)
	}
	for _, q := range []string{"", "?match[version]=all", "?match[id]=" + x} {
		if got := f.manifest("nl.analyst", tcColls+"community-green/manifest/"+q).ids(); slices.Contains(got, x) {
			t.Errorf("manifest%s lists the deleted object: %v", q, got)
		}
		if got := f.envelope("nl.analyst", tcColls+"community-green/objects/"+q).ids(); slices.Contains(got, x) {
			t.Errorf("objects%s returns the deleted object: %v", q, got)
		}
	}
	// Only that object.
	if got := f.envelope("nl.analyst", tcColls+"community-green/objects/").ids(); !slices.Equal(got, []string{y}) {
		t.Errorf("objects after the delete: %v, want [%s]", got, y)
	}
	// Another reader of the collection sees it gone as well.
	tcWantError(t, f.get("be.coordinator", tcObject("community-green", x)), "BE: GET after DELETE", http.StatusNotFound)
	// Deleting it again: nothing left to delete.
	tcWantError(t, f.del("nl.analyst", tcObject("community-green", x)), "DELETE again", http.StatusNotFound)
}

// TAXII 2.1 §5.7: once authenticated, DELETE MUST answer by the client's
// permissions: can_read false and can_write false → 404; can_read true and
// can_write false → 403; can_read false and can_write true → 403; both true
// → the normal success or failure.
func TestTAXII_5_7_DeletePermissionMatrix(t *testing.T) {
	f := newTC(t)
	f.addViewer("nl.viewer", "nl-ncsc")
	x, g := tcID("indicator"), tcID("indicator")
	f.add("nl.analyst", "nl-ncsc-amber", tcIndicator(x, tcVer(1), tcAmber))
	f.add("nl.analyst", "community-green", tcIndicator(g, tcVer(1), tcGreen))

	// false/false: BE on NL's collection.
	tcWantError(t, f.del("be.coordinator", tcObject("nl-ncsc-amber", x)), "BE (cannot read, cannot write)", http.StatusNotFound)
	// true/false: NL's viewer.
	for alias, id := range map[string]string{"nl-ncsc-amber": x, "community-green": g} {
		c := tcDecode[tcCollection](t, f.get("nl.viewer", tcColls+alias+"/"), http.StatusOK)
		if !c.CanRead || c.CanWrite {
			t.Fatalf("viewer on %s: can_read %v can_write %v", alias, c.CanRead, c.CanWrite)
		}
		tcWantError(t, f.del("nl.viewer", tcObject(alias, id)), "viewer (can read, cannot write) on "+alias, http.StatusForbidden)
	}
	// false/true: no client has it here — write implies read. Every
	// collection any of these clients is told of shows that.
	for _, user := range []string{"nl.analyst", "nl.viewer", "be.coordinator", "fi.chair", "dk.chair"} {
		for _, c := range f.collections(user) {
			if c.CanWrite && !c.CanRead {
				t.Errorf("%s: %s can_write without can_read: DELETE would have to be 403", user, c.Alias)
			}
		}
	}
	// true/true: the normal answers. Another organisation's object in a
	// shared collection: 403 (it has access to the object, not to delete it).
	tcWantError(t, f.del("be.coordinator", tcObject("community-green", g)), "BE deleting NL's object", http.StatusForbidden)
	tcWantError(t, f.del("nl.analyst", tcObject("nl-ncsc-amber", tcID("indicator"))), "an object that is not there", http.StatusNotFound)
	for alias, id := range map[string]string{"nl-ncsc-amber": x, "community-green": g} {
		if env := f.envelope("nl.analyst", tcObject(alias, id)); !slices.Equal(env.ids(), []string{id}) {
			t.Errorf("refused deletes removed %s from %s", id, alias)
		}
	}
	// The organisation that shared them deletes them.
	if rec := f.del("nl.coordinator", tcObject("nl-ncsc-amber", x)); rec.Code != http.StatusOK {
		t.Errorf("NL's coordinator deleting NL's object = %d: %s", rec.Code, rec.Body.String())
	}
	if rec := f.del("nl.analyst", tcObject("community-green", g)); rec.Code != http.StatusOK {
		t.Errorf("NL's analyst deleting its object = %d: %s", rec.Code, rec.Body.String())
	}
}

// TAXII 2.1 §5.8/§5.8.1: the versions of an object, in order of date added;
// an unversioned object's version MUST be its created; an object not there is
// 404.
func TestTAXII_5_8_VersionsEndpoint(t *testing.T) {
	f := newTC(t)
	x, s := tcID("indicator"), tcID("marking-definition")
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(1), tcGreen), tcStatement(s, tcVer(4), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(3), tcGreen))
	f.add("nl.analyst", "community-green", tcIndicator(x, tcVer(2), tcGreen))
	rec := f.get("nl.analyst", tcObject("community-green", x)+"versions/")
	raw := tcDecode[map[string]any](t, rec, http.StatusOK)
	if _, ok := raw["versions"].([]any); !ok {
		t.Errorf("versions resource without a versions list: %v", raw)
	}
	v := tcDecode[tcVersions](t, rec, http.StatusOK)
	if !slices.Equal(v.Versions, []string{tcVer(1), tcVer(3), tcVer(2)}) || v.More {
		t.Errorf("versions %v more=%v, want [%s %s %s] (the order added)", v.Versions, v.More, tcVer(1), tcVer(3), tcVer(2))
	}
	tcWantDateHeaders(t, rec, "versions")
	// An unversioned object: its created.
	if got := tcDecode[tcVersions](t, f.get("nl.analyst", tcObject("community-green", s)+"versions/"), 200).Versions; !slices.Equal(got, []string{tcVer(4)}) {
		t.Errorf("versions of an unversioned object: %v, want its created %s", got, tcVer(4))
	}
	// match[spec_version] applies; match[version] is not a parameter here.
	if got := tcDecode[tcVersions](t, f.get("nl.analyst", tcObject("community-green", x)+"versions/?match[spec_version]=2.1"), 200).Versions; len(got) != 3 {
		t.Errorf("versions?match[spec_version]=2.1: %v", got)
	}
	if got := tcDecode[tcVersions](t, f.get("nl.analyst", tcObject("community-green", x)+"versions/?match[version]=first"), 200).Versions; len(got) != 3 {
		t.Errorf("versions?match[version]=first: %v, want every version", got)
	}
	tcWantError(t, f.get("nl.analyst", tcObject("community-green", tcID("indicator"))+"versions/"), "versions of an unknown object", http.StatusNotFound)
}

// ---------------------------------------------------------------------------
// TLP: collections are audiences at a TLP label (R16)
// ---------------------------------------------------------------------------

// TAXII 2.1 §5.5/§4.3.1 with TLP 2.0 (R16): an object whose TLP label is
// more restrictive than the collection's is a failure in the status, and is
// not stored; a less restrictive one is stored under the collection's marking.
func TestTAXIIObjectMoreRestrictiveThanCollectionFails(t *testing.T) {
	f := newTC(t)
	cases := []struct{ coll, marking string }{
		{"community-green", tcRed},
		{"community-green", tcAmber},
		{"public-clear", tcGreen},
		{"nl-ncsc-amber", tcAmberStrict},
		{"nl-ncsc-amber", tcRed},
		{"nl-ncsc-amber-strict", tcRed},
	}
	for _, c := range cases {
		id := tcID("indicator")
		st := tcDecode[tcStatus](t, f.post("nl.analyst", c.coll, tcEnv(tcIndicator(id, tcVer(1), c.marking))), http.StatusAccepted)
		if st.SuccessCount != 0 || st.FailureCount != 1 || len(st.Failures) != 1 || st.Failures[0].ID != id || st.Failures[0].Message == "" {
			t.Errorf("%s marked %s: %+v, want one failure with a reason", c.coll, c.marking, st)
		}
		tcWantError(t, f.get("nl.analyst", tcObject(c.coll, id)), "GET the refused object", http.StatusNotFound)
	}
	for _, c := range tcAliases(f.collections("nl.analyst")) {
		if m := f.manifest("nl.analyst", tcColls+c+"/manifest/"); len(m.Objects) != 0 {
			t.Errorf("refused objects stored in %s: %v", c, m.ids())
		}
	}
	// A GREEN object in NL's AMBER collection: stored, for NL only.
	g := tcID("indicator")
	f.add("nl.analyst", "nl-ncsc-amber", tcIndicator(g, tcVer(1), tcGreen))
	if env := f.envelope("nl.analyst", tcObject("nl-ncsc-amber", g)); !slices.Equal(env.ids(), []string{g}) {
		t.Errorf("the GREEN object in nl-ncsc-amber: %v", env.ids())
	}
	if got := f.envelope("be.coordinator", tcColls+"community-green/objects/").ids(); slices.Contains(got, g) {
		t.Errorf("the object posted to NL's AMBER collection reached BE through community-green")
	}
}

// TAXII 2.1 §5.5/§4.3.1 with TLP 2.0 (DESIGN §5): an unmarked object — no
// TLP marking at all — is a failure in the status, never defaulted, and is
// not stored.
func TestTAXIIUnmarkedObjectFails(t *testing.T) {
	f := newTC(t)
	unmarked, statementOnly, ok := tcID("indicator"), tcID("indicator"), tcID("indicator")
	stmt := tcID("marking-definition")
	rec := f.post("nl.analyst", "community-green", tcEnv(
		tcIndicator(unmarked, tcVer(1)),
		tcStatement(stmt, tcVer(1), tcGreen),
		tcIndicator(statementOnly, tcVer(1), stmt), // a marking, but no TLP one
		tcIndicator(ok, tcVer(1), tcGreen),
	))
	st := tcDecode[tcStatus](t, rec, http.StatusAccepted)
	var failed []string
	for _, d := range st.Failures {
		failed = append(failed, d.ID)
		if d.Message == "" {
			t.Errorf("failure %s without a reason", d.ID)
		}
	}
	slices.Sort(failed)
	want := []string{unmarked, statementOnly}
	slices.Sort(want)
	if !slices.Equal(failed, want) || st.FailureCount != 2 {
		t.Errorf("failures %v, want the unmarked %v", failed, want)
	}
	got := f.manifest("nl.analyst", tcColls+"community-green/manifest/").ids()
	slices.Sort(got)
	want = []string{ok, stmt}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("stored %v, want only the marked %v", got, want)
	}
}

// TAXII 2.1 §5.2/§1.6.9 with the TLP gate (R15, R16): NL's organisation
// collection is not readable by BE (404); BE cannot read an object NL posted
// to nl-ncsc-amber through any endpoint, and it is not in BE's listings.
func TestTAXIICollectionsFollowTheGate(t *testing.T) {
	f := newTC(t)
	x := tcID("indicator")
	st := f.add("nl.analyst", "nl-ncsc-amber", tcIndicator(x, tcVer(1), tcAmber))
	nl := tcDecode[tcCollection](t, f.get("nl.analyst", tcColls+"nl-ncsc-amber/"), http.StatusOK)
	if slices.Contains(tcAliases(f.collections("be.coordinator")), "nl-ncsc-amber") {
		t.Errorf("BE is told of nl-ncsc-amber")
	}
	for _, key := range []string{"nl-ncsc-amber", nl.ID} {
		for _, p := range []string{tcColls + key + "/", tcColls + key + "/manifest/", tcColls + key + "/objects/",
			tcObject(key, x), tcObject(key, x) + "versions/"} {
			rec := f.get("be.coordinator", p)
			tcWantError(t, rec, "BE: GET "+p, http.StatusNotFound)
		}
		tcWantError(t, f.del("be.coordinator", tcObject(key, x)), "BE: DELETE", http.StatusNotFound)
		tcWantError(t, f.post("be.coordinator", key, tcEnv(tcIndicator(tcID("indicator"), tcVer(1), tcAmber))), "BE: POST", http.StatusNotFound)
	}
	tcWantError(t, f.get("be.coordinator", tcRoot+"status/"+st.ID+"/"), "BE: NL's status", http.StatusNotFound)
	// Through every collection BE may read: the object is in none.
	for _, c := range f.collections("be.coordinator") {
		for _, p := range []string{tcColls + c.ID + "/objects/?match[version]=all&limit=1000", tcColls + c.ID + "/manifest/?match[version]=all&limit=1000"} {
			rec := f.get("be.coordinator", p)
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), x) {
				t.Errorf("BE: GET %s = %d, and names NL's object: %v", p, rec.Code, strings.Contains(rec.Body.String(), x))
			}
		}
		tcWantError(t, f.get("be.coordinator", tcObject(c.ID, x)), "BE: the object in "+c.Alias, http.StatusNotFound)
	}
	// Nor through the API.
	if rec := f.s.people["be.coordinator"].json("GET", "/api/v1/stix/objects/"+x, nil, false); rec.Code != http.StatusNotFound {
		t.Errorf("BE: GET /api/v1/stix/objects/%s = %d, want 404", x, rec.Code)
	}
	// NL's own colleague reads it.
	if env := f.envelope("nl.coordinator", tcObject("nl-ncsc-amber", x)); !slices.Equal(env.ids(), []string{x}) {
		t.Errorf("NL's coordinator: %v", env.ids())
	}
}

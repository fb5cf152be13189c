package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser tests drive the UI in Debian's chromium through chromedp, as the
// officers of USERS.md would. They fail — not skip — when chromium is missing:
// .ci/run installs it. Screenshots go to $BLUEPRINT_ARTEFACTS (CI keeps them),
// or to the test's temporary directory.

// browserNode is a node served over real TCP, as chromium needs.
type browserNode struct {
	*scenario
	srv *httptest.Server
}

func newBrowserNode(t *testing.T) *browserNode {
	t.Helper()
	s := newScenario(t)
	srv := httptest.NewServer(s.h)
	t.Cleanup(srv.Close)
	return &browserNode{scenario: s, srv: srv}
}

// MustBrowser starts a headless chromium with a 1280×800 window; every tab of
// the returned context shares its cookies.
func MustBrowser(t *testing.T) context.Context {
	t.Helper()
	return mustBrowserSized(t, 1280, 800)
}

// mustBrowserSized starts a headless chromium with the given window size.
func mustBrowserSized(t *testing.T, width, height int) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed: the browser tests need Debian's chromium (apt-get install chromium; .ci/run does it)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.WindowSize(width, height),
		// Containers run tests as root, where chromium's sandbox cannot start.
		chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// newTab opens a second browser with its own cookies: a second officer.
func newTab(t *testing.T) context.Context {
	t.Helper()
	return MustBrowser(t)
}

// screenshot saves the page as <name>.png among the test artefacts.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("BLUEPRINT_ARTEFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// do runs steps in a tab, failing the test with what was being done.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		var errs string
		errs, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('[id^=error-], #alert')).map(e => e.id + ': ' + e.textContent.trim()).join('\n')`))
		t.Fatalf("%s: %v\nmessages on the page:\n%s", what, err, errs)
	}
}

// get runs one action and returns its value.
func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// login signs an officer in through the login form.
func (n *browserNode) login(t *testing.T, ctx context.Context, who string) {
	t.Helper()
	do(t, ctx, who+" logs in",
		chromedp.Navigate(n.srv.URL+"/login"),
		chromedp.WaitVisible(`#login-form`),
		chromedp.SendKeys(`#login-form [name=username]`, who),
		chromedp.SendKeys(`#login-form [name=password]`, who+" long passphrase"),
		chromedp.Submit(`#login-form`),
		chromedp.WaitVisible(`#cases`),
	)
}

// TestBrowserOfficerFlow: Sanne files a national report in the browser, hits a
// validation error and fixes it, opens a case with it and finds it on the
// overview; her coordinator records the decision he may take and does not see
// the ones he may not; Elena downloads the published situation report as PDF.
func TestBrowserOfficerFlow(t *testing.T) {
	n := newBrowserNode(t)
	sanne := MustBrowser(t)
	n.login(t, sanne, "nl.analyst")
	screenshot(t, sanne, "overview-empty")
	n.fileReportInBrowser(t, sanne)
	n.openCaseInBrowser(t, sanne)

	// The case is on the overview.
	do(t, sanne, "back to the overview", chromedp.Navigate(n.srv.URL+"/"), chromedp.WaitVisible(`#cases`))
	if overview := get(t, sanne, "read the overview", chromedp.Text(`#cases`)); !strings.Contains(overview, "Ransomware at hospitals (browser)") {
		t.Fatalf("the overview does not list the new case:\n%s", overview)
	}
	screenshot(t, sanne, "overview")
	if class := get(t, sanne, "read the map", chromedp.Evaluate[string](`document.querySelector('#eu-map path[data-ms=NL]').getAttribute('class')`)); class != "ms ms-incident" {
		t.Errorf("NL on the map: class %q, want the incident colour", class)
	}

	// Her coordinator may record NL's significance assessment, and only that.
	coordinator := newTab(t)
	n.login(t, coordinator, "nl.coordinator")
	do(t, coordinator, "open the decisions tab",
		chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID+"?tab=decisions"),
		chromedp.WaitVisible(`#decision-form-national-assessment`))
	others := get(t, coordinator, "count forms", chromedp.Evaluate[int](`document.querySelectorAll('#decision-form-network-advice, #decision-form-cyclone-assessment, #decision-form-crisis-determination').length`))
	if others != 0 {
		t.Errorf("the NL coordinator sees %d decision forms that are not his", others)
	}
	do(t, coordinator, "decide significant",
		chromedp.SetValue(`#decision-form-national-assessment [name=level]`, "significant"),
		chromedp.SendKeys(`#decision-form-national-assessment [name=reason]`, "three hospitals divert emergency care"),
		chromedp.Submit(`#decision-form-national-assessment`),
		chromedp.WaitVisible(`#ladder[data-decided=significant]`),
	)
	screenshot(t, coordinator, "case-room-decisions")

	// The Presidency has no part in a significance assessment or the networks'
	// advice.
	presidency := newTab(t)
	n.login(t, presidency, "presidency")
	do(t, presidency, "open the decisions tab", chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID+"?tab=decisions"), chromedp.WaitVisible(`#ladder`))
	if forms := get(t, presidency, "count forms", chromedp.Evaluate[int](`document.querySelectorAll('form[id^=decision-form-]').length`)); forms != 0 {
		t.Errorf("the Presidency sees %d decision forms on a significant incident", forms)
	}

	// ENISA publishes the technical report; Elena downloads its PDF.
	n.as("enisa", "POST", "/api/v1/cases/"+n.caseID+"/sitreps", map[string]any{"kind": "technical", "marking": json.RawMessage(amberCaseAudience)}, 201)
	elena := newTab(t)
	n.login(t, elena, "enisa")
	do(t, elena, "open the situation reports tab",
		chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID+"?tab=sitreps"),
		chromedp.WaitVisible(`a.download[href*="format=pdf"]`))
	// She builds a draft for the CSIRTs Network as PDF from the form.
	do(t, elena, "build a draft PDF",
		chromedp.SetValue(`#sitrep-form [name=kind]`, "technical"),
		chromedp.SetValue(`#sitrep-form [name=format]`, "pdf"),
		chromedp.SetValue(`#sitrep-form [name=tlp]`, "TLP:AMBER"),
		chromedp.SetValue(`#sitrep-form [name=audience_kind]`, "networks"),
		chromedp.SetValue(`#sitrep-form [name=audience_ids]`, "csirts-network"),
		chromedp.Submit(`#sitrep-form`),
	)
	var contentType string
	for range 50 {
		contentType = get(t, elena, "read the document type", chromedp.Evaluate[string](`document.contentType`))
		if contentType == "application/pdf" {
			break
		}
		do(t, elena, "wait", chromedp.Sleep(100*time.Millisecond))
	}
	if contentType != "application/pdf" {
		t.Errorf("the draft opened as %q, want a PDF", contentType)
	}
	do(t, elena, "back to the situation reports tab",
		chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID+"?tab=sitreps"),
		chromedp.WaitVisible(`a.download[href*="format=pdf"]`))

	// The page allows no script to fetch; following the link as the officer
	// would must answer a PDF.
	href := get(t, elena, "read the link", chromedp.Evaluate[string](`document.querySelector('a.download[href*="format=pdf"]').href`))
	screenshot(t, elena, "case-room-sitreps")
	resp := get(t, elena, "download the PDF", chromedp.NavigateResponse(href))
	if resp.Status != 200 || resp.MimeType != "application/pdf" {
		t.Errorf("the download answered %d %s", resp.Status, resp.MimeType)
	}
}

const browserAudience = "nl-ncsc, be-ccb, fi-ncsc, dk-ccma, presidency, commission, enisa"

// fileReportInBrowser submits the national report form once empty (every
// field's message must show), then filled in.
func (n *browserNode) fileReportInBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	now := n.clock.Now().UTC()
	do(t, ctx, "submit the empty report form",
		chromedp.Navigate(n.srv.URL+"/reports/new"),
		chromedp.WaitVisible(`#report-form`),
		chromedp.Submit(`#report-form`),
		chromedp.WaitVisible(`#error-title`),
	)
	for _, field := range []string{"title", "summary", "detected_at", "sectors", "classification", "marking"} {
		if n := get(t, ctx, "find "+field+"'s message", chromedp.Evaluate[int](`document.querySelectorAll('#error-`+field+`').length`)); n != 1 {
			t.Errorf("the empty form shows no message next to %s", field)
		}
	}
	screenshot(t, ctx, "report-form-errors")
	do(t, ctx, "fill in and file the report",
		chromedp.SetValue(`#title`, "Ransomware at hospitals (browser)"),
		chromedp.SetValue(`#summary`, "Encrypted systems at three hospitals; emergency care diverted."),
		chromedp.SetValue(`#detected_at`, now.Add(-2*time.Hour).Format("2006-01-02T15:04")),
		chromedp.SetValue(`#aware_at`, now.Add(-time.Hour).Format("2006-01-02T15:04")),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
				document.querySelector('#affected_member_states option[value=NL]').selected = true;
				document.querySelector('#sectors option[value=health]').selected = true;
				document.querySelectorAll('select[name^="impact."]').forEach(s => { s.value = "2"; });
				return true })()`))
			return err
		}),
		chromedp.SetValue(`#affected_entities`, "3"),
		chromedp.SetValue(`#classification`, "malicious-code:infected-system"),
		chromedp.SetValue(`#status`, "open"),
		chromedp.SetValue(`#report-form [name=tlp]`, "TLP:AMBER"),
		chromedp.SetValue(`#report-form [name=audience_kind]`, "organisations"),
		chromedp.SetValue(`#report-form [name=audience_ids]`, browserAudience),
		chromedp.Submit(`#report-form`),
		chromedp.WaitVisible(`#severity`),
	)
}

// openCaseInBrowser opens a Union-level case from the report page.
func (n *browserNode) openCaseInBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "open a case",
		chromedp.WaitVisible(`#case-form`),
		chromedp.SetValue(`#case-title`, "Ransomware at hospitals (browser)"),
		chromedp.SetValue(`#case-form [name=tlp]`, "TLP:AMBER"),
		chromedp.SetValue(`#case-form [name=audience_kind]`, "organisations"),
		chromedp.SetValue(`#case-form [name=audience_ids]`, browserAudience),
		chromedp.Submit(`#case-form`),
		chromedp.WaitVisible(`#ladder`),
	)
	path := get(t, ctx, "read the address", chromedp.Evaluate[string](`location.pathname`))
	n.caseID = strings.TrimPrefix(path, "/cases/")
	screenshot(t, ctx, "case-room")
}

// TestBrowserKeyboardOnlyReportForm: Sanne completes and files the national
// report form with the keyboard alone — Tab from field to field in the order
// the form shows them, type, type-ahead in the lists, Enter on the button.
func TestBrowserKeyboardOnlyReportForm(t *testing.T) {
	n := newBrowserNode(t)
	ctx := MustBrowser(t)
	n.login(t, ctx, "nl.analyst")
	do(t, ctx, "open the form", chromedp.Navigate(n.srv.URL+"/reports/new"), chromedp.WaitVisible(`#report-form`))

	// Chromium's date-time fields take digits segment by segment in the
	// en-US order: month, day, year, hour, minute, AM/PM.
	local := func(at time.Time) string {
		return at.Format("01022006") + at.Format("0304") + at.Format("PM")[:1]
	}
	now := n.clock.Now().UTC()
	typed := map[string]string{
		"title":             "Ransomware at hospitals (keyboard)",
		"summary":           "Encrypted systems at three hospitals.",
		"detected_at":       local(now.Add(-2 * time.Hour)),
		"aware_at":          local(now.Add(-time.Hour)),
		"classification":    "Malicious code",
		"sectors":           "Health",
		"affected_entities": "3",
		"tlp":               "TLP:AMBER",
		"audience_kind":     "organisations",
		"audience_ids":      browserAudience,
	}
	var order []string
	for range 80 {
		do(t, ctx, "press Tab", chromedp.KeyEvent("\t"))
		el := get(t, ctx, "read the focus", chromedp.Evaluate[map[string]string](`(e => ({id: e.id, tag: e.tagName, type: e.type || "", form: (e.form && e.form.id) || ""}))(document.activeElement)`))
		if el["tag"] == "BUTTON" && el["type"] == "submit" && el["form"] == "report-form" {
			do(t, ctx, "press Enter on the button", chromedp.KeyEvent("\r"), chromedp.WaitVisible(`#severity, #error-summary, .error-summary`))
			break
		}
		// A date-time field has a Tab stop per segment: type into it once.
		if (!strings.HasPrefix(el["id"], "impact-") && typed[el["id"]] == "") || slices.Contains(order, el["id"]) {
			continue
		}
		order = append(order, el["id"])
		text := typed[el["id"]]
		if strings.HasPrefix(el["id"], "impact-") {
			text = "2"
		}
		do(t, ctx, "type into "+el["id"], chromedp.KeyEvent(text))
	}
	if get(t, ctx, "read the page", chromedp.Evaluate[int](`document.querySelectorAll('#severity').length`)) != 1 {
		msgs := get(t, ctx, "read the messages", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('[id^=error-]')).map(e => e.id + ': ' + e.textContent.trim()).join('\n')`))
		t.Fatalf("the form was not filed with the keyboard; fields reached in order: %v\n%s", order, msgs)
	}
	want := []string{"title", "summary", "detected_at", "aware_at", "classification", "sectors", "affected_entities"}
	for i, id := range want {
		if i >= len(order) || order[i] != id {
			t.Fatalf("Tab reached the fields in the order %v; want %v first", order, want)
		}
	}
	if page := get(t, ctx, "read the report", chromedp.Text(`main`)); !strings.Contains(page, "Ransomware at hospitals (keyboard)") {
		t.Errorf("the filed report does not show the typed title:\n%.500s", page)
	}
	screenshot(t, ctx, "report-filed-by-keyboard")
}

// TestBrowserTabletLayout: on a tablet held upright (820×1180) the overview and
// the case room fit the screen's width — only wide tables scroll, inside their
// own region.
func TestBrowserTabletLayout(t *testing.T) {
	n := newBrowserNode(t)
	report := n.fileReport("nl.analyst", "NL")
	var opened struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	mustUnmarshal(t, n.as("nl.analyst", "POST", "/api/v1/cases", map[string]any{"title": "Tablet case", "marking": json.RawMessage(amberCaseAudience)}, 201), &opened)
	n.as("nl.analyst", "POST", "/api/v1/cases/"+opened.Case.ID+"/reports", map[string]string{"report": report}, 200)

	tablet := mustBrowserSized(t, 820, 1180)
	n.login(t, tablet, "nl.analyst")
	for _, page := range []struct{ name, path, ready string }{
		{"overview", "/", "#eu-map"},
		{"case-room", "/cases/" + opened.Case.ID + "?tab=playbook", "#ladder"},
		{"report-form", "/reports/new", "#report-form"},
	} {
		do(t, tablet, "open "+page.name, chromedp.Navigate(n.srv.URL+page.path), chromedp.WaitVisible(page.ready))
		overflow := get(t, tablet, "measure "+page.name, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if overflow > 0 {
			t.Errorf("%s is %d px wider than a tablet's screen", page.name, overflow)
		}
		screenshot(t, tablet, "tablet-"+page.name)
	}
}

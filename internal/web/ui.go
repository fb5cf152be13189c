package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/failure"
)

// The web UI for crisis officers: server-rendered pages from embedded
// templates, plain forms and links; one small script (ui/static/live.js)
// reloads the overview and the case room when they change, and every page
// works without it (DESIGN §4). Every page is
// built from the caller's view through the TLP gate, exactly as the JSON API
// answers; the handlers live in the other ui*.go files.

//go:embed ui/templates/*.html ui/static/*
var uiFiles embed.FS

// uiCSP replaces the API's "default-src 'none'" on HTML answers: pages load
// their one style sheet and one script from this node, post forms only to it,
// and open their live stream only to it; no inline script runs.
const uiCSP = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// webUI holds the parsed templates and the handlers' dependencies. It is
// built once per server and read-only afterwards.
type webUI struct {
	d     Deps
	pages map[string]*template.Template
	css   []byte
	// cssURL carries the style sheet's content hash, so browsers may cache it
	// for good and still fetch a new one after an upgrade.
	cssURL string
	js     []byte
	jsURL  string
	// err is set when the embedded templates do not parse: every page then
	// answers 500 and says so in the log (a test parses them, so a release
	// never has this).
	err error
}

// uiPageFiles are the page templates; each is parsed on top of the layout and
// the shared partials.
var uiPageFiles = []string{"login", "overview", "case", "report_form", "report", "case_form", "account", "directory", "error"}

// uiPageParts are further templates a page is parsed with: the case room's
// Union response tab lives in its own file.
var uiPageParts = map[string][]string{"case": {"ui/templates/case_response.html"}}

func newUI(d Deps) *webUI {
	u := &webUI{d: d, pages: map[string]*template.Template{}}
	css, err := fs.ReadFile(uiFiles, "ui/static/ui.css")
	if err != nil {
		u.err = fmt.Errorf("read the embedded style sheet: %w", err)
		return u
	}
	sum := sha256.Sum256(css)
	u.css, u.cssURL = css, "/static/ui.css?v="+hex.EncodeToString(sum[:6])
	js, err := fs.ReadFile(uiFiles, "ui/static/live.js")
	if err != nil {
		u.err = fmt.Errorf("read the embedded script: %w", err)
		return u
	}
	sum = sha256.Sum256(js)
	u.js, u.jsURL = js, "/static/live.js?v="+hex.EncodeToString(sum[:6])
	base, err := template.New("layout.html").Funcs(uiFuncs(u)).ParseFS(uiFiles, "ui/templates/layout.html", "ui/templates/partials.html")
	if err != nil {
		u.err = fmt.Errorf("parse the UI layout: %w", err)
		return u
	}
	for _, name := range uiPageFiles {
		t, err := base.Clone()
		if err == nil {
			t, err = t.ParseFS(uiFiles, append([]string{"ui/templates/" + name + ".html"}, uiPageParts[name]...)...)
		}
		if err != nil {
			u.err = fmt.Errorf("parse the UI page %s: %w", name, err)
			return u
		}
		u.pages[name] = t
	}
	return u
}

// basePage is what every page shows around its content: who is signed in,
// the CSRF token for its forms, and the EXERCISE banner.
type basePage struct {
	Title string
	CSS   string
	JS    string
	// Live is the page's live stream (data-live), on pages that reload when
	// what they show changes.
	Live    string
	User    auth.User
	OrgName string
	CSRF    string
	// Nav names the main navigation entry the page belongs to.
	Nav string
	// Exercise is the exercise whose data the page shows, "" for real-world
	// data only; a page that shows any exercise item sets it.
	Exercise string
	// Now is the node's time when the page was built, for "in 3 h" next to
	// due times.
	Now time.Time
}

func (b *basePage) base() *basePage { return b }

// uiPage is a view struct that embeds basePage.
type uiPage interface{ base() *basePage }

// markExercise records that the page shows an item of the exercise.
func (b *basePage) markExercise(exercise string) {
	if exercise != "" && b.Exercise == "" {
		b.Exercise = exercise
	}
}

// render executes a page into a buffer and only then writes it, so a
// template failure answers 500 instead of half a page with status 200.
func (u *webUI) render(w http.ResponseWriter, r *http.Request, name string, status int, p uiPage) error {
	if u.err != nil {
		return u.err
	}
	t, ok := u.pages[name]
	if !ok {
		return fmt.Errorf("render: no page template %q", name)
	}
	b := p.base()
	b.CSS, b.JS = u.cssURL, u.jsURL
	if after, ok := r.Context().Value(liveKey{}).(int64); ok && name != "error" {
		b.Live = liveURL(r, after)
	}
	if b.Now.IsZero() {
		b.Now = u.now()
	}
	if c := callerFrom(r.Context()); c.authenticated() {
		b.User = c.User
		if o, ok := u.d.Auth.Dir.Organisation(c.User.Organisation); ok {
			b.OrgName = o.Name
		}
		if c.Session != nil {
			b.CSRF = c.Session.CSRF
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render page %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", uiCSP)
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away; nothing to do
	return nil
}

// now is the node's time, as the case service keeps it (tests move it).
func (u *webUI) now() time.Time {
	if u.d.Cases == nil {
		return time.Now().UTC()
	}
	return u.d.Cases.Now().UTC()
}

// uiHandler is a page handler that returns its error, so errors become pages
// in exactly one place: page.
type uiHandler func(w http.ResponseWriter, r *http.Request) error

// page adapts a uiHandler: an anonymous caller is sent to the login form,
// any other error becomes an HTML error page.
func (u *webUI) page(h uiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = u.withLivePosition(r)
		if err := h(w, r); err != nil {
			u.writeError(w, r, err)
		}
	})
}

// requirePageUser is requireUser for pages.
func requirePageUser(r *http.Request) (caller, error) {
	c := callerFrom(r.Context())
	if !c.authenticated() {
		return c, failure.New(failure.Unauthenticated, "log in to see this page")
	}
	return c, nil
}

// uiErrorPage is the page every failure without a form to go back to shows.
type uiErrorPage struct {
	basePage
	Status  int
	Heading string
	Message string
}

var uiErrorHeadings = map[failure.Kind]string{
	failure.Invalid:     "That cannot be recorded",
	failure.NotFound:    "Page not found",
	failure.Conflict:    "That cannot be done now",
	failure.Forbidden:   "You may not do this",
	failure.Throttled:   "Too many attempts",
	failure.Unavailable: "The node is not available",
	failure.Internal:    "Something went wrong on the node",
}

// writeError is writeProblem for pages. The message of a not-found page never
// echoes what was asked for: a case one may not see looks exactly like one
// that does not exist.
func (u *webUI) writeError(w http.ResponseWriter, r *http.Request, err error) {
	kind := failure.KindOf(err)
	if kind == failure.Unauthenticated {
		redirectToLogin(w, r)
		return
	}
	ps, ok := problemStatus[kind]
	if !ok {
		kind, ps = failure.Internal, problemStatus[failure.Internal]
	}
	p := &uiErrorPage{Status: ps.status, Heading: uiErrorHeadings[kind], Message: failure.PublicMessage(err)}
	switch kind {
	case failure.NotFound:
		p.Message = "There is nothing here, or nothing you may see. Check the link, or go back to the overview."
	case failure.Internal, failure.Unavailable:
		u.d.Logger.ErrorContext(r.Context(), "page failed", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Message = "The node could not build this page. Try again in a moment; if it keeps failing, tell the operator (the node's log has the details)."
	}
	p.Title = p.Heading
	if rerr := u.render(w, r, "error", p.Status, p); rerr != nil {
		u.d.Logger.ErrorContext(r.Context(), "error page failed", "path", r.URL.Path, "err", rerr)
		http.Error(w, p.Heading+": "+p.Message, p.Status)
	}
}

// redirectToLogin sends an anonymous caller to the login form, coming back to
// the page asked for afterwards (a form post comes back to the overview).
func redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath keeps a "next" target on this node: a path, never a scheme or a
// host ("//evil.example"), nor a backslash or a control character, which
// browsers read as a slash or drop ("/\t/evil.example" would become
// "//evil.example").
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsFunc(next, func(r rune) bool {
		return r == '\\' || r < 0x20 || r == 0x7f
	}) {
		return "/"
	}
	if p := path.Clean(strings.SplitN(next, "?", 2)[0]); p == "/login" || p == "/logout" {
		return "/"
	}
	return next
}

// seeOther ends a successful form post with a redirect, so reloading the
// page does not post it again.
func seeOther(w http.ResponseWriter, r *http.Request, target string) error {
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// notFound is the page for any path no route serves.
func (u *webUI) notFound(http.ResponseWriter, *http.Request) error { return errNoPage }

var errNoPage = failure.New(failure.NotFound, "no page here")

// livePages are the pages that reload when what they show changes.
var livePages = map[string]bool{"GET /{$}": true, "GET /cases/{id}": true}

type liveKey struct{}

// withLivePosition notes the head of the log before a live page reads what
// it shows: its stream then announces every change after it, none missed
// between building the page and opening the stream.
func (u *webUI) withLivePosition(r *http.Request) *http.Request {
	if !livePages[r.Pattern] || u.d.Live == nil || !callerFrom(r.Context()).authenticated() {
		return r
	}
	head, err := u.d.Store.Head(r.Context())
	if err != nil {
		return r // the page still works; it just does not reload by itself
	}
	return r.WithContext(context.WithValue(r.Context(), liveKey{}, head))
}

// liveURL is the stream a live page opens.
func liveURL(r *http.Request, after int64) string {
	q := url.Values{"after": {strconv.FormatInt(after, 10)}}
	if id := r.PathValue("id"); id != "" {
		q.Set("case", id)
	}
	return apiPrefix + "/live?" + q.Encode()
}

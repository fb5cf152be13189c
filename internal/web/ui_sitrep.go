package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/sitrep"
)

// The situation report form of the case room: build a draft from what the
// caller may see, marked as they choose, and download it; or publish it as
// the next signed version, if their organisation issues that kind.

var sitrepLabels = fieldLabels{
	"kind":    {"Kind of report", "sitrep-kind"},
	"format":  {"Format", "sitrep-format"},
	"marking": {"TLP marking", "tlp"},
	"confirm": {"Confirmation", "sitrep-confirm"},
}

// sitrepForm reads the draft form into the request the API's handlers take.
// The marking names the case's exercise, as a draft's must. ok is false when
// the handler is done: the form came back with its messages (err nil), or
// err says what answers instead.
func (u *webUI) sitrepForm(w http.ResponseWriter, r *http.Request) (uiForm, sitrepRequest, bool, error) {
	if _, err := requirePageUser(r); err != nil {
		return uiForm{}, sitrepRequest{}, false, err
	}
	id := r.PathValue("id")
	v, err := u.d.caseView(r, id)
	if err != nil {
		return uiForm{}, sitrepRequest{}, false, err
	}
	f, err := postedForm(r, "sitrep-form")
	if err != nil {
		return uiForm{}, sitrepRequest{}, false, err
	}
	m, errs := markingFromForm(f, v.Case.Marking.Exercise)
	if errs.Any() {
		f.Errors = errs
		return f, sitrepRequest{}, false, u.showCase(w, r, id, "sitreps", http.StatusUnprocessableEntity, f, "")
	}
	return f, sitrepRequest{Kind: sitrep.Kind(f.Get("kind")), Marking: m}, true, nil
}

// failedSitrep shows the form again with the error, if it is the officer's
// to correct.
func (u *webUI) failedSitrep(w http.ResponseWriter, r *http.Request, f uiForm, err error) error {
	status, ok := shownInForm(err)
	if !ok {
		return err
	}
	f.Errors = errorsOf(err, sitrepLabels)
	return u.showCase(w, r, r.PathValue("id"), "sitreps", status, f, "")
}

func (u *webUI) draftSitrep(w http.ResponseWriter, r *http.Request) error {
	f, req, ok, err := u.sitrepForm(w, r)
	if !ok {
		return err
	}
	format := f.Get("format")
	if !slices.Contains(sitrep.Formats(), format) {
		return u.failedSitrep(w, r, f, failure.Field("format", "choose one of %s", strings.Join(sitrep.Formats(), ", ")))
	}
	b, err := u.d.buildSitrep(r, r.PathValue("id"), req)
	if err != nil {
		return u.failedSitrep(w, r, f, err)
	}
	// The draft is a download, not a page: the API's renderer answers.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	return writeRendered(w, b.Document, format)
}

// checkSitrep builds the draft and shows its author, on the case page, what
// it would leave out for the chosen marking, and why — never silently.
func (u *webUI) checkSitrep(w http.ResponseWriter, r *http.Request) error {
	f, req, ok, err := u.sitrepForm(w, r)
	if !ok {
		return err
	}
	b, err := u.d.buildSitrep(r, r.PathValue("id"), req)
	if err != nil {
		return u.failedSitrep(w, r, f, err)
	}
	return u.showCase(w, r, r.PathValue("id"), "sitreps", http.StatusOK, f, "", func(p *caseRoomPage) {
		p.Withheld, p.WithheldChecked = b.Withheld, true
	})
}

func (u *webUI) publishSitrep(w http.ResponseWriter, r *http.Request) error {
	f, req, ok, err := u.sitrepForm(w, r)
	if !ok {
		return err
	}
	c := callerFrom(r.Context())
	if err := sitrep.MayPublish(req.Kind, u.d.reporter(c)); err != nil {
		return u.failedSitrep(w, r, f, err)
	}
	// Publishing cannot be undone: a version is signed and kept for good.
	if f.Get("confirm") != "yes" {
		return u.failedSitrep(w, r, f, failure.Field("confirm", "tick the box to confirm: a published version is signed and cannot be withdrawn"))
	}
	id := r.PathValue("id")
	b, err := u.d.buildSitrep(r, id, req)
	if err != nil {
		return u.failedSitrep(w, r, f, err)
	}
	p, err := u.d.Publications.Publish(r.Context(), c.User.ID, c.User.Organisation, b.Document)
	if err != nil {
		return u.failedSitrep(w, r, f, err)
	}
	return seeOther(w, r, "/cases/"+id+"?tab=sitreps#sitrep-"+string(p.Document.Kind)+"-"+strconv.Itoa(p.Document.Version))
}

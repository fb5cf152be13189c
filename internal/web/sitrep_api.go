package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/publications"
	"github.com/eucyber/blueprint/internal/sitrep"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Situation reports (R7). A draft is built from what its author may see of the
// case, for the marking the author chooses; the answer tells the author — and
// nobody else, since nobody else receives it — what was withheld and why.
// Published versions are read through the gate on their own marking.

type sitrepRequest struct {
	Kind    sitrep.Kind `json:"kind"`
	Marking tlp.Marking `json:"marking"`
}

// draftBuild is the author's answer: the document and what was left out.
type draftBuild struct {
	sitrep.Build
	Published *publications.Published `json:"published,omitempty"`
}

// buildSitrep builds a draft for the caller from their view of the case.
func (d Deps) buildSitrep(r *http.Request, id string, req sitrepRequest) (sitrep.Build, error) {
	c, err := requireUser(r)
	if err != nil {
		return sitrep.Build{}, err
	}
	v, err := d.caseView(r, id)
	if err != nil {
		return sitrep.Build{}, err
	}
	return sitrep.BuildDocument(req.Kind, sitrep.Input{
		Case: v.Case, Reports: v.Reports, Ladder: v.Ladder, Playbook: v.Playbook, ReserveClocks: v.ReserveClocks, Model: d.Model, Directory: d.Auth.Dir,
		Author:  sitrep.Author{Organisation: c.User.Organisation, User: c.User.ID, Name: c.User.DisplayName},
		Marking: req.Marking, Now: d.Cases.Now(),
	})
}

// handleDraftSitrep builds a draft; ?format= renders it (json by default, with
// the withheld counts; other formats carry the document only).
func handleDraftSitrep(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		var req sitrepRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		b, err := d.buildSitrep(r, r.PathValue("id"), req)
		if err != nil {
			return err
		}
		format := r.URL.Query().Get("format")
		if format == "" || format == "json" {
			return writeJSON(w, http.StatusOK, draftBuild{Build: b})
		}
		return writeRendered(w, b.Document, format)
	}
}

// handlePublishSitrep publishes the next version, if the caller's organisation
// is one that issues that kind of report.
func handlePublishSitrep(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var req sitrepRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		id := r.PathValue("id")
		if _, err := d.caseView(r, id); err != nil {
			return err
		}
		if err := sitrep.MayPublish(req.Kind, d.reporter(c)); err != nil {
			return err
		}
		b, err := d.buildSitrep(r, id, req)
		if err != nil {
			return err
		}
		p, err := d.Publications.Publish(r.Context(), c.User.ID, c.User.Organisation, b.Document)
		if err != nil {
			return err
		}
		w.Header().Set("Location", apiPrefix+"/cases/"+id+"/sitreps/"+string(p.Document.Kind)+"/"+strconv.Itoa(p.Document.Version))
		return writeJSON(w, http.StatusCreated, draftBuild{Build: b, Published: &p})
	}
}

// versionSummary is one line of the list of published versions.
type versionSummary struct {
	Kind         sitrep.Kind   `json:"kind"`
	Version      int           `json:"version"`
	Title        string        `json:"title"`
	Marking      tlp.Marking   `json:"marking"`
	Organisation string        `json:"organisation"`
	PublishedAt  time.Time     `json:"published_at"`
	Digest       string        `json:"digest"`
	Delta        *sitrep.Delta `json:"delta,omitempty"`
}

// handleListSitreps lists the published versions the caller may see.
func handleListSitreps(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		id := r.PathValue("id")
		if _, err := d.caseView(r, id); err != nil {
			return err
		}
		vs, err := d.Publications.Versions(r.Context(), id)
		if err != nil {
			return err
		}
		v := d.viewer(r)
		items := []versionSummary{}
		var shown []event.Event
		for _, ver := range vs {
			if !tlp.CanSee(v, itemOfEvent(ver.Event)) {
				continue
			}
			doc := ver.Published.Document
			items = append(items, versionSummary{Kind: doc.Kind, Version: doc.Version, Title: doc.Title, Marking: doc.Marking,
				Organisation: ver.Published.Organisation, PublishedAt: ver.Published.PublishedAt, Digest: ver.Published.Digest, Delta: doc.Delta})
			shown = append(shown, ver.Event)
		}
		if err := d.recordReads(r, shown); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"items": items})
	}
}

func itemOfEvent(e event.Event) tlp.Item {
	return tlp.Item{Marking: e.Marking, OwnerUser: e.Actor.User, OwnerOrganisation: e.Actor.Organisation}
}

// handleGetSitrep returns one published version in the format asked for
// (?format=html|md|pdf|json; json is the stored version with its signature).
func handleGetSitrep(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		id := r.PathValue("id")
		if _, err := d.caseView(r, id); err != nil {
			return err
		}
		ver, err := d.Publications.Get(r.Context(), id, sitrep.Kind(r.PathValue("kind")), r.PathValue("version"))
		if err != nil {
			return err
		}
		if !tlp.CanSee(d.viewer(r), itemOfEvent(ver.Event)) {
			return &failure.Error{Kind: failure.NotFound, Field: "version", Message: "no published version " + r.PathValue("version") + " of that report"}
		}
		if err := d.recordReads(r, []event.Event{ver.Event}); err != nil {
			return err
		}
		format := r.URL.Query().Get("format")
		if format == "" || format == "json" {
			return writeJSON(w, http.StatusOK, ver.Published)
		}
		return writeRendered(w, ver.Published.Document, format)
	}
}

// writeRendered renders a document; rendering goes to a buffer first so a
// failure answers with a problem, not half a PDF.
func writeRendered(w http.ResponseWriter, doc sitrep.Document, format string) error {
	if !slices.Contains(sitrep.Formats(), format) {
		return &failure.Error{Kind: failure.Invalid, Field: "format", Message: "use one of " + strings.Join(sitrep.Formats(), ", ")}
	}
	var buf bytes.Buffer
	if err := sitrep.Render(&buf, doc, format); err != nil {
		return fmt.Errorf("render %s report as %s: %w", doc.Kind, format, err)
	}
	w.Header().Set("Content-Type", sitrep.ContentType(format))
	name := "sitrep-" + string(doc.Kind)
	if doc.Version > 0 {
		name += "-v" + strconv.Itoa(doc.Version)
	} else {
		name += "-draft"
	}
	w.Header().Set("Content-Disposition", `inline; filename="`+name+sitrep.FileExtension(format)+`"`)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

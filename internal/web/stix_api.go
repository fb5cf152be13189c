package web

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/sitrep"
	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/tlp"
)

// STIX 2.1 in and out of the JSON API (R16): a case's export for the caller,
// the import of a bundle, and the versions of a shared object. Both ways go
// through the TLP gate: an export holds only the caller's view, and what an
// import stores is seen by the audience its marking names.

// handleExportCase answers a case as a STIX bundle: what the caller may see of
// it, up to the ?tlp= ceiling (default: everything the caller may see). What
// the ceiling left out is counted in the Blueprint-Withheld header.
func handleExportCase(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		ceiling := tlp.Red
		if s := r.URL.Query().Get("tlp"); s != "" {
			l, err := tlp.ParseLabel(s)
			if err != nil {
				return failure.Field("tlp", "%v", err)
			}
			ceiling = l
		}
		v, err := d.caseView(r, r.PathValue("id"))
		if err != nil {
			return err
		}
		sitreps, err := d.visibleSitreps(r, v.Case.ID)
		if err != nil {
			return err
		}
		ex, err := stix.ExportCase(stix.ExportInput{Case: v.Case, Reports: v.Reports, Sitreps: sitreps, Ceiling: ceiling,
			OrganisationName: func(id string) string {
				if o, ok := d.Auth.Dir.Organisation(id); ok {
					return o.Name
				}
				return id
			}})
		if err != nil {
			return err
		}
		body, err := json.MarshalIndent(ex.Bundle, "", "  ")
		if err != nil {
			return err
		}
		withheld := 0
		for _, n := range ex.Withheld {
			withheld += n
		}
		w.Header().Set("Content-Type", stix.MediaType)
		w.Header().Set("Content-Disposition", `attachment; filename="case-`+v.Case.ID+`.stix.json"`)
		w.Header().Set("Blueprint-Withheld", strconv.Itoa(withheld))
		_, err = w.Write(append(body, '\n'))
		return err
	}
}

// visibleSitreps are the published situation reports of a case the caller may
// see, rendered in Markdown for the STIX report's description; reading them
// is audited like any other read.
func (d Deps) visibleSitreps(r *http.Request, caseID string) ([]stix.PublishedSitrep, error) {
	vs, err := d.Publications.Versions(r.Context(), caseID)
	if err != nil {
		return nil, err
	}
	viewer := d.viewer(r)
	var out []stix.PublishedSitrep
	var shown []event.Event
	for _, ver := range vs {
		if !tlp.CanSee(viewer, itemOfEvent(ver.Event)) {
			continue
		}
		doc := ver.Published.Document
		var md bytes.Buffer
		if err := sitrep.Render(&md, doc, sitrep.FormatMarkdown); err != nil {
			return nil, err
		}
		out = append(out, stix.PublishedSitrep{Case: caseID, Kind: string(doc.Kind), Version: doc.Version, Title: doc.Title,
			Markdown: md.String(), Marking: doc.Marking, Organisation: ver.Published.Organisation, PublishedAt: ver.Published.PublishedAt})
		shown = append(shown, ver.Event)
	}
	return out, d.recordReads(r, shown)
}

// maxBundleBytes bounds an imported bundle; a larger one is split (the CLI
// sends 100 objects at a time).
const maxBundleBytes = 32 << 20

// importResult is the answer to an import: every object's fate.
type importResult struct {
	Total      int            `json:"total"`
	Added      int            `json:"added"`
	Duplicates int            `json:"duplicates"`
	Known      int            `json:"definitions"`
	Refused    []stix.Refusal `json:"refused"`
	Results    []intel.Result `json:"results"`
}

// handleImportBundle stores the accepted objects of a STIX 2.1 bundle, each
// under its TLP label and the ?audience= the caller names (kind:id,id; by
// default their organisation for AMBER and their own eyes for RED), and says
// for every refused object why. Nothing is stored for a body that is not a
// bundle.
func handleImportBundle(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		if c.User.Role == "viewer" {
			return failure.New(failure.Forbidden, "viewers read; an analyst, coordinator or admin of your organisation imports STIX")
		}
		if ct := r.Header.Get("Content-Type"); ct != "" {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || (mt != "application/json" && mt != "application/stix+json") {
				return failure.New(failure.Invalid, "the body must be a STIX bundle (Content-Type: %s or application/json), not %q", stix.MediaType, ct)
			}
		}
		var audience *tlp.Audience
		if s := r.URL.Query().Get("audience"); s != "" {
			a, err := tlp.ParseAudience(s)
			if err != nil {
				return failure.Field("audience", "%v", err)
			}
			audience = &a
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBundleBytes+1))
		if err != nil {
			return failure.Wrap(failure.Invalid, err, "could not read the request body")
		}
		if len(body) > maxBundleBytes {
			return failure.New(failure.Invalid, "the bundle is larger than %d MiB: split it (blueprint import stix sends 100 objects at a time)", maxBundleBytes>>20)
		}
		read, err := stix.ReadBundle(body)
		if err != nil {
			return failure.New(failure.Invalid, "%s", "the body is not a STIX 2.1 bundle: "+err.Error())
		}
		who := intel.Actor{User: c.User.ID, Organisation: c.User.Organisation}
		res := importResult{Total: len(read.Objects) + len(read.Refused), Refused: read.Refused, Results: []intel.Result{}}
		if res.Refused == nil {
			res.Refused = []stix.Refusal{}
		}
		// Every marking first: an audience that does not fit one of the
		// labels refuses the request before anything is stored; then all the
		// objects are stored in one transaction.
		var objs []stix.Object
		var markings []tlp.Marking
		for _, o := range read.Objects {
			if o.Definition {
				res.Known++
				continue
			}
			m, err := intel.MarkingFor(o.Label, who, audience)
			if err != nil {
				return err
			}
			objs, markings = append(objs, o), append(markings, m)
		}
		outs, err := d.Intel.AddBatch(r.Context(), who, objs, markings)
		if err != nil {
			return err
		}
		for _, out := range outs {
			if out.Outcome == intel.Added {
				res.Added++
			} else {
				res.Duplicates++
			}
			res.Results = append(res.Results, out)
		}
		return writeJSON(w, http.StatusOK, res)
	}
}

// handleSharedObject answers the versions of a shared object the caller may
// see, oldest first; the last is the current one.
func handleSharedObject(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		viewer := d.viewer(r)
		vs, err := d.Intel.Versions(r.Context(), r.PathValue("id"), func(it tlp.Item) bool { return tlp.CanSee(viewer, it) })
		if err != nil {
			return err
		}
		shown := make([]event.Event, len(vs))
		for i, v := range vs {
			shown[i] = event.Event{ID: v.Event, Marking: v.Marking, Actor: event.Actor{User: v.User, Organisation: v.Organisation}}
		}
		if err := d.recordReads(r, shown); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"versions": vs})
	}
}

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/taxii"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The TAXII 2.1 server (R16; STANDARDS.md §1, section numbers below are the
// TAXII 2.1 specification's). Discovery is /taxii2/ and the one API root is
// /taxii2/blueprint/. Collections are audiences at a TLP label
// (internal/taxii): a client sees the collections the TLP gate lets it read,
// and what it posts is stored under the collection's marking. Clients
// authenticate with HTTP Basic (a user's name and password) or an API token
// (Bearer); cookies are not read here.

const (
	taxiiMediaType = "application/taxii+json;version=2.1"
	taxiiPrefix    = "/taxii2/"
	taxiiRoot      = taxiiPrefix + "blueprint/"
	// taxiiMaxContent is the API root's max_content_length (§4.2.1).
	taxiiMaxContent = maxBundleBytes
	statusKind      = "taxii-status"
)

// taxiiError is the error resource (§3.6.1); http_status is a string.
type taxiiError struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	HTTPStatus  string `json:"http_status"`
}

// taxiiFail is an error the server answers with that status and description.
type taxiiFail struct {
	status int
	desc   string
}

func (e *taxiiFail) Error() string { return e.desc }

func taxiiErr(status int, format string, args ...any) error {
	return &taxiiFail{status: status, desc: fmt.Sprintf(format, args...)}
}

// taxiiServer serves /taxii2/.
type taxiiServer struct {
	d     Deps
	index *taxii.Index
}

func newTAXIIServer(d Deps) *taxiiServer {
	if d.TAXIIIndex != nil {
		return &taxiiServer{d: d, index: d.TAXIIIndex}
	}
	return &taxiiServer{d: d, index: &taxii.Index{Store: d.Store}}
}

func (s *taxiiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := acceptsTAXII(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.authenticate(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The client is the request's caller from here, for the audit of reads.
	r = r.WithContext(context.WithValue(r.Context(), callerKey{}, caller{User: u, Via: "taxii"}))
	if err := s.route(w, r, u); err != nil {
		s.writeError(w, r, err)
	}
}

func (s *taxiiServer) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, desc := http.StatusInternalServerError, "the server could not answer; the operator can find the details in the node's log"
	var tf *taxiiFail
	switch {
	case errors.As(err, &tf):
		status, desc = tf.status, tf.desc
	case failure.Is(err, failure.NotFound):
		status, desc = http.StatusNotFound, "not found"
	case failure.Is(err, failure.Unauthenticated), failure.Is(err, failure.Throttled):
		status, desc = http.StatusUnauthorized, err.Error()
	case failure.Is(err, failure.Forbidden):
		status, desc = http.StatusForbidden, err.Error()
	case failure.Is(err, failure.Invalid):
		status, desc = http.StatusUnprocessableEntity, err.Error()
	default:
		s.d.Logger.Error("taxii request failed", "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Add("WWW-Authenticate", `Basic realm="blueprint TAXII", charset="UTF-8"`)
		w.Header().Add("WWW-Authenticate", `Bearer realm="blueprint TAXII"`)
	}
	writeTAXII(w, status, taxiiError{Title: http.StatusText(status), Description: desc, HTTPStatus: strconv.Itoa(status)})
}

func writeTAXII(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"title":"Internal Server Error","http_status":"500"}`)
	}
	w.Header().Set("Content-Type", taxiiMediaType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// route sends a request to its endpoint (§3.1, §4, §5).
func (s *taxiiServer) route(w http.ResponseWriter, r *http.Request, u auth.User) error {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, taxiiPrefix), "/")
	// Every TAXII path ends with a slash (§3.1): the last part is empty.
	if parts[len(parts)-1] != "" {
		return taxiiErr(http.StatusNotFound, "TAXII paths end with a slash")
	}
	parts = parts[:len(parts)-1]
	get := r.Method == http.MethodGet
	switch {
	case len(parts) == 0 && get:
		return s.discovery(w)
	case len(parts) == 0 || parts[0] != "blueprint":
		return taxiiErr(http.StatusNotFound, "no such TAXII endpoint; discovery is at /taxii2/")
	case len(parts) == 1 && get:
		return s.apiRoot(w)
	case len(parts) == 3 && parts[1] == "status" && get:
		return s.status(w, r, u, parts[2])
	case len(parts) == 2 && parts[1] == "collections" && get:
		return s.collections(w, r, u)
	case len(parts) >= 3 && parts[1] == "collections":
		return s.collectionEndpoint(w, r, u, parts[2], parts[3:])
	}
	return taxiiErr(http.StatusNotFound, "no such TAXII endpoint")
}

func (s *taxiiServer) collectionEndpoint(w http.ResponseWriter, r *http.Request, u auth.User, cid string, rest []string) error {
	c, read, write, err := s.collection(u, cid)
	if err != nil {
		return err
	}
	m := r.Method
	switch {
	case len(rest) == 0 && m == http.MethodGet:
		return writeJSONTAXII(w, collectionResource(c, read, write))
	case len(rest) == 1 && rest[0] == "manifest" && m == http.MethodGet:
		return s.manifest(w, r, u, c)
	case len(rest) == 1 && rest[0] == "objects" && m == http.MethodGet:
		return s.getObjects(w, r, u, c, "")
	case len(rest) == 1 && rest[0] == "objects" && m == http.MethodPost:
		return s.addObjects(w, r, u, c, write)
	case len(rest) == 2 && rest[0] == "objects" && m == http.MethodGet:
		return s.getObjects(w, r, u, c, rest[1])
	case len(rest) == 2 && rest[0] == "objects" && m == http.MethodDelete:
		return s.deleteObject(w, r, u, c, rest[1], write)
	case len(rest) == 3 && rest[0] == "objects" && rest[2] == "versions" && m == http.MethodGet:
		return s.versions(w, r, c, rest[1])
	}
	return taxiiErr(http.StatusNotFound, "no such TAXII endpoint")
}

func writeJSONTAXII(w http.ResponseWriter, v any) error {
	writeTAXII(w, http.StatusOK, v)
	return nil
}

// acceptsTAXII checks the Accept header (§1.6.8): it must accept the TAXII
// media type, version 2.1 or unversioned (the latest this server has).
func acceptsTAXII(r *http.Request) error {
	// Accept may come as several header lines: one list (RFC 9110 §5.3).
	for _, part := range strings.Split(strings.Join(r.Header.Values("Accept"), ","), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || mt != "application/taxii+json" {
			continue
		}
		if v, ok := params["version"]; !ok || v == "2.1" {
			return nil
		}
	}
	return taxiiErr(http.StatusNotAcceptable, "send Accept: %s", taxiiMediaType)
}

// authenticate reads HTTP Basic (a user's name and password) or a bearer API
// token. Without either the answer is 401 with the challenges (§1.6.9).
func (s *taxiiServer) authenticate(r *http.Request) (auth.User, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return auth.User{}, taxiiErr(http.StatusUnauthorized, "authenticate with HTTP Basic (your user name and password) or an API token (Bearer)")
	}
	if user, pass, ok := r.BasicAuth(); ok {
		u, err := s.d.Auth.Authenticate(r.Context(), user, pass, clientAddr(r))
		if err != nil {
			return auth.User{}, taxiiErr(http.StatusUnauthorized, "the user name or password is not right, or the account is disabled")
		}
		return u, nil
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return auth.User{}, taxiiErr(http.StatusUnauthorized, "the Authorization header must be Basic or Bearer")
	}
	u, _, err := s.d.Auth.TokenUser(r.Context(), strings.TrimSpace(token), clientAddr(r))
	if err != nil {
		return auth.User{}, taxiiErr(http.StatusUnauthorized, "the API token is not valid")
	}
	return u, nil
}

func (s *taxiiServer) discovery(w http.ResponseWriter) error {
	return writeJSONTAXII(w, map[string]any{
		"title":       "blueprint node",
		"description": "TAXII 2.1 server of a node of the EU Blueprint for cyber crisis management (Council Recommendation 9794/25): collections are audiences at a TLP label.",
		"default":     taxiiRoot,
		"api_roots":   []string{taxiiRoot},
	})
}

func (s *taxiiServer) apiRoot(w http.ResponseWriter) error {
	return writeJSONTAXII(w, map[string]any{
		"title": "blueprint", "description": "Shared STIX 2.1 objects, by audience and TLP label.",
		"versions": []string{taxiiMediaType}, "max_content_length": taxiiMaxContent,
	})
}

// collectionsFor are the node's collections, from the directory as it is.
func (s *taxiiServer) collectionsFor() []taxii.Collection {
	var orgs []taxii.Organisation
	for _, o := range s.d.Auth.Dir.Organisations() {
		orgs = append(orgs, taxii.Organisation{ID: o.ID, Name: o.Name, Audiences: o.Audiences()})
	}
	return taxii.Collections(orgs)
}

// access says whether the user may read and write a collection: read if the
// gate lets them see an item with its marking, write if they may also share
// (an analyst or above).
func (s *taxiiServer) access(u auth.User, c taxii.Collection) (read, write bool) {
	read = tlp.CanSee(s.d.Auth.Dir.Viewer(u.ID, ""), tlp.Item{Marking: c.Marking})
	return read, read && u.Role != auth.RoleViewer
}

// collection finds a collection the user may read; one they may not is not
// found, as one that does not exist (§5.2: 404 allowed).
func (s *taxiiServer) collection(u auth.User, key string) (taxii.Collection, bool, bool, error) {
	c, ok := taxii.Find(s.collectionsFor(), key)
	if !ok {
		return c, false, false, taxiiErr(http.StatusNotFound, "no collection %q that you may read", key)
	}
	read, write := s.access(u, c)
	if !read {
		return c, false, false, taxiiErr(http.StatusNotFound, "no collection %q that you may read", key)
	}
	return c, read, write, nil
}

func collectionResource(c taxii.Collection, read, write bool) map[string]any {
	return map[string]any{"id": c.ID, "title": c.Title, "description": c.Description, "alias": c.Alias,
		"can_read": read, "can_write": write, "media_types": []string{stix.MediaType}}
}

func (s *taxiiServer) collections(w http.ResponseWriter, _ *http.Request, u auth.User) error {
	var list []map[string]any
	for _, c := range s.collectionsFor() {
		if read, write := s.access(u, c); read {
			list = append(list, collectionResource(c, read, write))
		}
	}
	if len(list) == 0 {
		return writeJSONTAXII(w, map[string]any{})
	}
	return writeJSONTAXII(w, map[string]any{"collections": list})
}

// pageOf parses the query, opens next, and runs it against the index.
func (s *taxiiServer) pageOf(r *http.Request, c taxii.Collection, purpose, only string, versions bool) (taxii.Page, taxii.Query, error) {
	q, err := taxii.ParseQuery(r.URL.Query())
	if err != nil {
		return taxii.Page{}, q, taxiiErr(http.StatusBadRequest, "%s", err.Error())
	}
	var after int64
	if q.Next != "" {
		if after, err = s.d.Cursors.open(purpose+":"+c.ID+":"+only, q.Next); err != nil {
			return taxii.Page{}, q, taxiiErr(http.StatusBadRequest, "next: %v", err)
		}
	}
	if err := s.index.Refresh(r.Context()); err != nil {
		return taxii.Page{}, q, err
	}
	if versions {
		return s.index.Versions(c, q, after, only), q, nil
	}
	return s.index.Query(c, q, after, only), q, nil
}

// pageHeaders sets X-TAXII-Date-Added-First and -Last (§3.2), which every
// page carries. An empty page has no object to date: both are then the
// query's added_after, or the epoch, so a client that goes on with
// added_after=<Last> misses nothing.
func pageHeaders(w http.ResponseWriter, p taxii.Page, q taxii.Query) {
	if len(p.Entries) == 0 {
		t := taxii.Timestamp(q.AddedAfter)
		if q.AddedAfter.IsZero() {
			t = taxii.Timestamp(time.Unix(0, 0))
		}
		w.Header().Set("X-TAXII-Date-Added-First", t)
		w.Header().Set("X-TAXII-Date-Added-Last", t)
		return
	}
	w.Header().Set("X-TAXII-Date-Added-First", taxii.Timestamp(p.Entries[0].DateAdded))
	w.Header().Set("X-TAXII-Date-Added-Last", taxii.Timestamp(p.Entries[len(p.Entries)-1].DateAdded))
}

func (s *taxiiServer) manifest(w http.ResponseWriter, r *http.Request, u auth.User, c taxii.Collection) error {
	p, q, err := s.pageOf(r, c, "manifest", "", false)
	if err != nil {
		return err
	}
	res := map[string]any{}
	var records []map[string]any
	for _, e := range p.Entries {
		records = append(records, map[string]any{"id": e.ID, "date_added": taxii.Timestamp(e.DateAdded), "version": e.Version, "media_type": stix.MediaType})
	}
	if len(records) > 0 {
		res["objects"] = records
	}
	if p.More {
		res["more"] = true
	}
	pageHeaders(w, p, q)
	return writeJSONTAXII(w, res)
}

// getObjects answers an envelope of a collection's objects, or of one
// object's versions (§5.4, §5.6).
func (s *taxiiServer) getObjects(w http.ResponseWriter, r *http.Request, u auth.User, c taxii.Collection, only string) error {
	if only != "" {
		if _, ok := stix.TypeOf(only); !ok {
			return taxiiErr(http.StatusNotFound, "%q is not a STIX identifier", only)
		}
	}
	p, q, err := s.pageOf(r, c, "objects", only, false)
	if err != nil {
		return err
	}
	if only != "" && len(p.Entries) == 0 {
		return taxiiErr(http.StatusNotFound, "no object %s in this collection matches", only)
	}
	objects := make([]json.RawMessage, 0, len(p.Entries))
	shown := make([]event.Event, 0, len(p.Entries))
	viewer := s.d.Auth.Dir.Viewer(u.ID, "")
	for _, e := range p.Entries {
		vs, err := s.d.Intel.Versions(r.Context(), e.ID, func(it tlp.Item) bool { return tlp.CanSee(viewer, it) })
		if err != nil {
			return err
		}
		for _, v := range vs {
			if v.Event == e.Event {
				objects = append(objects, v.Object)
				shown = append(shown, event.Event{ID: v.Event, Marking: v.Marking, Actor: event.Actor{User: v.User, Organisation: v.Organisation}})
			}
		}
	}
	if err := s.d.recordReads(r, shown); err != nil {
		return err
	}
	env := map[string]any{}
	if len(objects) > 0 {
		env["objects"] = objects
	}
	if p.More {
		env["more"] = true
		env["next"] = s.d.Cursors.seal("objects:"+c.ID+":"+only, p.Entries[len(p.Entries)-1].Position)
	}
	pageHeaders(w, p, q)
	return writeJSONTAXII(w, env)
}

func (s *taxiiServer) versions(w http.ResponseWriter, r *http.Request, c taxii.Collection, id string) error {
	p, q, err := s.pageOf(r, c, "versions", id, true)
	if err != nil {
		return err
	}
	if len(p.Entries) == 0 {
		return taxiiErr(http.StatusNotFound, "no object %s in this collection", id)
	}
	vs := make([]string, len(p.Entries))
	for i, e := range p.Entries {
		vs[i] = e.Version
	}
	res := map[string]any{"versions": vs}
	if p.More {
		res["more"] = true
	}
	pageHeaders(w, p, q)
	return writeJSONTAXII(w, res)
}

// statusDetails is one object in a status resource (§4.3.1).
type statusDetails struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Message string `json:"message,omitempty"`
}

// statusResource is the status of an add-objects request; this server adds
// synchronously, so it is complete when it is answered.
type statusResource struct {
	ID               string          `json:"id"`
	Status           string          `json:"status"`
	RequestTimestamp string          `json:"request_timestamp"`
	TotalCount       int             `json:"total_count"`
	SuccessCount     int             `json:"success_count"`
	Successes        []statusDetails `json:"successes,omitempty"`
	FailureCount     int             `json:"failure_count"`
	Failures         []statusDetails `json:"failures,omitempty"`
	PendingCount     int             `json:"pending_count"`
}

// addObjects stores an envelope's objects in the collection (§5.5): each is
// stored under the collection's marking, unless its own TLP label is more
// restrictive than the collection's, or it is unmarked, classified or not
// valid STIX 2.1 — each such a failure in the status, with the reason.
func (s *taxiiServer) addObjects(w http.ResponseWriter, r *http.Request, u auth.User, c taxii.Collection, write bool) error {
	if !write {
		return taxiiErr(http.StatusForbidden, "your role may read this collection, not add to it")
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/taxii+json" || (params["version"] != "" && params["version"] != "2.1") {
		return taxiiErr(http.StatusUnsupportedMediaType, "send the envelope with Content-Type: %s", taxiiMediaType)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, taxiiMaxContent+1))
	if err != nil {
		return taxiiErr(http.StatusBadRequest, "could not read the body")
	}
	if len(body) > taxiiMaxContent {
		return taxiiErr(http.StatusRequestEntityTooLarge, "the envelope is larger than max_content_length (%d bytes)", taxiiMaxContent)
	}
	var env struct {
		Objects []json.RawMessage `json:"objects"`
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '{' {
		return taxiiErr(http.StatusUnprocessableEntity, "the body is not a TAXII envelope: send a JSON object with \"objects\"")
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return taxiiErr(http.StatusUnprocessableEntity, "the body is not a TAXII envelope: %v", err)
	}
	read, err := stix.ReadObjects(env.Objects)
	if err != nil {
		return taxiiErr(http.StatusUnprocessableEntity, "%s", err.Error())
	}
	now := s.d.Cases.Now().UTC()
	st := statusResource{ID: newStatusID(), Status: "complete", RequestTimestamp: taxii.Timestamp(now), TotalCount: len(env.Objects)}
	who := intel.Actor{User: u.ID, Organisation: u.Organisation}
	// The objects the collection takes are stored in one transaction.
	var objs []stix.Object
	var markings []tlp.Marking
	for _, o := range read.Objects {
		if !o.Definition && o.Label.Rank() <= c.Marking.TLP.Rank() {
			objs, markings = append(objs, o), append(markings, c.Marking)
		}
	}
	stored, err := s.d.Intel.AddBatch(r.Context(), who, objs, markings)
	if err != nil {
		return err
	}
	for _, o := range read.Objects {
		d := statusDetails{ID: o.ID, Version: versionOrUnknown(o.Version)}
		switch {
		case o.Definition:
			d.Message = "a definition this server knows; not stored"
		case o.Label.Rank() > c.Marking.TLP.Rank():
			d.Message = fmt.Sprintf("marked %s, more restrictive than this collection's %s: post it to a collection for its audience", o.Label, c.Marking.TLP)
			st.Failures = append(st.Failures, d)
			continue
		default:
			if stored[0].Outcome == intel.Duplicate {
				d.Message = "already in the collection"
			}
			stored = stored[1:]
		}
		st.Successes = append(st.Successes, d)
	}
	for _, rf := range read.Refused {
		id := rf.ID
		if id == "" {
			id = fmt.Sprintf("objects[%d]", rf.Index)
		}
		st.Failures = append(st.Failures, statusDetails{ID: id, Version: versionOrUnknown(rf.Version), Message: rf.Reason})
	}
	st.SuccessCount, st.FailureCount = len(st.Successes), len(st.Failures)
	if err := s.saveStatus(r, u, st); err != nil {
		return err
	}
	writeTAXII(w, http.StatusAccepted, st)
	return nil
}

func versionOrUnknown(v string) string {
	if v == "" {
		return "unknown"
	}
	return v
}

func (s *taxiiServer) deleteObject(w http.ResponseWriter, r *http.Request, u auth.User, c taxii.Collection, id string, write bool) error {
	if !write {
		return taxiiErr(http.StatusForbidden, "your role may read this collection, not delete from it")
	}
	q, err := taxii.ParseQuery(r.URL.Query())
	if err != nil {
		return taxiiErr(http.StatusBadRequest, "%s", err.Error())
	}
	if q.SpecVersions != nil && !slices.Contains(q.SpecVersions, stix.SpecVersion) {
		return taxiiErr(http.StatusNotFound, "no object %s of those spec versions in this collection", id)
	}
	if err := s.index.Refresh(r.Context()); err != nil {
		return err
	}
	live := s.index.Live(c, id, q.Versions)
	if len(live) == 0 {
		return taxiiErr(http.StatusNotFound, "no object %s in this collection matches", id)
	}
	var versions []string
	for _, e := range live {
		if e.Organisation != u.Organisation {
			return taxiiErr(http.StatusForbidden, "a version of %s was shared by another organisation: only the organisation that shared a version may delete it", id)
		}
		versions = append(versions, e.Version)
	}
	if err := s.d.Intel.Withdraw(r.Context(), intel.Actor{User: u.ID, Organisation: u.Organisation}, id, versions, c.Marking); err != nil {
		return err
	}
	w.Header().Set("Content-Type", taxiiMediaType)
	w.WriteHeader(http.StatusOK)
	return nil
}

// Status resources are kept as events, marked TLP:RED for the client that
// posted: they name the objects sent, and outlive a restart (§4.3: at least
// 24 hours).
func (s *taxiiServer) saveStatus(r *http.Request, u auth.User, st statusResource) error {
	payload, err := json.Marshal(st)
	if err != nil {
		return err
	}
	eid, err := event.NewID()
	if err != nil {
		return err
	}
	now := s.d.Cases.Now().UTC()
	e := event.Event{ID: eid, Stream: "taxii-status-" + st.ID, Version: 1, Type: "taxii.status", OccurredAt: now, RecordedAt: now,
		Actor:   event.Actor{User: u.ID, Organisation: u.Organisation},
		Marking: tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Users, IDs: []string{u.ID}}}, Payload: payload}
	_, err = s.d.Store.Append(r.Context(), store.AppendRequest{Stream: e.Stream, Kind: statusKind, Events: []event.Event{e}})
	return err
}

func (s *taxiiServer) status(w http.ResponseWriter, r *http.Request, u auth.User, id string) error {
	recs, err := s.d.Store.ReadStream(r.Context(), "taxii-status-"+id, 0)
	if err != nil {
		return err
	}
	viewer := s.d.Auth.Dir.Viewer(u.ID, "")
	if len(recs) == 0 || !tlp.CanSee(viewer, itemOfEvent(recs[0].Event)) {
		return taxiiErr(http.StatusNotFound, "no status %q of yours", id)
	}
	var st statusResource
	if err := json.Unmarshal(recs[0].Event.Payload, &st); err != nil {
		return err
	}
	return writeJSONTAXII(w, st)
}

// newStatusID is a status identifier: a version 4 UUID (§2, §4.3.1).
func newStatusID() string { return uuid.NewString() }

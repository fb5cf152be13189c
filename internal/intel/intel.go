// Package intel keeps the STIX 2.1 objects organisations share with the node
// (R16) — imported from a bundle or, later, posted to a TAXII collection —
// every version of every object, each under the TLP marking it arrived with.
//
// An object's versions live in one stream ("stix-<id>"); each event is one
// version as one organisation shared it. Nothing is overwritten: a newer
// version never replaces an older one, an older one arriving late is kept
// beside the newer, and the newest a viewer may see is what they read. The
// same version shared again by the same organisation is a duplicate and
// changes nothing; shared by another organisation it is that organisation's
// copy, under its own marking — deduplicating across organisations would
// leave the second one unable to see what it shared.
package intel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Kind is the stream kind of shared objects.
const Kind = "stix-object"

// EventVersionAdded is one version of an object, shared by one organisation.
const EventVersionAdded = "stix.version-added"

// EventVersionsWithdrawn withdraws versions of an object from the audience of
// its marking: a TAXII DELETE (§5.7). The versions stay in the log, which
// keeps everything; readers with that marking no longer get them.
const EventVersionsWithdrawn = "stix.versions-withdrawn"

// Service stores and reads shared objects.
type Service struct {
	Store store.Store
	Now   func() time.Time
}

// Actor is who shares.
type Actor struct {
	User, Organisation string
}

// Outcome says what adding one object did.
type Outcome string

const (
	Added     Outcome = "added"
	Duplicate Outcome = "duplicate" // this organisation had shared this version already
)

// Result is what happened to one object.
type Result struct {
	ID      string  `json:"id"`
	Version string  `json:"version"`
	Outcome Outcome `json:"outcome"`
	// Current is false when a newer version was already stored: the object
	// was kept, and the newer version is still the one readers get.
	Current bool `json:"current"`
}

// versionAdded is the event's payload.
type versionAdded struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Version string          `json:"version"`
	Object  json.RawMessage `json:"object"`
}

type versionsWithdrawn struct {
	ID       string   `json:"id"`
	Versions []string `json:"versions"`
}

// Version is one stored version as a reader gets it.
type Version struct {
	ID           string          `json:"id"`
	Type         string          `json:"type"`
	Version      string          `json:"version"`
	DateAdded    time.Time       `json:"date_added"`
	Organisation string          `json:"organisation"`
	Marking      tlp.Marking     `json:"marking"`
	Object       json.RawMessage `json:"object"`
	Event        string          `json:"-"`
	User         string          `json:"-"`
}

// summary is a stream's snapshot: the versions it holds, for deduplication
// without reading the objects.
type summary struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Versions []versionRef `json:"versions"`
}

type versionRef struct {
	Version      string `json:"version"`
	Organisation string `json:"organisation"`
}

func streamOf(id string) string { return "stix-" + id }

// Add stores one accepted object under the marking, unless the organisation
// shared this very version already.
func (s *Service) Add(ctx context.Context, who Actor, o stix.Object, m tlp.Marking) (Result, error) {
	res, err := s.AddBatch(ctx, who, []stix.Object{o}, []tlp.Marking{m})
	if err != nil {
		return Result{}, err
	}
	return res[0], nil
}

// AddBatch stores objects, each under its marking, in one transaction — what
// one TAXII post or import request holds: all of them or, on an error, none.
// Results are in the objects' order.
func (s *Service) AddBatch(ctx context.Context, who Actor, objs []stix.Object, markings []tlp.Marking) ([]Result, error) {
	if len(objs) != len(markings) {
		return nil, fmt.Errorf("intel: %d objects, %d markings", len(objs), len(markings))
	}
	for i, o := range objs {
		if o.Definition {
			return nil, failure.New(failure.Invalid, "%s is a definition the node knows; it is not stored", o.ID)
		}
		if err := markings[i].Validate(); err != nil {
			return nil, failure.Field("marking", "%v", err)
		}
	}
	for attempt := 0; ; attempt++ {
		res, err := s.addBatch(ctx, who, objs, markings)
		var ce *store.ConflictError
		if errors.As(err, &ce) && attempt < 3 {
			continue // another version of one of the objects landed meanwhile
		}
		return res, err
	}
}

// pendingObject is one object's stream in a batch: what it holds, and the
// events the batch adds to it.
type pendingObject struct {
	sum     summary
	version int64
	events  []event.Event
}

func (s *Service) addBatch(ctx context.Context, who Actor, objs []stix.Object, markings []tlp.Marking) ([]Result, error) {
	pending := map[string]*pendingObject{}
	var order []string
	results := make([]Result, len(objs))
	now := s.Now().UTC()
	for i, o := range objs {
		p := pending[o.ID]
		if p == nil {
			sum, version, err := s.summary(ctx, o.ID)
			if err != nil {
				return nil, err
			}
			p = &pendingObject{sum: sum, version: version}
			pending[o.ID] = p
			order = append(order, o.ID)
		}
		res := Result{ID: o.ID, Version: o.Version, Outcome: Added, Current: true}
		incoming, _ := stix.ParseTimestamp(o.Version)
		for _, v := range p.sum.Versions {
			t, _ := stix.ParseTimestamp(v.Version)
			if t.Equal(incoming) && v.Organisation == who.Organisation {
				res.Outcome = Duplicate
			}
			if t.After(incoming) {
				res.Current = false
			}
		}
		results[i] = res
		if res.Outcome == Duplicate {
			continue
		}
		eid, err := event.NewID()
		if err != nil {
			return nil, err
		}
		payload, err := json.Marshal(versionAdded{ID: o.ID, Type: o.Type, Version: o.Version, Object: o.Raw})
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", o.ID, err)
		}
		p.sum.ID, p.sum.Type = o.ID, o.Type
		p.sum.Versions = append(p.sum.Versions, versionRef{Version: o.Version, Organisation: who.Organisation})
		p.events = append(p.events, event.Event{ID: eid, Stream: streamOf(o.ID), Version: p.version + int64(len(p.events)) + 1,
			Type: EventVersionAdded, OccurredAt: now, RecordedAt: now, Actor: event.Actor{User: who.User, Organisation: who.Organisation},
			Marking: markings[i], Payload: payload})
	}
	var reqs []store.AppendRequest
	for _, id := range order {
		p := pending[id]
		if len(p.events) == 0 {
			continue
		}
		snap, err := json.Marshal(p.sum)
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, store.AppendRequest{Stream: streamOf(id), Kind: Kind, ExpectedVersion: p.version, Events: p.events, Snapshot: snap})
	}
	if len(reqs) > 0 {
		if _, err := s.Store.AppendBatch(ctx, reqs); err != nil {
			return nil, err
		}
	}
	return results, nil
}

func (s *Service) summary(ctx context.Context, id string) (summary, int64, error) {
	snap, err := s.Store.Snapshot(ctx, streamOf(id))
	if failure.Is(err, failure.NotFound) {
		return summary{}, 0, nil
	}
	if err != nil {
		return summary{}, 0, err
	}
	var sum summary
	if err := json.Unmarshal(snap.Data, &sum); err != nil {
		return summary{}, 0, fmt.Errorf("object %s: snapshot: %w", id, err)
	}
	return sum, snap.Version, nil
}

// Versions returns the versions of an object the viewer may see, oldest
// version first (by STIX version, then by when they were added). An object
// of which the viewer may see nothing is not found.
func (s *Service) Versions(ctx context.Context, id string, see func(tlp.Item) bool) ([]Version, error) {
	if _, ok := stix.TypeOf(id); !ok {
		return nil, failure.New(failure.NotFound, "no shared object with that id")
	}
	recs, err := s.Store.ReadStream(ctx, streamOf(id), 0)
	if err != nil {
		return nil, err
	}
	var out []Version
	for _, rec := range recs {
		e := rec.Event
		if !see(tlp.Item{Marking: e.Marking, OwnerUser: e.Actor.User, OwnerOrganisation: e.Actor.Organisation}) {
			continue
		}
		switch e.Type {
		case EventVersionAdded:
			v, err := VersionOf(e)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		case EventVersionsWithdrawn:
			w, err := WithdrawnOf(e)
			if err != nil {
				return nil, err
			}
			out = slices.DeleteFunc(out, func(v Version) bool { return Withdraws(e, w, v) })
		}
	}
	if len(out) == 0 {
		return nil, failure.New(failure.NotFound, "no shared object with that id")
	}
	slices.SortStableFunc(out, func(a, b Version) int {
		ta, _ := stix.ParseTimestamp(a.Version)
		tb, _ := stix.ParseTimestamp(b.Version)
		return ta.Compare(tb)
	})
	return out, nil
}

// MarkingFor is the marking an object shared with label l gets here. STIX
// carries the label only; the audience is the sharer's to name. Without one:
// CLEAR is for the public and GREEN for the platform's community, as TLP 2.0
// says; AMBER and AMBER+STRICT stay with the sharer's organisation and RED
// with the sharer, until they share them wider.
func MarkingFor(l tlp.Label, who Actor, audience *tlp.Audience) (tlp.Marking, error) {
	m := tlp.Marking{TLP: l}
	switch {
	case audience != nil:
		m.Audience = *audience
	case l == tlp.Clear:
		m.Audience = tlp.Audience{Kind: tlp.Public}
	case l == tlp.Green:
		m.Audience = tlp.Audience{Kind: tlp.Community}
	case l == tlp.Red:
		m.Audience = tlp.Audience{Kind: tlp.Users, IDs: []string{who.User}}
	default:
		m.Audience = tlp.Audience{Kind: tlp.Organisations, IDs: []string{who.Organisation}}
	}
	if err := m.Validate(); err != nil {
		return m, failure.Field("audience", "for objects marked %s: %v", l, err)
	}
	return m, nil
}

// VersionOf reads a version from its event.
func VersionOf(e event.Event) (Version, error) {
	var p versionAdded
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		return Version{}, fmt.Errorf("shared object, event %s: %w", e.ID, err)
	}
	return Version{ID: p.ID, Type: p.Type, Version: p.Version, DateAdded: e.RecordedAt, Organisation: e.Actor.Organisation,
		Marking: e.Marking, Object: p.Object, Event: e.ID, User: e.Actor.User}, nil
}

// HeadOf reads what names a version — its object's id and type, and the
// version — without copying the object: what an index needs.
func HeadOf(e event.Event) (id, stixType, version string, err error) {
	var p struct {
		ID      string `json:"id"`
		Type    string `json:"type"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		return "", "", "", fmt.Errorf("shared object, event %s: %w", e.ID, err)
	}
	return p.ID, p.Type, p.Version, nil
}

// WithdrawnOf reads the versions a withdrawal names.
func WithdrawnOf(e event.Event) ([]string, error) {
	var p versionsWithdrawn
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		return nil, fmt.Errorf("shared object, event %s: %w", e.ID, err)
	}
	return p.Versions, nil
}

// Withdraws reports whether the withdrawal event e, of versions, removes v:
// the same version under the same marking.
func Withdraws(e event.Event, versions []string, v Version) bool {
	if e.Marking.Key() != v.Marking.Key() {
		return false
	}
	vt, _ := stix.ParseTimestamp(v.Version)
	return slices.ContainsFunc(versions, func(s string) bool {
		t, _ := stix.ParseTimestamp(s)
		return t.Equal(vt)
	})
}

// Withdraw withdraws versions of an object from the audience of m (TAXII
// DELETE): the caller has checked that who shared them. Who withdrew a
// version may share it again.
func (s *Service) Withdraw(ctx context.Context, who Actor, id string, versions []string, m tlp.Marking) error {
	for attempt := 0; ; attempt++ {
		sum, version, err := s.summary(ctx, id)
		if err != nil {
			return err
		}
		eid, err := event.NewID()
		if err != nil {
			return err
		}
		payload, err := json.Marshal(versionsWithdrawn{ID: id, Versions: versions})
		if err != nil {
			return err
		}
		// The organisation may share a withdrawn version again.
		sum.Versions = slices.DeleteFunc(sum.Versions, func(v versionRef) bool {
			return v.Organisation == who.Organisation && Withdraws(event.Event{Marking: m}, versions, Version{Version: v.Version, Marking: m})
		})
		snap, err := json.Marshal(sum)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		e := event.Event{ID: eid, Stream: streamOf(id), Version: version + 1, Type: EventVersionsWithdrawn, OccurredAt: now, RecordedAt: now,
			Actor: event.Actor{User: who.User, Organisation: who.Organisation}, Marking: m, Payload: payload}
		_, err = s.Store.Append(ctx, store.AppendRequest{Stream: e.Stream, Kind: Kind, ExpectedVersion: version, Events: []event.Event{e}, Snapshot: snap})
		var ce *store.ConflictError
		if errors.As(err, &ce) && attempt < 3 {
			continue
		}
		return err
	}
}

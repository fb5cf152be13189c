// Package publications publishes situation reports (internal/sitrep) as
// events: version after version per case and kind, each immutable, signed
// with the node key and carrying its delta to the previous one. Reading them
// back goes through the TLP gate in internal/web, on each version's marking.
package publications

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/sitrep"
	"github.com/eucyber/blueprint/internal/store"
)

// Kind is the stream kind of published situation reports.
const Kind = "sitrep"

// EventPublished is the event of one published version.
const EventPublished = "sitrep.published"

// Service publishes and reads situation reports.
type Service struct {
	Store    store.Store
	Signer   note.Signer
	Verifier note.Verifier
	Now      func() time.Time
}

// Published is one version as stored: the document, its digest and the
// node's signature, and who published it.
type Published struct {
	Document     sitrep.Document `json:"document"`
	Digest       string          `json:"digest"`
	Signature    string          `json:"signature"`
	Organisation string          `json:"organisation"`
	PublishedBy  string          `json:"published_by"`
	PublishedAt  time.Time       `json:"published_at"`
}

func streamOf(caseID string, kind sitrep.Kind) string {
	return "sitrep-" + caseID + "-" + string(kind)
}

// Publish numbers the draft as the next version of its case and kind, adds
// the delta to the previous version, signs it and appends it. Two officers
// publishing at once get consecutive versions, never the same one.
func (s *Service) Publish(ctx context.Context, user, organisation string, d sitrep.Document) (Published, error) {
	stream := streamOf(d.Case, d.Kind)
	for attempt := 0; ; attempt++ {
		recs, err := s.Store.ReadStream(ctx, stream, 0)
		if err != nil {
			return Published{}, err
		}
		doc := d
		doc.Version = len(recs) + 1
		doc.Delta = nil
		if len(recs) > 0 {
			prev, err := decode(recs[len(recs)-1])
			if err != nil {
				return Published{}, err
			}
			doc.Delta = sitrep.Diff(prev.Document, doc)
		}
		sig, digest, err := sitrep.Sign(s.Signer, doc)
		if err != nil {
			return Published{}, err
		}
		now := s.Now().UTC()
		p := Published{Document: doc, Digest: digest, Signature: sig, Organisation: organisation, PublishedBy: user, PublishedAt: now}
		payload, err := json.Marshal(p)
		if err != nil {
			return Published{}, err
		}
		id, err := event.NewID()
		if err != nil {
			return Published{}, err
		}
		e := event.Event{ID: id, Stream: stream, Version: int64(doc.Version), Type: EventPublished, OccurredAt: now, RecordedAt: now,
			Actor: event.Actor{User: user, Organisation: organisation}, Marking: doc.Marking, Payload: payload}
		_, err = s.Store.Append(ctx, store.AppendRequest{Stream: stream, Kind: Kind, ExpectedVersion: int64(len(recs)), Events: []event.Event{e}})
		var ce *store.ConflictError
		if errors.As(err, &ce) && attempt < 3 {
			continue // another version was published meanwhile: number this one after it
		}
		if err != nil {
			return Published{}, err
		}
		return p, nil
	}
}

func decode(rec event.Record) (Published, error) {
	var p Published
	if err := json.Unmarshal(rec.Event.Payload, &p); err != nil {
		return p, fmt.Errorf("situation report %s: %w", rec.Event.ID, err)
	}
	return p, nil
}

// Version is a stored version with its event, for the gate.
type Version struct {
	Event     event.Event
	Published Published
}

// Versions lists every published version of a case, by kind then number.
func (s *Service) Versions(ctx context.Context, caseID string) ([]Version, error) {
	infos, err := s.Store.ListStreams(ctx, Kind)
	if err != nil {
		return nil, err
	}
	var out []Version
	for _, si := range infos {
		if !strings.HasPrefix(si.Stream, "sitrep-"+caseID+"-") {
			continue
		}
		recs, err := s.Store.ReadStream(ctx, si.Stream, 0)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			p, err := decode(rec)
			if err != nil {
				return nil, err
			}
			out = append(out, Version{Event: rec.Event, Published: p})
		}
	}
	slices.SortFunc(out, func(a, b Version) int {
		if c := strings.Compare(string(a.Published.Document.Kind), string(b.Published.Document.Kind)); c != 0 {
			return c
		}
		return a.Published.Document.Version - b.Published.Document.Version
	})
	return out, nil
}

// CaseEvents returns the events of every version published for a case, for
// the playbook (steps done by publishing a report); callers gate them.
func (s *Service) CaseEvents(ctx context.Context, caseID string) ([]event.Event, error) {
	vs, err := s.Versions(ctx, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]event.Event, len(vs))
	for i, v := range vs {
		out[i] = v.Event
	}
	return out, nil
}

// Get returns one version, or NotFound.
func (s *Service) Get(ctx context.Context, caseID string, kind sitrep.Kind, version string) (Version, error) {
	n, err := strconv.Atoi(version)
	notFound := &failure.Error{Kind: failure.NotFound, Field: "version", Message: "no published version " + version + " of that report"}
	if err != nil || n < 1 || !slices.Contains(sitrep.Kinds(), kind) {
		return Version{}, notFound
	}
	recs, err := s.Store.ReadStream(ctx, streamOf(caseID, kind), int64(n-1))
	if err != nil {
		return Version{}, err
	}
	for _, rec := range recs {
		if rec.Event.Version == int64(n) {
			p, err := decode(rec)
			return Version{Event: rec.Event, Published: p}, err
		}
	}
	return Version{}, notFound
}

// Package cases carries out commands on Union-level cases (R5, R6, R8) against
// the store: it loads a case, asks internal/crisis to decide, and appends the
// event with the new snapshot in one transaction. It also builds what a viewer
// sees of a case — the fold of the events they may see, the ladder, §20 and the
// playbook — from a visibility function the caller gives: the TLP gate lives in
// internal/web, and nothing here returns anything it has not passed.
package cases

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/playbook"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/store"
)

// Kind is the stream kind of cases.
const Kind = "case"

// Service opens cases and records what happens on them.
type Service struct {
	Store    store.Store
	Model    *model.Model
	Reports  *reports.Service
	Playbook *playbook.Playbook
	Now      func() time.Time
	// ActorOf names an organisation's model actor ("member-states" for a
	// national one) and Member State, for the playbook's owners.
	ActorOf func(org string) (actor, memberState string)
	// Published, when set, returns the events of the situation reports
	// published for a case (internal/publications): the playbook's steps that
	// publishing completes read them.
	Published func(ctx context.Context, caseID string) ([]event.Event, error)
}

func streamOf(id string) string { return "case-" + id }

var idempotencyNamespace = uuid.MustParse("0b5e7a52-3c1d-4f8e-9a6b-7d2c4e1f9a30")

var errNoCase = &failure.Error{Kind: failure.NotFound, Field: "id", Message: "no case with that id"}

// Open opens a case. With an idempotency key, the id is derived from the user
// and the key, so a retry finds the case its first attempt opened.
func (s *Service) Open(ctx context.Context, who crisis.Reporter, idempotencyKey string, req crisis.OpenCase) (crisis.Case, bool, error) {
	id, err := event.KeyedID(idempotencyNamespace, who.User, idempotencyKey)
	if err != nil {
		return crisis.Case{}, false, err
	}
	d, err := crisis.DecideOpen(who, id, req)
	if err != nil {
		return crisis.Case{}, false, err
	}
	c, err := s.append(ctx, who, crisis.Case{ID: id}, "", d)
	var ce *store.ConflictError
	if errors.As(err, &ce) && idempotencyKey != "" {
		existing, gerr := s.Get(ctx, id)
		return existing, false, gerr
	}
	return c, err == nil, err
}

// Decider turns the case as it stands into the event to append.
type Decider func(crisis.Case) (crisis.Draft, error)

// Do records one command on a case. With expectedVersion > 0 the case must
// still be at that version (If-Match); without, a concurrent change makes the
// command decide again on the new state, so two officers recording at the same
// moment both succeed, each decision checked against what the other did.
func (s *Service) Do(ctx context.Context, who crisis.Reporter, id string, expectedVersion int64, decide Decider) (crisis.Case, error) {
	return s.DoOnce(ctx, who, id, expectedVersion, "", decide)
}

// DoOnce is Do with an idempotency key (an Idempotency-Key header, or the key
// each form of the case room carries): the command's event ids are marked with
// a hash of the user, the case and the key, so a retry — a double click, a
// request resent after a timeout — finds the first attempt's event and
// records nothing more. Without a key it is Do.
func (s *Service) DoOnce(ctx context.Context, who crisis.Reporter, id string, expectedVersion int64, key string, decide Decider) (crisis.Case, error) {
	if len(key) > event.MaxIdempotencyKey {
		return crisis.Case{}, failure.Field("Idempotency-Key", "must be at most %d characters", event.MaxIdempotencyKey)
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.Get(ctx, id)
		if err != nil {
			return cur, err
		}
		if key != "" {
			done, err := s.doneBefore(ctx, who, id, key)
			if err != nil || done {
				return cur, err
			}
		}
		if expectedVersion > 0 && cur.Version != expectedVersion {
			return cur, &store.ConflictError{Stream: streamOf(id), Expected: expectedVersion, Actual: cur.Version}
		}
		d, err := decide(cur)
		if err != nil {
			return cur, err
		}
		next, err := s.append(ctx, who, cur, key, d)
		var ce *store.ConflictError
		if errors.As(err, &ce) && expectedVersion == 0 && attempt < 3 {
			continue
		}
		return next, err
	}
}

// commandEventID is the id of a command's i-th event: a fresh UUIDv7 (event
// ids sort by time), whose last 64 bits, with a key, are a hash of the user,
// the case, the key and i — the mark by which a retry finds the first attempt.
func commandEventID(who crisis.Reporter, caseID, key string, i int) (string, error) {
	if len(key) > event.MaxIdempotencyKey {
		return "", failure.Field("Idempotency-Key", "must be at most %d characters", event.MaxIdempotencyKey)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	if key != "" {
		mark := commandMark(who, caseID, key, i)
		copy(id[8:], mark[:])
	}
	return id.String(), nil
}

var commandNamespace = uuid.MustParse("5c1d7e0a-2b94-4f3e-8d61-9a0b4c2e7f15")

// commandMark is the last 64 bits a keyed command's i-th event id carries,
// with the RFC 4122 variant bits in place.
func commandMark(who crisis.Reporter, caseID, key string, i int) [8]byte {
	h := uuid.NewSHA1(commandNamespace, []byte(fmt.Sprintf("%s\x00%s\x00%s\x00%d", who.User, caseID, key, i)))
	var mark [8]byte
	copy(mark[:], h[8:])
	mark[0] = (mark[0] & 0x3f) | 0x80
	return mark
}

// doneBefore says whether the case holds the first event of this keyed
// command: it was recorded by an earlier attempt.
func (s *Service) doneBefore(ctx context.Context, who crisis.Reporter, caseID, key string) (bool, error) {
	mark := commandMark(who, caseID, key, 0)
	recs, err := s.Store.ReadStream(ctx, streamOf(caseID), 0)
	if err != nil {
		return false, err
	}
	for _, rec := range recs {
		id, err := uuid.Parse(rec.Event.ID)
		if err == nil && rec.Event.Actor.User == who.User && [8]byte(id[8:]) == mark {
			return true, nil
		}
	}
	return false, nil
}

func (s *Service) append(ctx context.Context, who crisis.Reporter, cur crisis.Case, key string, d crisis.Draft) (crisis.Case, error) {
	now := s.Now().UTC()
	next := cur
	var evs []event.Event
	for i, draft := range append([]crisis.Draft{d}, d.Also...) {
		eid, err := commandEventID(who, cur.ID, key, i)
		if err != nil {
			return crisis.Case{}, err
		}
		payload, err := json.Marshal(draft.Payload)
		if err != nil {
			return crisis.Case{}, fmt.Errorf("encode %s: %w", draft.Type, err)
		}
		e := event.Event{ID: eid, Stream: streamOf(cur.ID), Version: next.Version + 1, Type: draft.Type,
			OccurredAt: now, RecordedAt: now, Actor: event.Actor{User: who.User, Organisation: who.Organisation},
			Marking: draft.Marking, Payload: payload}
		if next, err = crisis.ApplyCase(next, caseEvent(e)); err != nil {
			return crisis.Case{}, err
		}
		evs = append(evs, e)
	}
	snap, err := json.Marshal(next)
	if err != nil {
		return crisis.Case{}, err
	}
	if _, err := s.Store.Append(ctx, store.AppendRequest{Stream: streamOf(cur.ID), Kind: Kind, ExpectedVersion: cur.Version,
		Events: evs, Snapshot: snap}); err != nil {
		return crisis.Case{}, err
	}
	return next, nil
}

func caseEvent(e event.Event) crisis.CaseEvent {
	return crisis.CaseEvent{ID: e.ID, Type: e.Type, Payload: e.Payload, Version: e.Version, User: e.Actor.User,
		Organisation: e.Actor.Organisation, At: e.RecordedAt, Marking: e.Marking}
}

// Get returns a case's whole state. Callers show it to nobody as is: see View.
func (s *Service) Get(ctx context.Context, id string) (crisis.Case, error) {
	if _, err := uuid.Parse(id); err != nil {
		return crisis.Case{}, errNoCase
	}
	snap, err := s.Store.Snapshot(ctx, streamOf(id))
	if failure.Is(err, failure.NotFound) {
		return crisis.Case{}, errNoCase
	}
	if err != nil {
		return crisis.Case{}, err
	}
	var c crisis.Case
	if err := json.Unmarshal(snap.Data, &c); err != nil {
		return c, fmt.Errorf("case %s: snapshot: %w", id, err)
	}
	return c, nil
}

// IDs lists every case id, oldest first.
func (s *Service) IDs(ctx context.Context) ([]string, error) {
	infos, err := s.Store.ListStreams(ctx, Kind)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(infos))
	for i, si := range infos {
		ids[i] = si.Stream[len("case-"):]
	}
	return ids, nil
}

// Events returns a case's events, oldest first.
func (s *Service) Events(ctx context.Context, id string) ([]event.Record, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.ReadStream(ctx, streamOf(id), 0)
}

// Rebuild folds a case from its events: the snapshot must equal it (tested).
func Rebuild(recs []event.Record) (crisis.Case, error) {
	var c crisis.Case
	for _, rec := range recs {
		var err error
		if c, err = crisis.ApplyCase(c, caseEvent(rec.Event)); err != nil {
			return c, err
		}
	}
	return c, nil
}

// Package reports carries out national-report commands (R3) against the store:
// it loads a report's state, asks internal/crisis to decide, and appends the
// event with the new snapshot in one transaction. It does no access control of
// its own beyond what crisis decides: every exit filters what it returns through
// the TLP gate (internal/web).
package reports

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
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Kind is the stream kind of national reports.
const Kind = "report"

// Service files, amends and reads national reports.
type Service struct {
	Store    store.Store
	Model    *model.Model
	Taxonomy *severity.Taxonomy
	Now      func() time.Time
}

func streamOf(id string) string { return "report-" + id }

// idempotencyNamespace scopes report ids derived from idempotency keys.
var idempotencyNamespace = uuid.MustParse("6f0d3c2e-5b8a-4c61-9d3e-1b2a3c4d5e6f")

var errNoReport = &failure.Error{Kind: failure.NotFound, Field: "id", Message: "no report with that id"}

// File files a new report. With an idempotency key, the report id is derived
// from the user and the key, so a retried request finds the report its first
// attempt filed instead of filing a second one (created is then false). The key
// is scoped to the user, so nobody can reach another user's report by guessing
// the key they used.
func (s *Service) File(ctx context.Context, who crisis.Reporter, idempotencyKey string, c crisis.ReportContent) (crisis.NationalReport, bool, error) {
	id, err := event.KeyedID(idempotencyNamespace, who.User, idempotencyKey)
	if err != nil {
		return crisis.NationalReport{}, false, err
	}
	now := s.Now().UTC()
	d, err := crisis.DecideFile(s.Model, s.Taxonomy, who, id, c, now)
	if err != nil {
		return crisis.NationalReport{}, false, err
	}
	r, err := s.append(ctx, who, crisis.NationalReport{ID: id}, d, now)
	var ce *store.ConflictError
	if errors.As(err, &ce) && idempotencyKey != "" {
		existing, gerr := s.Get(ctx, id)
		if gerr != nil {
			return crisis.NationalReport{}, false, gerr
		}
		return existing, false, nil
	}
	return r, err == nil, err
}

// Amend records a new version of a report, if it is still at expectedVersion.
func (s *Service) Amend(ctx context.Context, who crisis.Reporter, id string, expectedVersion int64, c crisis.ReportContent, reason string) (crisis.NationalReport, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return crisis.NationalReport{}, err
	}
	if expectedVersion != cur.Version {
		return crisis.NationalReport{}, &store.ConflictError{Stream: streamOf(id), Expected: expectedVersion, Actual: cur.Version}
	}
	now := s.Now().UTC()
	d, err := crisis.DecideAmend(s.Model, s.Taxonomy, who, cur, c, reason, now)
	if err != nil {
		return crisis.NationalReport{}, err
	}
	return s.append(ctx, who, cur, d, now)
}

func (s *Service) append(ctx context.Context, who crisis.Reporter, cur crisis.NationalReport, d crisis.Draft, now time.Time) (crisis.NationalReport, error) {
	eid, err := event.NewID()
	if err != nil {
		return crisis.NationalReport{}, err
	}
	payload, err := json.Marshal(d.Payload)
	if err != nil {
		return crisis.NationalReport{}, fmt.Errorf("encode %s: %w", d.Type, err)
	}
	e := event.Event{ID: eid, Stream: streamOf(cur.ID), Version: cur.Version + 1, Type: d.Type,
		OccurredAt: now, RecordedAt: now, Actor: event.Actor{User: who.User, Organisation: who.Organisation},
		Marking: d.Marking, Payload: payload}
	next, err := crisis.ApplyReport(cur, e.Type, payload, e.Version, who.User, now)
	if err != nil {
		return crisis.NationalReport{}, err
	}
	snap, err := json.Marshal(next)
	if err != nil {
		return crisis.NationalReport{}, err
	}
	if _, err := s.Store.Append(ctx, store.AppendRequest{Stream: e.Stream, Kind: Kind, ExpectedVersion: cur.Version,
		Events: []event.Event{e}, Snapshot: snap}); err != nil {
		return crisis.NationalReport{}, err
	}
	return next, nil
}

// Get returns a report's current state, or NotFound.
func (s *Service) Get(ctx context.Context, id string) (crisis.NationalReport, error) {
	if _, err := uuid.Parse(id); err != nil {
		return crisis.NationalReport{}, errNoReport
	}
	snap, err := s.Store.Snapshot(ctx, streamOf(id))
	if failure.Is(err, failure.NotFound) {
		return crisis.NationalReport{}, errNoReport
	}
	if err != nil {
		return crisis.NationalReport{}, err
	}
	var r crisis.NationalReport
	if err := json.Unmarshal(snap.Data, &r); err != nil {
		return r, fmt.Errorf("report %s: snapshot: %w", id, err)
	}
	return r, nil
}

// All returns every report, oldest first; callers filter through the gate.
func (s *Service) All(ctx context.Context) ([]crisis.NationalReport, error) {
	infos, err := s.Store.ListStreams(ctx, Kind)
	if err != nil {
		return nil, err
	}
	out := make([]crisis.NationalReport, 0, len(infos))
	for _, si := range infos {
		r, err := s.Get(ctx, si.Stream[len("report-"):])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// History returns the report's events, oldest first; callers filter through the
// gate, since each version carries its own marking.
func (s *Service) History(ctx context.Context, id string) ([]event.Record, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.ReadStream(ctx, streamOf(id), 0)
}

// Load reads a report and its versions in one read of its stream: the report
// is the fold of the versions (equal to the snapshot, tested).
func (s *Service) Load(ctx context.Context, id string) (crisis.NationalReport, []event.Record, error) {
	if _, err := uuid.Parse(id); err != nil {
		return crisis.NationalReport{}, nil, errNoReport
	}
	recs, err := s.Store.ReadStream(ctx, streamOf(id), 0)
	if err != nil {
		return crisis.NationalReport{}, nil, err
	}
	if len(recs) == 0 {
		return crisis.NationalReport{}, nil, errNoReport
	}
	r, err := Rebuild(recs)
	return r, recs, err
}

// Rebuild folds a report from its events: the snapshot must equal it (tested).
func Rebuild(recs []event.Record) (crisis.NationalReport, error) {
	var r crisis.NationalReport
	for _, rec := range recs {
		var err error
		if r, err = crisis.ApplyReport(r, rec.Event.Type, rec.Event.Payload, rec.Event.Version, rec.Event.Actor.User, rec.Event.RecordedAt); err != nil {
			return r, err
		}
	}
	return r, nil
}

// Item is a report as the TLP gate sees it.
func Item(r crisis.NationalReport) tlp.Item {
	return tlp.Item{Marking: r.Content.Marking, OwnerUser: r.FiledBy, OwnerOrganisation: r.Organisation}
}

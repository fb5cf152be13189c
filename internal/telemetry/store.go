package telemetry

import (
	"context"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/store"
)

// InstrumentedStore counts appends and store failures around any store.Store.
type InstrumentedStore struct {
	store.Store
	m *Metrics
}

// InstrumentStore wraps s so that its appends and errors show in m.
func InstrumentStore(s store.Store, m *Metrics) *InstrumentedStore {
	return &InstrumentedStore{Store: s, m: m}
}

// count records err under op unless it is the caller's fault or a normal race.
func (s *InstrumentedStore) count(op string, err error) {
	if err == nil {
		return
	}
	switch failure.KindOf(err) {
	case failure.Invalid, failure.Conflict, failure.NotFound:
		return
	}
	s.m.StoreErrors.WithLabelValues(op).Inc()
}

func (s *InstrumentedStore) Append(ctx context.Context, req store.AppendRequest) (store.AppendResult, error) {
	res, err := s.Store.Append(ctx, req)
	s.count("append", err)
	if err == nil {
		s.m.EventsAppended.Add(float64(len(req.Events)))
	}
	return res, err
}

func (s *InstrumentedStore) AppendBatch(ctx context.Context, reqs []store.AppendRequest) ([]store.AppendResult, error) {
	res, err := s.Store.AppendBatch(ctx, reqs)
	s.count("append", err)
	if err == nil {
		for _, req := range reqs {
			s.m.EventsAppended.Add(float64(len(req.Events)))
		}
	}
	return res, err
}

func (s *InstrumentedStore) ReadStream(ctx context.Context, stream string, after int64) ([]event.Record, error) {
	recs, err := s.Store.ReadStream(ctx, stream, after)
	s.count("read_stream", err)
	return recs, err
}

func (s *InstrumentedStore) ReadAfter(ctx context.Context, after int64, limit int) ([]event.Record, error) {
	recs, err := s.Store.ReadAfter(ctx, after, limit)
	s.count("read_after", err)
	return recs, err
}

func (s *InstrumentedStore) Snapshot(ctx context.Context, stream string) (store.Snapshot, error) {
	snap, err := s.Store.Snapshot(ctx, stream)
	s.count("snapshot", err)
	return snap, err
}

func (s *InstrumentedStore) Ping(ctx context.Context) error {
	err := s.Store.Ping(ctx)
	s.count("ping", err)
	return err
}

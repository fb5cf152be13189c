package web

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Live updates (DESIGN §4): one goroutine per node tails the event log and
// tells each open overview or case page that something it shows has changed,
// so the page can reload. Every replica tails the shared store itself, so a
// client connected to any replica hears of every commit; the log position is
// the truth and needs no wake-up to be correct, only to be faster.

const (
	liveTick  = 250 * time.Millisecond
	liveBatch = 500
	// liveBuffer is how many changes a subscriber may fall behind before the
	// hub drops them and asks it to resync; the hub never waits for a client.
	liveBuffer = 32
	// liveCatchUp is how far back a (re)connecting client is replayed; further
	// back, it is told to resync instead.
	liveCatchUp = 1000
)

// LiveHub fans new events out to the open live streams of this node.
type LiveHub struct {
	d     Deps
	ready chan struct{} // closed once the hub knows the head it starts from
	done  chan struct{} // closed when the hub stops

	mu   sync.Mutex
	subs map[*liveSub]struct{}
	pos  int64 // the last position fanned out
}

// liveChange is what a stream tells of one event: where it is, never what it says.
type liveChange struct {
	Stream   string `json:"stream"`
	Type     string `json:"type"`
	Version  int64  `json:"version"`
	Position int64  `json:"-"`
}

// liveSub is one open stream. The viewer is not kept: it is resolved from the
// directory for every event, so a disabled user or a revoked membership takes
// effect at the next event.
type liveSub struct {
	user   string
	caseID string // "" for the overview
	after  int64  // the client has seen everything up to here
	ch     chan liveChange
	resync chan struct{} // set when changes were dropped
}

// NewLiveHub returns a hub reading d.Store, d.Cases and d.Reports and the
// directory of d.Auth; Run starts it.
func NewLiveHub(d Deps) *LiveHub {
	return &LiveHub{d: d, ready: make(chan struct{}), done: make(chan struct{}), subs: map[*liveSub]struct{}{}}
}

// Run tails the log every liveTick, from the head at start, until ctx ends;
// then it ends every open stream, so a server shutting down is not held up
// by clients that never leave.
func (h *LiveHub) Run(ctx context.Context) {
	t := time.NewTicker(liveTick)
	defer t.Stop()
	defer h.stop()
	started := false
	for {
		if !started {
			started = h.start(ctx)
		} else {
			h.tail(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// start reads the head; a store that is down is retried on the next tick.
func (h *LiveHub) start(ctx context.Context) bool {
	head, err := h.d.Store.Head(ctx)
	if err != nil {
		if ctx.Err() == nil {
			h.d.Logger.Warn("live updates: read the head", "err", err)
		}
		return false
	}
	h.mu.Lock()
	h.pos = head
	h.mu.Unlock()
	close(h.ready)
	return true
}

func (h *LiveHub) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		close(s.ch)
		delete(h.subs, s)
	}
	close(h.done)
}

// tail fans out every event committed since the last tick.
func (h *LiveHub) tail(ctx context.Context) {
	for {
		h.mu.Lock()
		after := h.pos
		h.mu.Unlock()
		recs, err := h.d.Store.ReadAfter(ctx, after, liveBatch)
		if err != nil {
			if ctx.Err() == nil {
				h.d.Logger.Warn("live updates: read the log", "after", after, "err", err)
			}
			return
		}
		for _, rec := range recs {
			h.fanOut(ctx, rec)
		}
		if len(recs) < liveBatch {
			return
		}
	}
}

// fanOut sends one event to every subscriber that watches its stream and may
// see it. The store is read (for the event's case or report) before the lock
// is taken, and only if someone watches.
func (h *LiveHub) fanOut(ctx context.Context, rec event.Record) {
	h.mu.Lock()
	watched := false
	for s := range h.subs {
		watched = watched || s.watches(rec.Event.Stream)
	}
	h.mu.Unlock()
	var holder tlp.Item
	ok := false
	if watched {
		var err error
		holder, ok, err = h.holder(ctx, rec.Event.Stream)
		if err != nil && ctx.Err() == nil && !failure.Is(err, failure.NotFound) {
			// Fail closed: this event is not announced; the next one is.
			h.d.Logger.Warn("live updates: read what an event belongs to", "stream", rec.Event.Stream, "err", err)
		}
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	h.pos = rec.Position
	if !ok {
		return
	}
	c := liveChange{Stream: rec.Event.Stream, Type: rec.Event.Type, Version: rec.Event.Version, Position: rec.Position}
	for s := range h.subs {
		v := h.d.Auth.Dir.Viewer(s.user, "")
		if v.Anonymous() {
			// Disabled or removed: the stream ends now.
			close(s.ch)
			delete(h.subs, s)
			continue
		}
		if !s.sees(v, rec, holder) {
			continue
		}
		select {
		case s.ch <- c:
		default:
			select {
			case s.resync <- struct{}{}:
			default:
			}
		}
	}
}

// holder is the item an event belongs to: its case (for case and situation
// report streams) or its national report. The viewer must see it as well as
// the event, so that an event visible on its own never reveals that a case
// hidden from the viewer exists. ok is false for streams no page shows.
func (h *LiveHub) holder(ctx context.Context, stream string) (it tlp.Item, ok bool, err error) {
	caseID := ""
	switch {
	case strings.HasPrefix(stream, "case-"):
		caseID = strings.TrimPrefix(stream, "case-")
	case strings.HasPrefix(stream, "sitrep-"):
		// sitrep-<case id>-<kind>; case ids are UUIDs, which hold dashes.
		rest := strings.TrimPrefix(stream, "sitrep-")
		const uuidLen = 36
		if len(rest) <= uuidLen || rest[uuidLen] != '-' {
			return it, false, nil
		}
		caseID = rest[:uuidLen]
	case strings.HasPrefix(stream, "report-"):
		r, err := h.d.Reports.Get(ctx, strings.TrimPrefix(stream, "report-"))
		if err != nil {
			return it, false, err
		}
		return reports.Item(r), true, nil
	default:
		return it, false, nil
	}
	c, err := h.d.Cases.Get(ctx, caseID)
	if err != nil {
		return it, false, err
	}
	return tlp.Item{Marking: c.Marking, OwnerUser: c.OpenedBy, OwnerOrganisation: c.Organisation}, true, nil
}

// watches says whether the subscriber's page shows the stream: a case room
// shows its case and its situation reports, the overview all cases and reports.
func (s *liveSub) watches(stream string) bool {
	if s.caseID != "" {
		return stream == "case-"+s.caseID || strings.HasPrefix(stream, "sitrep-"+s.caseID+"-")
	}
	return strings.HasPrefix(stream, "case-") || strings.HasPrefix(stream, "report-")
}

// sees is the TLP gate for one event, as Deps.visible applies it, and for what
// the event belongs to.
func (s *liveSub) sees(v tlp.Viewer, rec event.Record, holder tlp.Item) bool {
	e := rec.Event
	return rec.Position > s.after && s.watches(e.Stream) && !v.Anonymous() &&
		tlp.CanSee(v, tlp.Item{Marking: e.Marking, OwnerUser: e.Actor.User, OwnerOrganisation: e.Actor.Organisation}) &&
		tlp.CanSee(v, holder)
}

var errLiveStopped = failure.New(failure.Unavailable, "live updates are not running on this node; reload the page to see changes")

// subscribe registers a stream for a client that has seen the log up to after;
// the hub sends what comes after the position it returns, and the caller
// replays (after, position] itself.
func (h *LiveHub) subscribe(ctx context.Context, user, caseID string, after int64) (*liveSub, int64, error) {
	select {
	case <-h.ready:
	case <-h.done:
		return nil, 0, errLiveStopped
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.done:
		return nil, 0, errLiveStopped
	default:
	}
	s := &liveSub{user: user, caseID: caseID, after: after, ch: make(chan liveChange, liveBuffer), resync: make(chan struct{}, 1)}
	h.subs[s] = struct{}{}
	return s, h.pos, nil
}

// unsubscribe forgets a stream the client left; one the hub ended is gone already.
func (h *LiveHub) unsubscribe(s *liveSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, s)
}

// replay is what a subscriber missed in (s.after, upTo]: the changes it may see,
// or resync when that is too far back to read.
func (h *LiveHub) replay(ctx context.Context, s *liveSub, upTo int64) (changes []liveChange, resync bool, err error) {
	if upTo <= s.after {
		return nil, false, nil
	}
	if upTo-s.after > liveCatchUp {
		return nil, true, nil
	}
	recs, err := h.d.Store.ReadAfter(ctx, s.after, int(upTo-s.after))
	if err != nil {
		return nil, false, err
	}
	v := h.d.Auth.Dir.Viewer(s.user, "")
	for _, rec := range recs {
		if rec.Position > upTo || !s.watches(rec.Event.Stream) {
			continue
		}
		holder, ok, err := h.holder(ctx, rec.Event.Stream)
		if err != nil && !failure.Is(err, failure.NotFound) {
			return nil, false, err
		}
		if ok && s.sees(v, rec, holder) {
			changes = append(changes, liveChange{Stream: rec.Event.Stream, Type: rec.Event.Type, Version: rec.Event.Version, Position: rec.Position})
		}
	}
	return changes, false, nil
}

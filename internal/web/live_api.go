package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/tlp"
)

// liveHeartbeat keeps proxies from closing an idle stream.
const liveHeartbeat = 15 * time.Second

// handleLive is GET /api/v1/live: a Server-Sent Events stream of the changes
// the caller may see, on the overview or on one case (?case=). A change names
// the stream, event type, version and position, nothing of the event's
// content: the page reloads to read it through the gate as usual.
func handleLive(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		if d.Live == nil {
			return errLiveStopped
		}
		caseID := r.URL.Query().Get("case")
		if caseID != "" {
			if err := d.canSeeCase(r, caseID); err != nil {
				return err
			}
		}
		after, err := liveAfter(r, d)
		if err != nil {
			return err
		}
		sub, upTo, err := d.Live.subscribe(r.Context(), c.User.ID, caseID, after)
		if err != nil {
			return err
		}
		defer d.Live.unsubscribe(sub)
		missed, resync, err := d.Live.replay(r.Context(), sub, upTo)
		if err != nil {
			return err
		}

		h := w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("X-Accel-Buffering", "no") // nginx would otherwise hold the events back
		w.WriteHeader(http.StatusOK)
		// From here on the status is sent: a failed write means the client
		// left, and the stream just ends.
		rc := http.NewResponseController(w)
		send := func(write func(io.Writer) error) bool {
			return write(w) == nil && rc.Flush() == nil
		}
		if resync && !send(writeResync) {
			return nil
		}
		for _, ch := range missed {
			if !send(ch.write) {
				return nil
			}
		}
		if !send(func(w io.Writer) error { _, err := io.WriteString(w, ": live\n\n"); return err }) {
			return nil
		}
		heartbeat := time.NewTicker(liveHeartbeat)
		defer heartbeat.Stop()
		for {
			var write func(io.Writer) error
			select {
			case <-r.Context().Done():
				return nil
			case ch, open := <-sub.ch:
				if !open {
					return nil // the hub stopped, or the user may no longer see anything
				}
				write = ch.write
			case <-sub.resync:
				write = writeResync
			case <-heartbeat.C:
				write = func(w io.Writer) error { _, err := io.WriteString(w, ": heartbeat\n\n"); return err }
			}
			if !send(write) {
				return nil
			}
		}
	}
}

func (c liveChange) write(w io.Writer) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "id: %d\nevent: change\ndata: %s\n\n", c.Position, data)
	return err
}

// writeResync tells the client changes were dropped: it should reload.
func writeResync(w io.Writer) error {
	_, err := io.WriteString(w, "event: resync\ndata: {}\n\n")
	return err
}

// canSeeCase answers 404 for a case the caller may not see, as GET
// /api/v1/cases/{id} does. It uses the case gate without building the view, so
// opening a stream is not recorded as reading the case's items.
func (d Deps) canSeeCase(r *http.Request, id string) error {
	noCase := &failure.Error{Kind: failure.NotFound, Field: "case", Message: "no case with that id"}
	c, err := d.Cases.Get(r.Context(), id)
	if failure.Is(err, failure.NotFound) {
		return noCase
	}
	if err != nil {
		return err
	}
	see, err := d.caseGate(r, c)
	if err != nil {
		return err
	}
	if !see(tlp.Item{Marking: c.Marking, OwnerUser: c.OpenedBy, OwnerOrganisation: c.Organisation}) {
		return noCase
	}
	return nil
}

// liveAfter reads where the client is in the log: Last-Event-ID, which an
// EventSource sends when it reconnects, or ?after=, which a page carries from
// when it was built; a client that says neither starts from the head now.
func liveAfter(r *http.Request, d Deps) (int64, error) {
	raw, field := r.Header.Get("Last-Event-ID"), "Last-Event-ID"
	if raw == "" {
		raw, field = r.URL.Query().Get("after"), "after"
	}
	if raw == "" {
		return d.Store.Head(r.Context())
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return 0, failure.Field(field, "must be a log position (a whole number, 0 or more)")
	}
	return n, nil
}

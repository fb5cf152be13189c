package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// liveFrame is one Server-Sent Event as a client reads it.
type liveFrame struct {
	id, event string
	data      liveChange
	raw       string
}

// openLive connects who to the live stream over real HTTP and returns its
// events as they arrive; the channel closes when the stream ends.
func openLive(t *testing.T, srv *httptest.Server, c *client, query string) <-chan liveFrame {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/live"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(c.cookie)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET /api/v1/live%s: %d %s", query, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	frames := make(chan liveFrame, 64)
	go func() {
		defer close(frames)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var f liveFrame
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if f.event != "" {
					json.Unmarshal([]byte(f.raw), &f.data) //nolint:errcheck // checked by the tests through f.data
					frames <- f
				}
				f = liveFrame{}
			case strings.HasPrefix(line, "id: "):
				f.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				f.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				f.raw = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return frames
}

// next waits for the stream's next event.
func nextLive(t *testing.T, frames <-chan liveFrame, within time.Duration) (liveFrame, bool) {
	t.Helper()
	select {
	case f, open := <-frames:
		return f, open
	case <-time.After(within):
		return liveFrame{}, false
	}
}

// openCase opens a case as who with the marking and returns its id.
func (s *scenario) openCase(who, title, marking string) string {
	s.t.Helper()
	var opened struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	mustUnmarshal(s.t, s.as(who, "POST", "/api/v1/cases", map[string]any{"title": title, "marking": json.RawMessage(marking)}, http.StatusCreated), &opened)
	return opened.Case.ID
}

const onlyForBE = `{"tlp":"TLP:AMBER+STRICT","audience":{"kind":"organisations","ids":["be-ccb"]}}`

// TestLiveStreamShowsOnlyWhatTheGateAllows is the done-when of live updates:
// NL's analyst, connected to the overview stream, hears nothing of BE's
// report and case marked for BE only, and hears of NL's own change.
func TestLiveStreamShowsOnlyWhatTheGateAllows(t *testing.T) {
	s := newScenario(t)
	srv := httptest.NewServer(s.h)
	t.Cleanup(srv.Close)
	if rec := newClient(t, s.h).do("GET", "/api/v1/live", "", "", nil); rec.Code != http.StatusUnauthorized || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("anonymous live stream: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	x := openLive(t, srv, s.people["nl.analyst"], "")
	y := openLive(t, srv, s.people["be.coordinator"], "")

	// BE's report and case, for BE only, and a change to the case.
	body := reportBody("BE only report", onlyForBE)
	body["affected_member_states"] = []string{"BE"}
	var rep struct {
		ID string `json:"id"`
	}
	mustUnmarshal(t, s.as("be.coordinator", "POST", "/api/v1/reports", body, http.StatusCreated), &rep)
	yCase := s.openCase("be.coordinator", "BE only case", onlyForBE)
	s.as("be.coordinator", "POST", "/api/v1/cases/"+yCase+"/reports", map[string]string{"report": rep.ID}, http.StatusOK)
	// Then NL's own, visible change.
	xCase := s.openCase("nl.analyst", "NL case", amberCaseAudience)

	// The hub sends in log order: BE's events come before NL's or not at all.
	f, ok := nextLive(t, x, 2*time.Second)
	if !ok {
		t.Fatal("NL's analyst heard nothing of NL's own case within 2 s")
	}
	if f.event != "change" || f.data.Stream != "case-"+xCase || f.data.Type == "" || f.data.Version != 1 || f.id == "" {
		t.Fatalf("NL's analyst's first event is not NL's case: %+v", f)
	}
	for _, hidden := range []string{yCase, rep.ID, "BE only"} {
		if strings.Contains(f.raw, hidden) {
			t.Errorf("the event names BE's item %q: %s", hidden, f.raw)
		}
	}
	if strings.Contains(f.raw, "NL case") || strings.Contains(f.raw, "actor") {
		t.Errorf("the event carries more than where the change is: %s", f.raw)
	}
	if f, ok := nextLive(t, x, 600*time.Millisecond); ok {
		t.Errorf("NL's analyst heard of a second change: %+v", f)
	}

	// BE hears of its own items (the gate is not simply shut), and of NL's
	// case, which is marked for BE too.
	want := []string{"report-" + rep.ID, "case-" + yCase, "case-" + yCase, "case-" + xCase}
	for i, stream := range want {
		f, ok := nextLive(t, y, 2*time.Second)
		if !ok || f.data.Stream != stream {
			t.Fatalf("BE's event %d: %+v, want one on %s", i, f, stream)
		}
	}
}

// TestLiveCaseStreamIsPrompt: the case room hears of a decision on its case,
// and of nothing on another case, within a second or so of the command.
func TestLiveCaseStreamIsPrompt(t *testing.T) {
	s := newScenario(t)
	srv := httptest.NewServer(s.h)
	t.Cleanup(srv.Close)
	s.caseID = s.openCase("nl.analyst", "Hospital ransomware", amberCaseAudience)
	s.as("nl.analyst", "POST", "/api/v1/cases/"+s.caseID+"/reports", map[string]string{"report": s.fileReport("nl.analyst", "NL")}, http.StatusOK)
	other := s.openCase("nl.analyst", "Another case", amberCaseAudience)
	room := openLive(t, srv, s.people["nl.coordinator"], "?case="+s.caseID)

	s.as("nl.analyst", "POST", "/api/v1/cases/"+other+"/reports", map[string]string{"report": s.fileReport("nl.analyst", "NL")}, http.StatusOK)
	start := time.Now()
	s.as("nl.coordinator", "POST", "/api/v1/cases/"+s.caseID+"/decisions", map[string]string{"authority": "national-assessment", "level": "significant", "reason": "hospitals divert care"}, http.StatusOK)
	f, ok := nextLive(t, room, 2*time.Second)
	latency := time.Since(start)
	if !ok || f.data.Stream != "case-"+s.caseID || f.data.Version != 3 {
		t.Fatalf("the case room heard %+v (open %v), want the decision on its case", f, ok)
	}
	t.Logf("the decision reached the case room's stream %s after the command", latency.Round(time.Millisecond))
	if latency > 2*time.Second {
		t.Errorf("the decision took %s to arrive", latency)
	}

	// A client that comes back with Last-Event-ID is replayed what it missed.
	again := openLive(t, srv, s.people["nl.coordinator"], "?after=0&case="+s.caseID)
	for _, v := range []int64{1, 2, 3} {
		if f, ok := nextLive(t, again, 2*time.Second); !ok || f.data.Version != v || f.data.Stream != "case-"+s.caseID {
			t.Fatalf("replay from position 0: %+v, want version %d of the case", f, v)
		}
	}
}

// TestLiveStreamEndsForDisabledUser: once an administrator disables a user,
// their open stream tells them nothing more, and ends.
func TestLiveStreamEndsForDisabledUser(t *testing.T) {
	s := newScenario(t)
	srv := httptest.NewServer(s.h)
	t.Cleanup(srv.Close)
	stream := openLive(t, srv, s.people["nl.analyst"], "")
	admin, _ := s.d.Auth.Dir.UserByUsername("admin")
	analyst, _ := s.d.Auth.Dir.UserByUsername("nl.analyst")
	if _, err := s.d.Auth.DisableUser(t.Context(), admin, analyst.ID, "left the organisation"); err != nil {
		t.Fatal(err)
	}
	s.openCase("nl.coordinator", "After the analyst left", amberCaseAudience)
	select {
	case f, open := <-stream:
		if open {
			t.Fatalf("a disabled user's stream sent %+v", f)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a disabled user's stream is still open 2 s after a change")
	}
}

// subscribers counts the open streams, for tests that wait for a page's.
func (h *LiveHub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

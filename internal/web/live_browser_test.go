package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCaseRoomFollowsDecisions: BE's coordinator has the case room
// open; the CSIRTs Network's chair records its advice through the API; his
// page shows the new decided level without him doing anything.
func TestBrowserCaseRoomFollowsDecisions(t *testing.T) {
	n := newBrowserNode(t)
	n.caseID = n.openCase("nl.analyst", "Ransomware at hospitals (live)", amberCaseAudience)
	n.as("nl.analyst", "POST", "/api/v1/cases/"+n.caseID+"/reports", map[string]string{"report": n.fileReport("nl.analyst", "NL")}, http.StatusOK)
	n.as("fi.chair", "POST", "/api/v1/cases/"+n.caseID+"/networks", map[string]any{"network": "csirts-network", "active": true, "reason": "cross-border"}, http.StatusOK)
	n.as("nl.coordinator", "POST", "/api/v1/cases/"+n.caseID+"/decisions", map[string]string{"authority": "national-assessment", "level": "significant", "reason": "hospitals divert care"}, http.StatusOK)

	watcher := MustBrowser(t)
	n.login(t, watcher, "be.coordinator")
	do(t, watcher, "open the case room", chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID), chromedp.WaitVisible(`#ladder[data-decided=significant]`))
	// Let the page's stream open before the change.
	for deadline := time.Now().Add(5 * time.Second); n.d.Live.subscribers() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the case room opened no live stream")
		}
	}

	start := time.Now()
	n.as("fi.chair", "POST", "/api/v1/cases/"+n.caseID+"/decisions", map[string]string{"authority": "network-advice", "level": "potential-large-scale", "reason": "spreading"}, http.StatusOK)
	// The page reloads itself: poll from here, as an evaluation in flight
	// during the reload fails and is simply tried again.
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		shown, err := chromedp.Run(watcher, chromedp.Evaluate[bool](`!!document.querySelector('#ladder[data-decided=potential-large-scale]')`))
		if err == nil && shown {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the open case room did not show the new level within 3 s (last error: %v)", err)
		}
	}
	t.Logf("the open case room showed the new level %s after the command", time.Since(start).Round(time.Millisecond))
	screenshot(t, watcher, "case-room-live")
}

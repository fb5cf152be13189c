package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserReserveRequestShowsItsClock (issue 7's done-when; R10, §55(b)(v)):
// NL's coordinator files a Reserve request from the Union response tab — first
// empty, so every field's message shows — and sees its 24-hour clock running;
// the Commission moves it on from the same tab and deploys it 25 hours after
// the request; NL's coordinator then finds it overdue on the case room and on
// the overview.
func TestBrowserReserveRequestShowsItsClock(t *testing.T) {
	n := newBrowserNode(t)
	n.caseID = n.openCase("nl.analyst", "Hospital ransomware (Reserve)", amberCaseAudience)
	n.as("nl.analyst", "POST", "/api/v1/cases/"+n.caseID+"/reports", map[string]string{"report": n.fileReport("nl.analyst", "NL")}, http.StatusOK)

	nl := MustBrowser(t)
	n.login(t, nl, "nl.coordinator")
	do(t, nl, "submit the empty Reserve form",
		chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID+"?tab=response"),
		chromedp.WaitVisible(`#reserve-form`),
		chromedp.Submit(`#reserve-form`),
		chromedp.WaitVisible(`#reserve-form #error-affected_entity`),
	)
	for _, field := range []string{"affected_entity", "impact", "planned_use", "estimated_needs", "mitigation_taken", "other_support"} {
		if n := get(t, nl, "find "+field+"'s message", chromedp.Evaluate[int](`document.querySelectorAll('#reserve-form #error-`+field+`').length`)); n != 1 {
			t.Errorf("the empty Reserve form shows no message next to %s", field)
		}
	}
	do(t, nl, "fill in and send the Reserve request",
		chromedp.SendKeys(`#reserve-affected-entity`, "Regional hospital group, health"),
		chromedp.SendKeys(`#reserve-impact`, "Patient records encrypted at three hospitals"),
		chromedp.SendKeys(`#reserve-planned-use`, "Forensic triage and recovery of the clinical systems"),
		chromedp.SendKeys(`#reserve-estimated-needs`, "2 incident responders for 10 days"),
		chromedp.SendKeys(`#reserve-mitigation-taken`, "Network segmented, backups verified"),
		chromedp.SendKeys(`#reserve-other-support`, "none"),
		chromedp.Submit(`#reserve-form`),
		chromedp.WaitVisible(`.reserve-request[data-state=running]`),
	)
	clock := get(t, nl, "read the clock", chromedp.Text(`.reserve-request .reserve-clock`))
	if !strings.Contains(clock, "left") || !strings.Contains(clock, "24 h clock") {
		t.Errorf("the new request's clock reads %q, want the time left on the 24 h clock", clock)
	}
	requestID := get(t, nl, "read the request's id", chromedp.Evaluate[string](`document.querySelector('.reserve-request').id.replace('reserve-', '')`))
	screenshot(t, nl, "reserve-requested")

	// The Commission assesses and approves it at once, and deploys 25 hours
	// after the request, from the same tab.
	commission := newTab(t)
	n.login(t, commission, "commission")
	form := `#reserve-status-form-` + requestID
	for _, status := range []string{"assessed", "approved"} {
		do(t, commission, "record "+status,
			chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID+"?tab=response"),
			chromedp.WaitVisible(form),
			chromedp.SetValue(form+` [name=status]`, status),
			chromedp.Submit(form),
			chromedp.WaitVisible(`#reserve-form-heading, #reserve-heading`),
		)
	}
	n.clock.Advance(25 * time.Hour)
	do(t, commission, "record the deployment",
		chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID+"?tab=response"),
		chromedp.WaitVisible(form),
		chromedp.SetValue(form+` [name=status]`, "deployed"),
		chromedp.SendKeys(form+` [name=note]`, "team on site"),
		chromedp.Submit(form),
		chromedp.WaitVisible(`.reserve-request[data-state=deployed-late]`),
	)

	// NL's coordinator sees it overdue at the top of the case room and on
	// the overview.
	do(t, nl, "reload the case room",
		chromedp.Navigate(n.srv.URL+"/cases/"+n.caseID+"?tab=response"),
		chromedp.WaitVisible(`#reserve-overdue`),
	)
	if alert := get(t, nl, "read the alert", chromedp.Text(`#reserve-overdue`)); !strings.Contains(alert, "deployed 25 h after the request, 1 h past the 24 h clock") {
		t.Errorf("the case room's alert reads %q", alert)
	}
	screenshot(t, nl, "reserve-overdue")
	do(t, nl, "open the overview", chromedp.Navigate(n.srv.URL+"/"), chromedp.WaitVisible(`#cases`))
	if badge := get(t, nl, "read the overview", chromedp.Text(`#cases`)); !strings.Contains(badge, "RESERVE 1 OVERDUE") {
		t.Errorf("the overview does not show the missed Reserve clock:\n%s", badge)
	}
}

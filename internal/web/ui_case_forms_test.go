package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
)

// formHTML is the form with that id on the page, or "".
func formHTML(body, id string) string {
	return regexp.MustCompile(`(?s)<form[^>]*id="` + regexp.QuoteMeta(id) + `".*?</form>`).FindString(body)
}

// TestUICaseRoomIPCRForms: the Presidency records IPCR full mode once it has
// consulted every party, then a roundtable; EU-CyCLONe's chair gets the
// signal and arrangements forms; NL's analyst none of them.
func TestUICaseRoomIPCRForms(t *testing.T) {
	s, _, _ := sitrepCase(t)
	room := "/cases/" + s.caseID
	pres := s.people["presidency"]

	body := wantPage(t, pres.uiGet(room+"?tab=decisions"), http.StatusOK)
	ipcr := formHTML(body, "ipcr-form")
	parties := []string{"member-state:BE", "member-state:NL", "commission", "high-representative"}
	last := -1
	for _, p := range parties {
		i := strings.Index(ipcr, `name="consulted_`+p+`"`)
		if i < 0 || i < last || !strings.Contains(ipcr, `type="datetime-local" id="consulted_at_`+p+`"`) {
			t.Fatalf("the IPCR form lacks %s, or not in order: %s", p, ipcr)
		}
		last = i
	}
	if strings.Contains(ipcr, `name="with_presidency"`) || strings.Contains(body, `id="roundtable-form"`) {
		t.Errorf("the Presidency is offered with_presidency or a roundtable before IPCR is active: %s", body)
	}

	// Full mode with only NL consulted: refused next to the consultations,
	// naming the others; nothing changes.
	at := s.clock.Now().Add(-time.Hour).UTC().Format(datetimeLocalLayout)
	form := url.Values{"mode": {"full"}, "reason": {"hospitals across two Member States"},
		"consulted_member-state:NL": {"yes"}, "consulted_at_member-state:NL": {at}}
	before, _ := s.d.Cases.Get(t.Context(), s.caseID)
	body = wantPage(t, pres.uiPost(room+"/ipcr", form), http.StatusUnprocessableEntity)
	sent := formHTML(body, "ipcr-form")
	msg := regexp.MustCompile(`(?s)<p class="field-error" id="error-consultations">.*?</p>`).FindString(sent)
	for _, p := range []string{"member-state:BE", "commission", "high-representative"} {
		if !strings.Contains(msg, p) {
			t.Errorf("the message does not name %s: %s", p, msg)
		}
	}
	if strings.Contains(msg, "member-state:NL") || !strings.Contains(sent, `name="consulted_member-state:NL" value="yes" checked`) {
		t.Errorf("the failed IPCR form: %s", sent)
	}
	if after, _ := s.d.Cases.Get(t.Context(), s.caseID); after.Version != before.Version {
		t.Fatalf("a refused IPCR decision changed the case: version %d → %d", before.Version, after.Version)
	}

	for _, p := range parties {
		form.Set("consulted_"+p, "yes")
		form.Set("consulted_at_"+p, at)
	}
	if rec := pres.uiPost(room+"/ipcr", form); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != room+"?tab=decisions" {
		t.Fatalf("IPCR = %d → %q: %.2000s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	body = wantPage(t, pres.uiGet(room+"?tab=decisions"), http.StatusOK)
	if !strings.Contains(body, "<dt>IPCR mode</dt><dd>full") || !strings.Contains(body, `id="roundtable-form"`) {
		t.Fatalf("after the IPCR decision: %.3000s", body)
	}

	// A roundtable with one gap; the empty rows are ignored.
	rt := url.Values{"held_at": {at}, "summary": {"operators report capacity limits"},
		"gap_description_1": {"no coordinated public communication"}, "gap_actor_1": {"commission"}}
	if rec := pres.uiPost(room+"/roundtables", rt); rec.Code != http.StatusSeeOther {
		t.Fatalf("roundtable = %d: %.2000s", rec.Code, rec.Body.String())
	}
	c, _ := s.d.Cases.Get(t.Context(), s.caseID)
	if len(c.Roundtables) != 1 || len(c.Roundtables[0].Gaps) != 1 || c.Roundtables[0].Gaps[0].InvitedActor != "commission" {
		t.Fatalf("roundtables: %+v", c.Roundtables)
	}
	gap := c.Roundtables[0].Gaps[0].ID
	if body := wantPage(t, pres.uiGet(room+"?tab=decisions"), http.StatusOK); !strings.Contains(formHTML(body, "roundtable-form"), `name="report_back_`+gap+`"`) {
		t.Errorf("the roundtable form offers no report-back on %s", gap)
	}

	// EU-CyCLONe's chair: the signal and arrangements forms.
	dk := s.people["dk.chair"]
	body = wantPage(t, dk.uiGet(room+"?tab=decisions"), http.StatusOK)
	if !strings.Contains(formHTML(body, "signal-form"), `<option value="internal-market-hindered"`) || !strings.Contains(body, `id="arrangements-form"`) {
		t.Errorf("EU-CyCLONe's chair lacks the signal or arrangements form: %.3000s", body)
	}
	body = wantPage(t, dk.uiPost(room+"/arrangements", url.Values{"text": {""}}), http.StatusUnprocessableEntity)
	if !strings.Contains(formHTML(body, "arrangements-form"), `id="error-text"`) {
		t.Errorf("empty arrangements: %.3000s", body)
	}
	if rec := dk.uiPost(room+"/arrangements", url.Values{"text": {"EU-CyCLONe briefs the CSIRTs Network daily"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("arrangements = %d: %.2000s", rec.Code, rec.Body.String())
	}
	sig := url.Values{"kind": {"internal-market-hindered"}, "detail": {"card payments down in two Member States"}}
	if rec := dk.uiPost(room+"/signals", sig); rec.Code != http.StatusSeeOther {
		t.Fatalf("signal = %d: %.2000s", rec.Code, rec.Body.String())
	}

	// NL's analyst sees none of the arrangements, IPCR and roundtable forms;
	// as a CSIRTs Network member it may relay a hub's alert (§48), and that
	// is all its signal form offers.
	sanne := s.people["nl.analyst"]
	body = wantPage(t, sanne.uiGet(room+"?tab=decisions"), http.StatusOK)
	allowed := crisis.AllowedFor(s.reporterOf("nl.analyst"), s.caseAs("nl.analyst"))
	for _, id := range []string{"arrangements-form", "ipcr-form", "roundtable-form"} {
		if strings.Contains(body, `id="`+id+`"`) {
			t.Errorf("NL's analyst sees %s (allowed %+v)", id, allowed)
		}
	}
	options := regexp.MustCompile(`<option value="([a-z-]+)"`).FindAllStringSubmatch(formHTML(body, "signal-form"), -1)
	if len(options) != len(allowed.Signals) {
		t.Errorf("NL's analyst's signal form offers %v; AllowedFor gives %v", options, allowed.Signals)
	}
	before, _ = s.d.Cases.Get(t.Context(), s.caseID)
	if rec := sanne.uiPost(room+"/ipcr", form); rec.Code != http.StatusForbidden {
		t.Errorf("NL's analyst posting IPCR = %d, want 403", rec.Code)
	}
	if after, _ := s.d.Cases.Get(t.Context(), s.caseID); after.Version != before.Version {
		t.Error("a refused IPCR decision changed the case")
	}
}

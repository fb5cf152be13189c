package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestUIShowsTheAuthorWhatADraftLeavesOut: before building a GREEN draft of a
// case whose reports are AMBER, the author sees on the page how many items
// would be left out and why; the page holds none of the left-out text.
func TestUIShowsTheAuthorWhatADraftLeavesOut(t *testing.T) {
	s, _, _ := sitrepCase(t)
	elena := s.people["enisa"]
	form := url.Values{"kind": {"technical"}, "tlp": {"TLP:GREEN"}, "audience_kind": {"community"}, "csrf_token": {elena.csrf}}
	rec := elena.do("POST", "/cases/"+s.caseID+"/sitreps/check", "application/x-www-form-urlencoded", form.Encode(), nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("check: %d %.500s", rec.Code, rec.Body.String())
	}
	body := rec.Body.String()
	for _, want := range []string{`id="withheld"`, "more restrictive than the report", "TLP:GREEN", "Only you see this"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// For the CSIRTs Network at AMBER, nothing of the reports is left out.
	form.Set("tlp", "TLP:AMBER")
	form.Set("audience_kind", "networks")
	form.Set("audience_ids", "csirts-network")
	rec = elena.do("POST", "/cases/"+s.caseID+"/sitreps/check", "application/x-www-form-urlencoded", form.Encode(), nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="withheld"`) {
		t.Fatalf("check at AMBER: %d", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "more restrictive than the report") {
		t.Error("at AMBER for the CSIRTs Network the AMBER reports should not be left out")
	}
	// Without the CSRF token, refused.
	form.Del("csrf_token")
	if rec := elena.do("POST", "/cases/"+s.caseID+"/sitreps/check", "application/x-www-form-urlencoded", form.Encode(), nil); rec.Code != http.StatusForbidden {
		t.Errorf("check without csrf_token: %d", rec.Code)
	}
}

package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A command sent twice — a retried API request with the same Idempotency-Key,
// or a case-room form submitted twice (double click, resend) — is recorded once.

func TestCaseCommandWithIdempotencyKeyIsRecordedOnce(t *testing.T) {
	s := newScenario(t)
	s.caseID = s.openCase("nl.analyst", "Retries", amberCaseAudience)
	send := func(key, detail string) {
		t.Helper()
		c := s.people["nl.coordinator"]
		rec := c.do("POST", "/api/v1/cases/"+s.caseID+"/communications", "application/json",
			`{"kind":"advisory","audience":"public","published_at":"2026-11-30T10:00:00Z","summary":"`+detail+`"}`,
			map[string]string{"X-CSRF-Token": c.csrf, "Idempotency-Key": key})
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	}
	send("k1", "first")
	send("k1", "first") // the retry
	send("k2", "second")
	v, _ := s.caseOf("nl.coordinator", s.caseID)
	if len(v.Case.Communications) != 2 {
		t.Errorf("%d communications recorded, want 2", len(v.Case.Communications))
	}
}

var formKey = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)

func TestCaseRoomFormSentTwiceIsRecordedOnce(t *testing.T) {
	s := newScenario(t)
	s.caseID = s.openCase("nl.analyst", "Double click", amberCaseAudience)
	c := newClient(t, s.h)
	c.uiLogin("nl.coordinator", "nl.coordinator long passphrase")
	page := c.uiGet("/cases/" + s.caseID + "?tab=response").Body.String()
	start := strings.Index(page, `id="recovery-form"`)
	m := formKey.FindStringSubmatch(page[start:])
	if start < 0 || m == nil {
		t.Fatal("the recovery form carries no idempotency key")
	}
	form := url.Values{"sector": {"health"}, "function": {"emergency admissions"}, "state": {"restoring"}, "idempotency_key": {m[1]}}
	for range 2 {
		if rec := c.uiPost("/cases/"+s.caseID+"/recovery", form); rec.Code != http.StatusSeeOther {
			t.Fatalf("%d %.500s", rec.Code, rec.Body.String())
		}
	}
	v, _ := s.caseOf("nl.coordinator", s.caseID)
	if n := len(v.Timeline); n != 2 {
		t.Errorf("%d events, want the opening and one recovery record", n)
	}
	// Each drawing of the page gives each form a new key.
	again := c.uiGet("/cases/" + s.caseID + "?tab=response").Body.String()
	if m2 := formKey.FindStringSubmatch(again[strings.Index(again, `id="recovery-form"`):]); m2 == nil || m2[1] == m[1] {
		t.Error("a redrawn form reuses the key")
	}
}

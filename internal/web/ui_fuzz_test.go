package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/severity"
)

// FuzzUIReportForm: whatever a browser posts as the national report form, the
// form reader never panics, and what it accepts is either filed or refused
// with an Invalid error naming a field — never a server error.
func FuzzUIReportForm(f *testing.F) {
	m, err := model.Load()
	if err != nil {
		f.Fatal(err)
	}
	tax, err := severity.Default()
	if err != nil {
		f.Fatal(err)
	}
	u := &webUI{d: Deps{Model: m, Reports: &reports.Service{Model: m, Taxonomy: tax}}}
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	f.Add("title=Ransomware&summary=x&detected_at=2026-12-01T01%3A00&aware_at=2026-12-01T02%3A00&affected_member_states=NL&sectors=health&affected_entities=3&impact.service-delivery=2&impact.affected-entities=1&impact.other-services=0&impact.damage=1&classification=malicious-code&status=open&tlp=TLP%3AGREEN&audience_kind=community")
	f.Add("detected_at=0000-01-01T00%3A00&affected_entities=-1&impact.damage=99&tlp=TLP%3ARED&audience_kind=users&audience_ids=")
	f.Add("affected_entities=9999999999999999999&other_persons_affected=maybe&aware_at=2026-13-45T99%3A99")
	f.Fuzz(func(t *testing.T, body string) {
		values, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		content, errs := u.reportContent(uiForm{ID: "report-form", Values: values})
		if errs.Any() {
			return
		}
		who := crisis.Reporter{Organisation: "nl-ncsc", User: "u", Role: "analyst", NationalKind: "csirt", MemberState: "NL"}
		if _, err := crisis.DecideFile(m, tax, who, "r-1", content, now); err != nil && !failure.Is(err, failure.Invalid) {
			t.Fatalf("the form's content was refused with %v, not as invalid input", err)
		}
	})
}

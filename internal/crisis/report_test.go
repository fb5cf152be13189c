package crisis_test

import (
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/tlp"
)

var now = time.Date(2026, 12, 1, 2, 40, 0, 0, time.UTC)

func mustModel(t *testing.T) (*model.Model, *severity.Taxonomy) {
	t.Helper()
	m, err := model.Load()
	if err != nil {
		t.Fatal(err)
	}
	tax, err := severity.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m, tax
}

// impact assesses every dimension of the taxonomy at level.
func impact(tax *severity.Taxonomy, level int) severity.Assessment {
	a := severity.Assessment{}
	for _, d := range tax.Dimensions {
		a[d.ID] = level
	}
	return a
}

// MustContent is a valid report of ransomware at hospitals.
func MustContent(t *testing.T, tax *severity.Taxonomy) crisis.ReportContent {
	t.Helper()
	return crisis.ReportContent{
		Title: "Ransomware at three hospitals", Summary: "Encrypted systems at three hospitals; emergency care diverted.",
		DetectedAt: now.Add(-2 * time.Hour), AwareAt: now.Add(-90 * time.Minute),
		AffectedMemberStates: []string{"BE"}, Sectors: []string{"health"}, AffectedEntities: 3,
		EntityRelevance: "two are the only trauma centres of their region", Impact: impact(tax, 2),
		Classification: "malicious-code:infected-system", RootCause: "malicious-actions", Outlook: "worsening",
		Status:  crisis.StatusOpen,
		Marking: tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}},
	}
}

var nlCSIRT = crisis.Reporter{Organisation: "nl-ncsc", User: "u-sanne", Role: "analyst", NationalKind: "csirt", MemberState: "NL"}

func TestFileReport(t *testing.T) {
	m, tax := mustModel(t)
	d, err := crisis.DecideFile(m, tax, nlCSIRT, "r1", MustContent(t, tax), now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Type != crisis.EventReportFiled || d.Marking.TLP != tlp.Amber {
		t.Fatalf("draft = %+v", d)
	}
}

func TestWhoMayFile(t *testing.T) {
	m, tax := mustModel(t)
	cases := map[string]struct {
		who  crisis.Reporter
		kind failure.Kind
	}{
		"CERT-EU for Union entities":   {crisis.Reporter{Organisation: "cert-eu", User: "u", Role: "analyst", Actor: "cert-eu"}, ""},
		"sectoral authority":           {crisis.Reporter{Organisation: "de-bnetza", User: "u", Role: "coordinator", NationalKind: "sectoral-authority", MemberState: "DE"}, ""},
		"national crisis authority":    {crisis.Reporter{Organisation: "fr-sgdsn", User: "u", Role: "analyst", NationalKind: "national-crisis-authority", MemberState: "FR"}, failure.Forbidden},
		"ENISA":                        {crisis.Reporter{Organisation: "enisa", User: "u", Role: "admin", Actor: "enisa"}, failure.Forbidden},
		"a viewer of a national CSIRT": {crisis.Reporter{Organisation: "nl-ncsc", User: "u", Role: "viewer", NationalKind: "csirt", MemberState: "NL"}, failure.Forbidden},
	}
	for name, c := range cases {
		_, err := crisis.DecideFile(m, tax, c.who, "r", MustContent(t, tax), now)
		if c.kind == "" && err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if c.kind != "" && !failure.Is(err, c.kind) {
			t.Errorf("%s: err = %v, want %s", name, err, c.kind)
		}
	}
}

// TestValidationNamesEveryField: a report wrong everywhere gets one error that
// names each field, for the form to show next to it.
func TestValidationNamesEveryField(t *testing.T) {
	m, tax := mustModel(t)
	bad := crisis.ReportContent{
		Title: "", Summary: "", DetectedAt: now.Add(time.Hour), AwareAt: now.Add(-time.Hour),
		AffectedMemberStates: []string{"GR"}, Sectors: []string{"healthcare"}, AffectedEntities: -1,
		Impact: severity.Assessment{"nonsense": 9}, Classification: "malware", RootCause: "aliens", Outlook: "bleak",
		Status: "panic", Marking: tlp.Marking{TLP: "TLP:RED", Audience: tlp.Audience{Kind: tlp.Community}},
	}
	_, err := crisis.DecideFile(m, tax, nlCSIRT, "r", bad, now)
	if !failure.Is(err, failure.Invalid) {
		t.Fatalf("err = %v, want Invalid", err)
	}
	for _, f := range []string{"title", "summary", "detected_at", "aware_at", "affected_member_states", "sectors", "affected_entities", "impact", "classification", "root_cause", "outlook", "status", "marking"} {
		if !strings.Contains(err.Error(), f+":") {
			t.Errorf("the error does not name %s: %v", f, err)
		}
	}
}

func TestAmendKeepsHistoryAndChecksOwner(t *testing.T) {
	m, tax := mustModel(t)
	c := MustContent(t, tax)
	d, err := crisis.DecideFile(m, tax, nlCSIRT, "r1", c, now)
	if err != nil {
		t.Fatal(err)
	}
	r, err := crisis.ApplyReport(crisis.NationalReport{}, d.Type, mustJSON(t, d.Payload), 1, nlCSIRT.User, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.MemberState != "NL" || strings.Join(r.Content.AffectedMemberStates, ",") != "BE,NL" {
		t.Errorf("the reporter's own Member State was not added: %+v", r.Content.AffectedMemberStates)
	}
	c.Impact = impact(tax, 3)
	other := crisis.Reporter{Organisation: "be-ccb", User: "u-y", Role: "admin", NationalKind: "csirt", MemberState: "BE"}
	if _, err := crisis.DecideAmend(m, tax, other, r, c, "escalating", now); !failure.Is(err, failure.Forbidden) {
		t.Errorf("another organisation amended the report: %v", err)
	}
	if _, err := crisis.DecideAmend(m, tax, nlCSIRT, r, c, "  ", now); !failure.Is(err, failure.Invalid) {
		t.Errorf("an amendment without a reason: %v", err)
	}
	d2, err := crisis.DecideAmend(m, tax, nlCSIRT, r, c, "a fourth hospital is hit", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := crisis.ApplyReport(r, d2.Type, mustJSON(t, d2.Payload), 2, nlCSIRT.User, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r2.Severity.Score <= r.Severity.Score || r2.Version != 2 || !r2.FiledAt.Equal(r.FiledAt) {
		t.Errorf("amended report: severity %d → %d, version %d, filed %v → %v", r.Severity.Score, r2.Severity.Score, r2.Version, r.FiledAt, r2.FiledAt)
	}
}

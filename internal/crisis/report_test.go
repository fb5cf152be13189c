package crisis_test

import (
	"fmt"
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

func mustModel(t testing.TB) (*model.Model, *severity.Taxonomy) {
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
func MustContent(t testing.TB, tax *severity.Taxonomy) crisis.ReportContent {
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

// TestReportSuggestsSignificance: a filed or amended report carries the §7(b)
// suggestion, with reasons citing the limb they apply, and the fold keeps it.
func TestReportSuggestsSignificance(t *testing.T) {
	m, tax := mustModel(t)
	for _, tc := range []struct {
		name    string
		level   int
		others  *bool
		outcome severity.Outcome
		reasons []string // in this order
	}{
		{"major disruption and considerable damage", 2, nil, severity.OutcomeSignificant,
			[]string{"§7(b)(a): service delivery at level 2 (major), at or above level 2", "§7(b)(a): damage at level 2 (considerable)"}},
		{"limited impact, other persons not known", 1, nil, severity.OutcomeNotEnoughInformation,
			[]string{"§7(b)(b): not enough information", "§7(b)(a): service delivery at level 1 (degraded), below level 2"}},
		{"limited impact, no other persons", 1, severity.Known(false), severity.OutcomeNotSignificant,
			[]string{"§7(b)(a): service delivery at level 1", "§7(b)(a): damage at level 1", "§7(b)(b): no other natural or legal persons"}},
		{"limited impact, other persons damaged", 1, severity.Known(true), severity.OutcomeSignificant,
			[]string{"§7(b)(b): other natural or legal persons are, or can be, affected"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := MustContent(t, tax)
			c.Impact, c.OtherPersonsAffected = impact(tax, tc.level), tc.others
			d, err := crisis.DecideFile(m, tax, nlCSIRT, "r1", c, now)
			if err != nil {
				t.Fatal(err)
			}
			r, err := crisis.ApplyReport(crisis.NationalReport{}, d.Type, mustJSON(t, d.Payload), 1, nlCSIRT.User, now)
			if err != nil {
				t.Fatal(err)
			}
			checkSuggestion(t, r.Significance, tc.outcome, tc.reasons)
			if (r.Content.OtherPersonsAffected == nil) != (tc.others == nil) {
				t.Errorf("other_persons_affected %v was not kept", tc.others)
			}
		})
	}

	// An amendment recomputes the suggestion from the new content.
	c := MustContent(t, tax)
	d, err := crisis.DecideFile(m, tax, nlCSIRT, "r1", c, now)
	if err != nil {
		t.Fatal(err)
	}
	r, err := crisis.ApplyReport(crisis.NationalReport{}, d.Type, mustJSON(t, d.Payload), 1, nlCSIRT.User, now)
	if err != nil {
		t.Fatal(err)
	}
	c.Impact, c.OtherPersonsAffected = impact(tax, 1), severity.Known(false)
	d, err = crisis.DecideAmend(m, tax, nlCSIRT, r, c, "care restored within the hour; no patient harmed", now)
	if err != nil {
		t.Fatal(err)
	}
	r, err = crisis.ApplyReport(r, d.Type, mustJSON(t, d.Payload), 2, nlCSIRT.User, now)
	if err != nil {
		t.Fatal(err)
	}
	checkSuggestion(t, r.Significance, severity.OutcomeNotSignificant, []string{"§7(b)(b): no other natural or legal persons"})
}

// checkSuggestion checks the outcome, that every reason cites a provision,
// and that the reasons hold each wanted text in order.
func checkSuggestion(t *testing.T, s severity.Suggestion, outcome severity.Outcome, want []string) {
	t.Helper()
	if s.Outcome != outcome || s.Significant != (outcome == severity.OutcomeSignificant) {
		t.Errorf("suggestion %s (significant %v), want %s", s.Outcome, s.Significant, outcome)
	}
	var texts []string
	for _, r := range s.Reasons {
		if !strings.HasPrefix(r.Ref, "§7(b)") {
			t.Errorf("reason %q cites %q, not §7(b)", r.Text, r.Ref)
		}
		texts = append(texts, r.Text)
	}
	all := strings.Join(texts, "\n")
	for _, w := range want {
		i := strings.Index(all, w)
		if i < 0 {
			t.Errorf("reasons lack %q (in this order):\n%s", w, strings.Join(texts, "\n"))
			return
		}
		all = all[i+len(w):]
	}
}

// TestValidationBounds: a time before 1990 (a typo for the year, or one that
// has no RFC 3339 form in UTC) and a count the event store cannot hold
// exactly are refused at the form, naming the field, not when the event is
// stored.
func TestValidationBounds(t *testing.T) {
	m, tax := mustModel(t)
	c := MustContent(t, tax)
	c.DetectedAt = time.Date(0, 1, 1, 0, 0, 0, 0, time.FixedZone("", 23*3600+59*60))
	c.AwareAt = time.Date(26, 12, 1, 2, 0, 0, 0, time.UTC)
	c.AffectedEntities = 1<<53 + 1
	_, err := crisis.DecideFile(m, tax, nlCSIRT, "r", c, now)
	for _, f := range []string{"detected_at: is before 1990", "aware_at: is before 1990", "affected_entities: must be at most"} {
		if !strings.Contains(fmt.Sprint(err), f) {
			t.Errorf("the error does not say %q: %v", f, err)
		}
	}
}

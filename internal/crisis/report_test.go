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

// cloudOutage is a report of a cloud provider's service completely down for
// five hours, with a limited impact on the §30 dimensions and no other
// persons harmed: not significant by §7(b), significant by Art 7(a) of
// Regulation (EU) 2024/2690.
func cloudOutage(t testing.TB, tax *severity.Taxonomy) crisis.ReportContent {
	t.Helper()
	c := MustContent(t, tax)
	c.Title, c.Sectors = "Outage at a cloud provider", []string{"digital-infrastructure"}
	c.Impact, c.OtherPersonsAffected = impact(tax, 1), severity.Known(false)
	c.EntityImpact = &severity.EntityImpact{
		Entity:                   severity.CloudComputingServiceProvider,
		Users:                    severity.Known[int64](3_000_000),
		CompletelyUnavailableFor: severity.Known(severity.Span(5 * time.Hour)),
	}
	return c
}

// TestReportRegulation2024_2690: a report that gives the entity impact
// carries the Regulation's suggestion beside the §7(b) one, in the event and
// the fold; an amendment without it drops it.
func TestReportRegulation2024_2690(t *testing.T) {
	m, tax := mustModel(t)
	c := cloudOutage(t, tax)
	d, err := crisis.DecideFile(m, tax, nlCSIRT, "r1", c, now)
	if err != nil {
		t.Fatal(err)
	}
	payload := mustJSON(t, d.Payload)
	for _, w := range []string{`"entity_impact":{"entity":"cloud-computing-service-provider","users":3000000,"completely_unavailable_for":"5h0m0s"}`, `"regulation_2024_2690":{"significant":true`} {
		if !strings.Contains(string(payload), w) {
			t.Errorf("the payload lacks %s:\n%s", w, payload)
		}
	}
	r, err := crisis.ApplyReport(crisis.NationalReport{}, d.Type, payload, 1, nlCSIRT.User, now)
	if err != nil {
		t.Fatal(err)
	}
	checkSuggestion(t, r.Significance, severity.OutcomeNotSignificant, []string{"§7(b)(a): service delivery at level 1"})
	if r.Regulation == nil {
		t.Fatal("the report has no Regulation (EU) 2024/2690 suggestion")
	}
	const art7a = "Art 7(a) of Regulation (EU) 2024/2690: cloud computing service completely unavailable for 5 h (> 30 min)"
	if s := r.Regulation; s.Outcome != severity.OutcomeSignificant || !s.Significant || len(s.Reasons) != 1 ||
		s.Reasons[0].Text != art7a || s.Reasons[0].Ref != "Art 7(a) of Regulation (EU) 2024/2690" {
		t.Errorf("Regulation suggestion %+v", s)
	}
	if sig, why := r.IsSignificant(); !sig || why != art7a {
		t.Errorf("IsSignificant = %v, %q; want the Art 7(a) reason", sig, why)
	}

	// The outage was scheduled maintenance after all: Art 3(2).
	c.EntityImpact.ScheduledInterruption = true
	d, err = crisis.DecideAmend(m, tax, nlCSIRT, r, c, "the outage was announced maintenance", now)
	if err != nil {
		t.Fatal(err)
	}
	r, err = crisis.ApplyReport(r, d.Type, mustJSON(t, d.Payload), 2, nlCSIRT.User, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Regulation == nil || r.Regulation.Significant || !strings.Contains(fmt.Sprint(r.Regulation.Reasons), "Art 3(2) of Regulation (EU) 2024/2690: the unavailability or limited availability is a scheduled interruption") {
		t.Errorf("after the amendment: %+v", r.Regulation)
	}
	if sig, why := r.IsSignificant(); sig {
		t.Errorf("IsSignificant = true (%s) for scheduled maintenance", why)
	}

	// An amendment without the entity impact drops the suggestion.
	c.EntityImpact = nil
	d, err = crisis.DecideAmend(m, tax, nlCSIRT, r, c, "the provider is not the entity concerned", now)
	if err != nil {
		t.Fatal(err)
	}
	payload = mustJSON(t, d.Payload)
	if strings.Contains(string(payload), "entity_impact") || strings.Contains(string(payload), "regulation_2024_2690") {
		t.Errorf("a report without entity impact carries it: %s", payload)
	}
	if r, err = crisis.ApplyReport(r, d.Type, payload, 3, nlCSIRT.User, now); err != nil || r.Regulation != nil {
		t.Errorf("after dropping the entity impact: %+v, %v", r.Regulation, err)
	}
}

// TestEntityImpactValidation: the entity impact is checked with the rest of
// the content, each fault named under entity_impact. An entity type the
// Regulation does not cover is refused: the reporter leaves the entity
// impact out, and §7(b) with the national thresholds applies.
func TestEntityImpactValidation(t *testing.T) {
	m, tax := mustModel(t)
	for _, tc := range []struct {
		name   string
		change func(*severity.EntityImpact)
		want   []string
	}{
		{"not covered", func(e *severity.EntityImpact) { e.Entity = "hospital" }, []string{
			`entity_impact.entity: "hospital" is not an entity type Regulation (EU) 2024/2690 covers: one of dns-service-provider, tld-name-registry, cloud-computing-service-provider`,
			"trust-service-provider (its Art 1)",
		}},
		{"missing type", func(e *severity.EntityImpact) { e.Entity = "" }, []string{"entity_impact.entity: is missing"}},
		{"negative figures", func(e *severity.EntityImpact) {
			e.Users = severity.Known[int64](-3)
			e.CompletelyUnavailableFor = severity.Known(severity.Span(-time.Hour))
			e.Slowdown = &severity.Slowdown{AverageResponse: severity.Span(-time.Second)}
		}, []string{"entity_impact.users: cannot be negative", "entity_impact.completely_unavailable_for: cannot be negative", "entity_impact.slowdown.average_response: cannot be negative"}},
		{"beyond the event store", func(e *severity.EntityImpact) { e.DirectFinancialLoss = severity.Known[int64](1<<53 + 1) },
			[]string{"entity_impact.direct_financial_loss_cents: must be at most"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cloudOutage(t, tax)
			tc.change(c.EntityImpact)
			c.Title = "" // a fault outside entity_impact is named with them
			_, err := crisis.DecideFile(m, tax, nlCSIRT, "r", c, now)
			if !failure.Is(err, failure.Invalid) {
				t.Fatalf("err = %v, want Invalid", err)
			}
			checkFieldError(t, err)
			for _, w := range append(tc.want, "title:") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error does not say %q: %v", w, err)
				}
			}
		})
	}
}

func TestIsSignificant(t *testing.T) {
	significant := func(text string) *severity.Suggestion {
		return &severity.Suggestion{Significant: true, Outcome: severity.OutcomeSignificant, Reasons: []severity.Reason{{Text: text}}}
	}
	not := &severity.Suggestion{Outcome: severity.OutcomeNotSignificant, Reasons: []severity.Reason{{Text: "nothing met"}}}
	for _, tc := range []struct {
		name        string
		sig, reg    *severity.Suggestion
		significant bool
		why         string
	}{
		{"neither", not, nil, false, ""},
		{"neither, with the Regulation", not, not, false, ""},
		{"§7(b) only", significant("§7(b)(a): severe"), nil, true, "§7(b)(a): severe"},
		{"the Regulation only", not, significant("Art 7(a)"), true, "Art 7(a)"},
		{"both: §7(b) first", significant("§7(b)(b): others"), significant("Art 7(a)"), true, "§7(b)(b): others"},
		{"the Regulation, without reasons", not, &severity.Suggestion{Significant: true, Outcome: severity.OutcomeSignificant}, true, "the criteria of Regulation (EU) 2024/2690 are met"},
		{"not covered", not, &severity.Suggestion{Outcome: severity.OutcomeNotCovered, Reasons: []severity.Reason{{Text: "not covered"}}}, false, ""},
	} {
		r := crisis.NationalReport{Significance: *tc.sig, Regulation: tc.reg}
		if sig, why := r.IsSignificant(); sig != tc.significant || why != tc.why {
			t.Errorf("%s: IsSignificant = %v, %q; want %v, %q", tc.name, sig, why, tc.significant, tc.why)
		}
	}
}

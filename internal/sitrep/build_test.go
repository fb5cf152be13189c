package sitrep_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/ledger"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/sitrep"
	"github.com/eucyber/blueprint/internal/tlp"
)

var at = time.Date(2026, 12, 1, 2, 40, 0, 0, time.UTC)

// directory resolves the audiences of the fixed case: each organisation's
// networks, for tlp.Combine.
type directory map[string][]string

func (d directory) OrganisationNetworks(org string) []string { return d[org] }
func (d directory) UserOrganisation(string) (string, bool)   { return "", false }

var dir = directory{"nl-ncsc": {"csirts-network"}, "be-ccb": {"csirts-network"}, "el-csirt": {"csirts-network"}, "enisa": {"csirts-network", "eu-cyclone"}}

var (
	green       = tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}}
	amberCSIRTs = tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}}
	redSanne    = tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Users, IDs: []string{"u-sanne"}}}
)

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

// nationalReport is a report as internal/reports stores it, built by hand.
func nationalReport(t testing.TB, tax *severity.Taxonomy, id, org, ms, title string, level int, marking tlp.Marking) crisis.NationalReport {
	t.Helper()
	a := severity.Assessment{}
	for _, d := range tax.Dimensions {
		a[d.ID] = level
	}
	sev, err := tax.Score(a)
	if err != nil {
		t.Fatal(err)
	}
	return crisis.NationalReport{ID: id, Organisation: org, MemberState: ms, FiledBy: "u-" + org, FiledAt: at, AmendedAt: at, Version: 1,
		Severity: sev, Significance: severity.SuggestSignificant(tax.SignificanceInput(a)),
		Content: crisis.ReportContent{Title: title, Summary: "summary of " + title, DetectedAt: at.Add(-2 * time.Hour), AwareAt: at.Add(-time.Hour),
			AffectedMemberStates: []string{ms, "DE"}, Sectors: []string{"health"}, AffectedEntities: 3, EntityRelevance: "regional hospitals",
			Impact: a, Classification: "malicious-code:infected-system", RootCause: "malicious-actions", Outlook: "stable",
			Status: crisis.StatusOpen, Marking: marking}}
}

// fixedInput is one multi-Member-State case as its author (ENISA) sees it:
// GREEN reports from NL and EL, an AMBER one from BE, and a RED one.
func fixedInput(t testing.TB, marking tlp.Marking) sitrep.Input {
	t.Helper()
	m, tax := mustModel(t)
	reps := []crisis.NationalReport{
		nationalReport(t, tax, "r-nl", "nl-ncsc", "NL", "Ransomware at three hospitals", 3, green),
		nationalReport(t, tax, "r-el", "el-csirt", "EL", "Νοσοκομείο Αθηνών offline", 2, green),
		nationalReport(t, tax, "r-be", "be-ccb", "BE", "AMBER-ONLY hospital wiper detail", 3, amberCSIRTs),
		nationalReport(t, tax, "r-red", "nl-ncsc", "NL", "RED-ONLY informant name", 1, redSanne),
	}
	c := crisis.Case{ID: "c-1", Title: "Hospital ransomware", Marking: green, Organisation: "enisa", OpenedAt: at, Level: crisis.LevelLargeScale, Version: 9,
		Networks: []crisis.NetworkActivation{{Network: "csirts-network", Active: true, ActivatedAt: at, Reason: "cross-border", Marking: green, Event: "e-net"}},
		Decisions: []crisis.Decision{{Authority: crisis.AuthorityCyCLONe, Level: crisis.LevelLargeScale, Previous: crisis.LevelPotentialLargeScale,
			Reason: "NL and EL significant", Organisation: "dk-ccma", At: at, Marking: green, Event: "e-dec"},
			{Authority: crisis.AuthorityNetworkAdvice, Level: crisis.LevelPotentialLargeScale, Previous: crisis.LevelSignificant,
				Reason: "AMBER-ONLY advice reasoning", Organisation: "fi-ncsc", At: at, Marking: amberCSIRTs, Event: "e-adv"}},
		IPCR: crisis.IPCR{Mode: crisis.IPCRNone}}
	for _, r := range reps {
		c.Reports = append(c.Reports, crisis.LinkedReport{Report: r.ID, MemberState: r.MemberState, Organisation: r.Organisation})
	}
	// The Union response: a Reserve request by NL deployed 25 hours after it
	// was made, its content marked for the CSIRTs Network only; a press
	// release; a recovery status.
	requested := at.Add(-30 * time.Hour)
	by := func(org string, when time.Time, m tlp.Marking, event string) crisis.Record {
		return crisis.Record{Organisation: org, By: "u-" + org, At: when, Marking: m, Event: event}
	}
	notice := by("nl-ncsc", requested, green, "e-notice")
	c.Reserve = []crisis.ReserveRequest{{ID: "reserve-5", Requester: "NL", Organisation: "nl-ncsc", RequestedAt: requested,
		Content: &crisis.ReserveContent{ReserveFields: crisis.ReserveFields{AffectedEntity: "AMBER-ONLY hospital group", Impact: "patient records encrypted", PlannedUse: "forensics",
			EstimatedNeeds: "2 responders, 10 days", Mitigation: "isolated the network", OtherSupport: "none"}, Record: by("nl-ncsc", requested, amberCSIRTs, "e-req")},
		Notified: []string{"csirts-network", "eu-cyclone"}, Notice: &notice, Status: crisis.ReserveDeployed, DeployedAt: requested.Add(25 * time.Hour),
		Updates: []crisis.ReserveUpdate{{Status: crisis.ReserveAssessed, Record: by("commission", requested.Add(2*time.Hour), green, "e-assessed")},
			{Status: crisis.ReserveApproved, Record: by("commission", requested.Add(3*time.Hour), green, "e-approved")},
			{Status: crisis.ReserveDeployed, Note: "team on site", Record: by("commission", requested.Add(25*time.Hour), green, "e-deployed")}}}}
	c.Communications = []crisis.Communication{{Kind: crisis.CommunicationPress, MemberState: "NL", Audience: "general public", PublishedAt: at,
		Link: "https://ncsc.example/press/1", Summary: "hospitals take emergency admissions elsewhere", Record: by("nl-ncsc", at, green, "e-press")}}
	c.Recovery = []crisis.RecoveryStatus{{MemberState: "NL", Sector: "health", Function: "emergency admissions", State: crisis.RecoveryRestoring,
		Record: by("nl-ncsc", at, green, "e-recovery")}}
	return sitrep.Input{Case: c, Reports: reps, Ladder: crisis.Suggest(c, reps), Model: m, Directory: dir,
		ReserveClocks: crisis.ReserveClocks(c, func(t time.Time) time.Time { return t.Add(24 * time.Hour) }, at),
		Author:        sitrep.Author{Organisation: "enisa", User: "u-elena", Name: "Elena"}, Marking: marking, Now: at}
}

func TestEveryKindHasItsSections(t *testing.T) {
	want := map[sitrep.Kind][]string{
		sitrep.Technical:   {"National reports by Member State", "Member States named as affected without a report", "CSIRTs Network advice to EU-CyCLONe"},
		sitrep.Operational: {"Impact per sector and Member State", "Cross-sector effects", "Union mechanisms engaged", "EU Cybersecurity Reserve requests", "Public communication", "Recovery of core functions", "Outlook"},
		sitrep.ISAA:        {"Summary", "What is being done", "What the political level is asked to decide"},
		sitrep.Lessons:     {"Decisions taken", "Steps done late or overdue", "Recovery of core functions", "Incident reviews", "Lessons recorded"},
	}
	for kind, headings := range want {
		b, err := sitrep.BuildDocument(kind, fixedInput(t, amberCSIRTs))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range headings {
			found := false
			for _, s := range b.Document.Sections {
				if s.Heading == h {
					found = true
					if len(s.Items) == 0 && s.Empty != "none recorded" {
						t.Errorf("%s: empty section %q does not say none recorded", kind, h)
					}
				}
			}
			if !found {
				t.Errorf("%s report lacks section %q", kind, h)
			}
		}
		for _, s := range b.Document.Sections {
			for _, it := range s.Items {
				if it.Source.Kind == "" || it.Source.ID == "" {
					t.Errorf("%s: item %q has no source", kind, it.Heading)
				}
			}
		}
	}
}

// TestGreenReportWithholdsAmberAndRed: the author chooses GREEN; nothing of
// the AMBER and RED items reaches the document, and the author is told how
// many were left out and why.
func TestGreenReportWithholdsAmberAndRed(t *testing.T) {
	for _, kind := range sitrep.Kinds() {
		b, err := sitrep.BuildDocument(kind, fixedInput(t, green))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(b.Document)
		for _, secret := range []string{"AMBER-ONLY", "RED-ONLY", "r-be", "r-red"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("%s: the GREEN document contains %q", kind, secret)
			}
		}
		if kind == sitrep.Technical {
			reasons := map[string]int{}
			for _, w := range b.Withheld {
				reasons[w.Reason] = w.Count
			}
			if reasons["marked TLP:AMBER, more restrictive than the report's TLP:GREEN"] != 2 || reasons["marked TLP:RED, more restrictive than the report's TLP:GREEN"] != 1 {
				t.Errorf("withheld: %+v", b.Withheld)
			}
		}
	}
	// The AMBER report for the CSIRTs Network includes the AMBER items.
	b, err := sitrep.BuildDocument(sitrep.Technical, fixedInput(t, amberCSIRTs))
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := json.Marshal(b.Document); !strings.Contains(string(raw), "AMBER-ONLY hospital wiper detail") || strings.Contains(string(raw), "RED-ONLY") {
		t.Error("the AMBER report should hold the AMBER report and not the RED one")
	}
}

func TestBuildRefusesBadInput(t *testing.T) {
	if _, err := sitrep.BuildDocument("weekly", fixedInput(t, green)); !failure.Is(err, failure.Invalid) {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := sitrep.BuildDocument(sitrep.Technical, fixedInput(t, tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Community}})); !failure.Is(err, failure.Invalid) {
		t.Errorf("AMBER for the community: %v", err)
	}
	in := fixedInput(t, green)
	in.Marking.Exercise = "ex-1"
	if _, err := sitrep.BuildDocument(sitrep.Technical, in); !failure.Is(err, failure.Invalid) {
		t.Errorf("exercise marking on a real case: %v", err)
	}
}

func TestDeltaAndSignature(t *testing.T) {
	first, err := sitrep.BuildDocument(sitrep.Technical, fixedInput(t, amberCSIRTs))
	if err != nil {
		t.Fatal(err)
	}
	v1 := first.Document
	v1.Version = 1
	in := fixedInput(t, amberCSIRTs)
	in.Reports[0].Content.Status = crisis.StatusMitigating // NL changed
	in.Reports = append(in.Reports[:1], in.Reports[2:]...) // EL withdrew from the case
	second, err := sitrep.BuildDocument(sitrep.Technical, in)
	if err != nil {
		t.Fatal(err)
	}
	v2 := second.Document
	v2.Version = 2
	d := sitrep.Diff(v1, v2)
	if d.Previous != 1 || len(d.Changed) == 0 || !strings.Contains(strings.Join(d.Changed, "|"), "Netherlands (NL) — Ransomware at three hospitals") {
		t.Errorf("changed: %+v", d)
	}
	if !strings.Contains(strings.Join(d.Removed, "|"), "Νοσοκομείο Αθηνών offline") {
		t.Errorf("removed: %+v", d.Removed)
	}

	keys, _, err := ledger.LoadOrCreateKeys(t.TempDir(), "test.node")
	if err != nil {
		t.Fatal(err)
	}
	sig, digest, err := sitrep.Sign(keys.Signer, v2)
	if err != nil || !strings.HasPrefix(digest, "sha256:") {
		t.Fatal(err, digest)
	}
	if err := sitrep.VerifySignature(keys.Verifier, v2, sig); err != nil {
		t.Fatalf("own signature: %v", err)
	}
	tampered := v2
	tampered.Sections = append([]sitrep.Section(nil), v2.Sections...)
	tampered.Sections[0].Heading = "Situation (edited)"
	if err := sitrep.VerifySignature(keys.Verifier, tampered, sig); err == nil {
		t.Error("an edited document still verifies")
	}
	v1sig, _, _ := sitrep.Sign(keys.Signer, v1)
	if err := sitrep.VerifySignature(keys.Verifier, v2, v1sig); err == nil {
		t.Error("version 1's signature verifies version 2")
	}
}

// TestBuildGolden builds every kind from the fixed multi-Member-State case and
// renders it in every format. Markdown, HTML and JSON are compared with
// testdata/build/<kind>.<ext> (`go test ./internal/sitrep/ -run Golden -update`
// rewrites them; read the diff before committing); the PDF's text must carry
// the marking on every page and every section heading.
func TestBuildGolden(t *testing.T) {
	update := false
	if f := flag.Lookup("update"); f != nil {
		update = f.Value.(flag.Getter).Get().(bool)
	}
	for _, kind := range sitrep.Kinds() {
		b, err := sitrep.BuildDocument(kind, fixedInput(t, amberCSIRTs))
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"md", "html", "json"} {
			var got bytes.Buffer
			if err := sitrep.Render(&got, b.Document, format); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "build", string(kind)+"."+format)
			if update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s %s differs from %s (run with -update and review the diff)", kind, format, path)
			}
		}
		var pdf bytes.Buffer
		if err := sitrep.Render(&pdf, b.Document, "pdf"); err != nil {
			t.Fatal(err)
		}
		text := pdftotext(t, pdf.Bytes())
		pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
		for i, page := range pages {
			if strings.Count(page, "TLP:AMBER") < 2 {
				t.Errorf("%s PDF page %d does not carry TLP:AMBER in its header and footer", kind, i+1)
			}
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, s := range b.Document.Sections {
			if !strings.Contains(flat, s.Heading) {
				t.Errorf("%s PDF lacks the section heading %q", kind, s.Heading)
			}
		}
	}
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext (install poppler-utils; .ci/run does): %v", err)
	}
	return string(out)
}

// BenchmarkBuild builds each kind for a case with 27 Member States × 20
// national reports (540), and the technical report rendered as PDF.
func BenchmarkBuild(b *testing.B) {
	in := fixedInput(b, amberCSIRTs)
	_, tax := mustModel(b)
	in.Reports = nil
	in.Case.Reports = nil
	for _, ms := range []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"} {
		for i := range 20 {
			r := nationalReport(b, tax, fmt.Sprintf("r-%s-%d", ms, i), strings.ToLower(ms)+"-csirt", ms, fmt.Sprintf("Report %d of %s", i, ms), i%4, amberCSIRTs)
			in.Reports = append(in.Reports, r)
			in.Case.Reports = append(in.Case.Reports, crisis.LinkedReport{Report: r.ID, MemberState: ms, Organisation: r.Organisation})
		}
	}
	for _, kind := range sitrep.Kinds() {
		b.Run(string(kind), func(b *testing.B) {
			for b.Loop() {
				if _, err := sitrep.BuildDocument(kind, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("technical+pdf", func(b *testing.B) {
		for b.Loop() {
			built, err := sitrep.BuildDocument(sitrep.Technical, in)
			if err != nil {
				b.Fatal(err)
			}
			if err := sitrep.Render(io.Discard, built.Document, "pdf"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

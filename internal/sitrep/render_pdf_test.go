package sitrep

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/tlp"
)

// pdfPages renders d and reads its text back with pdftotext, one string per
// page. pdftotext is a hard requirement, not a reason to skip: .ci/run
// installs it, and without it the PDF would go untested.
func pdfPages(t *testing.T, d Document) (pdf []byte, pages []string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is not on PATH: install poppler-utils (apt-get install -y poppler-utils), as .ci/run does; the PDF tests read the text back with it")
	}
	var b bytes.Buffer
	if err := RenderPDF(&b, d); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "report.pdf"), filepath.Join(dir, "report.txt")
	if err := os.WriteFile(in, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, msg)
	}
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// pdftotext ends every page with a form feed.
	pages = strings.Split(strings.TrimSuffix(string(text), "\f"), "\f")
	return b.Bytes(), pages
}

func nonBlankLines(page string) []string {
	var lines []string
	for line := range strings.Lines(page) {
		if strings.TrimSpace(line) != "" {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	return lines
}

func TestPDFMarksEveryPage(t *testing.T) {
	const banner = "EXERCISE — Cyber Europe 2026 — not real-world data"
	marking := regexp.MustCompile(`^TLP:AMBER\s+shared with: the participants of csirts-network`)
	for name, d := range map[string]Document{
		"real world":                  testDocument(Technical),
		"exercise":                    exerciseDocument(Technical),
		"27 Member States × 20 items": bigDocument(20),
	} {
		t.Run(name, func(t *testing.T) {
			pdf, pages := pdfPages(t, d)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: starts %q", pdf[:min(8, len(pdf))])
			}
			if name == "27 Member States × 20 items" && len(pages) < 20 {
				t.Errorf("%d pages: the long report did not break across pages", len(pages))
			}
			for i, page := range pages {
				lines := nonBlankLines(page)
				if len(lines) < 3 {
					t.Fatalf("page %d has %d lines:\n%s", i+1, len(lines), page)
				}
				first, last := lines[0], lines[len(lines)-1]
				if !marking.MatchString(first) {
					t.Errorf("page %d: header %q lacks the marking", i+1, first)
				}
				if !marking.MatchString(last) {
					t.Errorf("page %d: footer %q lacks the marking", i+1, last)
				}
				if n := strings.Count(page, "TLP:AMBER"); n < 2 {
					t.Errorf("page %d: TLP:AMBER appears %d times", i+1, n)
				}
				if want := fmt.Sprintf("page %d of %d", i+1, len(pages)); !strings.HasSuffix(last, want) {
					t.Errorf("page %d: footer %q does not end with %q", i+1, last, want)
				}
				if d.Exercise != "" {
					if lines[1] != banner || lines[len(lines)-2] != banner {
						t.Errorf("page %d: the EXERCISE banner is not under the header and over the footer: %q, %q", i+1, lines[1], lines[len(lines)-2])
					}
				} else if strings.Contains(page, "EXERCISE") {
					t.Errorf("page %d of a real-world report carries the EXERCISE banner", i+1)
				}
			}
			text := strings.Join(pages, "\n")
			for _, s := range d.Sections {
				if !strings.Contains(text, headingText(s)) {
					t.Errorf("section heading %q is missing", headingText(s))
				}
			}
		})
	}
}

func TestPDFContent(t *testing.T) {
	d := testDocument(Technical)
	_, pages := pdfPages(t, d)
	text := strings.Join(pages, "\n")
	// pdftotext -layout keeps the words of a line, not the spacing between
	// label and value columns.
	words := regexp.MustCompile(`\s+`).ReplaceAllString(text, " ")
	for _, want := range []string{
		d.Title,
		"Νοσοκομείο Αθηνών", "Επαναφορά σε εξέλιξη", // Greek
		"Болница „Св. Анна“, София",           // Bulgarian Cyrillic
		"Spitalul Județean Timișoara", "Łódź", // Romanian ș/ț, Polish
		"Version 2",
		"Built at 2026-03-05T14:30:00Z (Thursday 5 March 2026, 14:30 UTC)",
		"Author Anna Kowalska (a.kowalska), enisa",
		"Marking TLP:AMBER — shared with: the participants of csirts-network",
		"Changes since version 1",
		"Removed none",
		"Decisions (§49)", "none recorded",
		"Source: national report 0195b7c3-0000-7000-8000-000000000003, version 2, from el-csirt (EL), at 2026-03-05T11:45:00Z — marked TLP:AMBER",
		"Shared as *.zip on [MISP event](misp-4711) — <see> the hash_list & #42",
		"Encrypted systems in 3 hospitals. Patient care diverted since 04:00 UTC.",
		fmt.Sprintf("page 1 of %d", len(pages)),
	} {
		if !strings.Contains(words, want) {
			t.Errorf("the PDF text lacks %q:\n%s", want, text)
		}
	}
	// Each item carries its own label as a badge beside its heading.
	if !regexp.MustCompile(`Belgium \(BE\) — Same actor, one clinic\s+TLP:GREEN`).MatchString(text) {
		t.Errorf("the BE item's TLP:GREEN badge is missing:\n%s", text)
	}
}

func TestPDFIsReproducible(t *testing.T) {
	d := exerciseDocument(Lessons)
	var a, b bytes.Buffer
	if err := RenderPDF(&a, d); err != nil {
		t.Fatal(err)
	}
	if err := RenderPDF(&b, d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the same document differ")
	}
	if !bytes.Contains(a.Bytes(), []byte("D:20260305143000")) {
		t.Error("the PDF's dates are not the report's built-at time")
	}
}

// pagesAlias was the placeholder the fpdf renderer wrote for the page count
// until the document was closed. gopdf's renderer numbers pages without one,
// but user text that looks like it must still print as typed.
const pagesAlias = "{sitrep:pages}"

// TestPDFAwkwardText feeds the layout what users type: characters beyond the
// font's tables, control characters, words longer than a line, the old
// page-count placeholder, a value longer than a page, and an audience too
// long for the header.
func TestPDFAwkwardText(t *testing.T) {
	d := testDocument(Operational)
	var orgs []string
	for _, ms := range memberStates {
		orgs = append(orgs, strings.ToLower(ms)+"-national-cyber-security-centre")
	}
	d.Marking = tlp.Marking{TLP: tlp.AmberStrict, Audience: tlp.Audience{Kind: tlp.Organisations, IDs: orgs}}
	long := strings.Repeat("0123456789abcdef", 40)
	d.Sections[0].Items[0].Facts = append(d.Sections[0].Items[0].Facts,
		Fact{"Emoji and controls", "ambulance 🚑 bell\x07 tab\tend"},
		Fact{"Hash", long},
		Fact{"Placeholder", pagesAlias},
		Fact{"Log", strings.Repeat("a line of a very long log excerpt\n", 150)},
	)
	_, pages := pdfPages(t, d)
	if len(pages) < 3 {
		t.Errorf("a 150-line value fits on %d pages", len(pages))
	}
	text := strings.Join(pages, "")
	if strings.Count(strings.Join(strings.Fields(text), ""), long) != 1 {
		t.Error("the long hash did not survive wrapping")
	}
	if !strings.Contains(text, pagesAlias) {
		t.Error("the old page-count placeholder in user text did not print as typed")
	}
	if !strings.Contains(text, "ambulance � bell tab end") {
		t.Errorf("emoji and control characters were not replaced:\n%s", text)
	}
	for i, page := range pages {
		lines := nonBlankLines(page)
		if header := lines[0]; !strings.HasPrefix(header, "TLP:AMBER+STRICT") || !strings.HasSuffix(header, "…") {
			t.Errorf("page %d: header %q is not the label and the shortened audience", i+1, header)
		}
	}
	words := strings.Join(strings.Fields(text), " ")
	if full := "Marking TLP:AMBER+STRICT — shared with: " + sharedWith(d.Marking.Audience); !strings.Contains(words, full) {
		t.Errorf("the full audience %q is not in the body", full)
	}
}

package sitrep

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/tlp"
)

// Another test file of the package may define -update for its own goldens:
// look the flag up instead of defining it twice, which would panic.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata")
	}
}

func updateGoldens() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

var (
	amberCSIRTs = tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}}
	greenAll    = tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}}
)

// testDocument is a fixed report on one case with items from four Member
// States in three scripts, an empty section, a delta and user text that
// looks like markup.
func testDocument(kind Kind) Document {
	built := time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC)
	nr := func(n int, org, ms string, version int64, at string) Source {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			panic(err) // a typo in the fixture, not a test outcome
		}
		return Source{Kind: "national-report", ID: fmt.Sprintf("0195b7c3-0000-7000-8000-00000000000%d", n), Version: version, Organisation: org, MemberState: ms, At: t}
	}
	d := Document{
		Case:      "0195b7c2-6c1e-7d4a-9f00-3a1b2c3d4e5f",
		CaseTitle: "Ransomware against hospital networks",
		Kind:      kind,
		Version:   2,
		BuiltAt:   built,
		Author:    Author{Organisation: "enisa", User: "a.kowalska", Name: "Anna Kowalska"},
		Marking:   amberCSIRTs,
		Delta: &Delta{
			Previous: 1,
			Added:    []string{"Member States — Bulgaria (BG) — Болница: systems encrypted"},
			Removed:  []string{},
			Changed:  []string{"Member States — Greece (EL) — Νοσοκομείο Αθηνών", "Signals — Escalation suggested"},
		},
		Sections: []Section{
			{ID: "member-states", Heading: "Member States", Ref: "§55(a)(iv)", Items: []Item{
				{
					Heading: "Netherlands (NL) — Hospital group encrypted",
					Facts: []Fact{
						{"Status", "ongoing"},
						{"Severity", "72/100, high"},
						{"Sectors", "Health; Digital infrastructure"},
						{"Summary", "Encrypted systems in 3 hospitals.\nPatient care diverted since 04:00 UTC."},
					},
					Source:  nr(1, "nl-ncsc", "NL", 3, "2026-03-05T09:12:00Z"),
					Marking: amberCSIRTs,
				},
				{
					Heading: "Belgium (BE) — Same actor, one clinic",
					Facts: []Fact{
						{"Status", "contained"},
						{"Indicators", "Shared as *.zip on [MISP event](misp-4711) — <see> the hash_list & #42"},
						{"Root cause (nis2)", "not given"},
					},
					Source:  nr(2, "be-ccb", "BE", 1, "2026-03-05T10:01:30Z"),
					Marking: greenAll,
				},
				{
					Heading: "Greece (EL) — Νοσοκομείο Αθηνών",
					Facts: []Fact{
						{"Status", "Επαναφορά σε εξέλιξη"},
						{"Affected entities", "1 — Νοσοκομείο Αθηνών"},
					},
					Source:  nr(3, "el-csirt", "EL", 2, "2026-03-05T11:45:00Z"),
					Marking: amberCSIRTs,
				},
				{
					Heading: "Bulgaria (BG) — Болница: systems encrypted",
					Facts: []Fact{
						{"Status", "ongoing"},
						{"Affected entities", "2 — Болница „Св. Анна“, София"},
					},
					Source:  nr(4, "bg-cert", "BG", 1, "2026-03-05T12:20:00Z"),
					Marking: amberCSIRTs,
				},
			}},
			{ID: "decisions", Heading: "Decisions", Ref: "§49", Items: []Item{}, Empty: "none recorded"},
			{ID: "signals", Heading: "Signals", Items: []Item{{
				Heading: "Escalation suggested",
				Facts: []Fact{
					{"Suggested level", "large-scale incident"},
					{"Why", "Four Member States affected, including Spitalul Județean Timișoara (RO) and a clinic in Łódź (PL) reported by their CSIRTs."},
				},
				Source:  Source{Kind: "case-event", ID: "0195b7c4-0000-7000-8000-000000000009", Version: 14, Organisation: "enisa", At: time.Date(2026, 3, 5, 13, 0, 0, 0, time.UTC)},
				Marking: greenAll,
			}}},
		},
	}
	switch kind {
	case Technical:
		d.Title, d.Ref = "CSIRTs Network technical situation report", "§55(a)(iv)"
		d.Addressees = []string{"EU-CyCLONe", "CSIRTs Network"}
	case Operational:
		d.Title, d.Ref = "EU-CyCLONe operational situation report", "§55(b)(iii)"
		d.Addressees = []string{"Council (IPCR)", "EU-CyCLONe"}
	case ISAA:
		d.Title, d.Ref = "Input for the ISAA report", "§55(c)(iv), §57"
		d.Addressees = []string{"Council Presidency (IPCR)", "Commission and EEAS (ISAA)"}
	case Lessons:
		d.Title, d.Ref = "Lessons-learned list", "§74"
		d.Addressees = []string{"CSIRTs Network", "NIS Cooperation Group", "Council"}
	}
	return d
}

// exerciseDocument is testDocument for a case of an exercise.
func exerciseDocument(kind Kind) Document {
	d := testDocument(kind)
	d.Exercise = "Cyber Europe 2026"
	d.Marking.Exercise = d.Exercise
	return d
}

// goldenCases are the documents compared with testdata/render/<name>.<ext>.
func goldenCases() map[string]Document {
	cases := map[string]Document{}
	for _, k := range Kinds() {
		cases[string(k)] = testDocument(k)
	}
	cases["technical-exercise"] = exerciseDocument(Technical)
	return cases
}

// TestRenderGolden compares the text formats with reviewed files; run
// `go test ./internal/sitrep/ -run Golden -update` to rewrite them, then read
// the diff.
func TestRenderGolden(t *testing.T) {
	for name, d := range goldenCases() {
		for _, format := range []string{FormatMarkdown, FormatHTML, FormatJSON} {
			t.Run(name+FileExtension(format), func(t *testing.T) {
				var got bytes.Buffer
				if err := Render(&got, d, format); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", "render", name+FileExtension(format))
				if updateGoldens() {
					if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("%s differs from %s at %s (run with -update and review the diff)", format, path, firstDifference(got.String(), string(want)))
				}
			})
		}
	}
}

// firstDifference shows where two texts part, with a little context.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	line := strings.Count(got[:i], "\n") + 1
	excerpt := func(s string) string { return s[i:min(len(s), i+60)] }
	return fmt.Sprintf("line %d: got %q, want %q", line, excerpt(got), excerpt(want))
}

func TestRenderJSONRoundTrips(t *testing.T) {
	d := exerciseDocument(ISAA)
	var b bytes.Buffer
	if err := RenderJSON(&b, d); err != nil {
		t.Fatal(err)
	}
	var back Document
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	first, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Errorf("JSON does not read back to the same document:\n%s\n%s", first, again)
	}
}

func TestMarkdownShowsMarkupLiterally(t *testing.T) {
	d := testDocument(Technical)
	d.Title = "*x* [a](b) <b>bold</b> `code` # not a heading | ~~gone~~ & &amp;"
	d.Sections[0].Items[0].Facts = []Fact{
		{"Lines", "first\n# heading?\n- list?\n1. ordered?\n===\n\n> quote?"},
	}
	var b bytes.Buffer
	if err := RenderMarkdown(&b, d); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		`# \*x\* \[a\](b) \<b\>bold\</b\> \` + "`code\\`" + ` \# not a heading \| \~\~gone\~\~ \& \&amp;`,
		"- **Lines:** first\\\n  \\# heading?\\\n  \\- list?\\\n  1\\. ordered?\\\n  \\===\\\n  \\> quote?\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestMarkdownAndHTMLCarryTheMarkingAndBanner(t *testing.T) {
	d := exerciseDocument(Operational)
	for _, format := range []string{FormatMarkdown, FormatHTML} {
		var b bytes.Buffer
		if err := Render(&b, d, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		shared := "shared with: the participants of csirts-network"
		if n := strings.Count(out, shared); n != 2 {
			t.Errorf("%s: %q appears %d times, want 2 (top and bottom)", format, shared, n)
		}
		if n := strings.Count(out, "EXERCISE — Cyber Europe 2026 — not real-world data"); n != 2 {
			t.Errorf("%s: the EXERCISE banner appears %d times, want 2", format, n)
		}
		if format == FormatMarkdown && (!strings.HasPrefix(out, "**TLP:AMBER** — "+shared) || !strings.HasSuffix(out, "**TLP:AMBER** — "+shared+"\n")) {
			t.Errorf("Markdown does not begin and end with the TLP label line:\n%s", out)
		}
	}

	var b bytes.Buffer
	if err := RenderMarkdown(&b, testDocument(Operational)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "EXERCISE") {
		t.Error("a real-world report carries the EXERCISE banner")
	}
}

func TestHTMLLabelColours(t *testing.T) {
	// FIRST TLP 2.0: coloured label text on a black background.
	want := map[tlp.Label]string{
		tlp.Red:         "#FF2B2B",
		tlp.Amber:       "#FFC000",
		tlp.AmberStrict: "#FFC000",
		tlp.Green:       "#33FF00",
		tlp.Clear:       "#FFFFFF",
	}
	d := testDocument(Technical)
	for _, l := range tlp.Labels() {
		d.Sections[0].Items[0].Marking.TLP = l
		var b bytes.Buffer
		if err := RenderHTML(&b, d); err != nil {
			t.Fatal(err)
		}
		rule := "." + labelClass(l) + " { color: " + want[l] + "; }"
		if !strings.Contains(b.String(), rule) {
			t.Errorf("%s: no CSS rule %q", l, rule)
		}
		// html/template writes "+" as "&#43;".
		badge := `<span class="tlp badge ` + labelClass(l) + `">` + strings.ReplaceAll(string(l), "+", "&#43;") + `</span>`
		if !strings.Contains(b.String(), badge) {
			t.Errorf("%s: no badge %q", l, badge)
		}
		if r, g, bl := labelRGB(l); fmt.Sprintf("#%02X%02X%02X", r, g, bl) != want[l] {
			t.Errorf("%s: PDF colour #%02X%02X%02X, want %s", l, r, g, bl, want[l])
		}
	}
	if !strings.Contains(mustRender(t, RenderHTML, d), ".tlp { padding: 0.1rem 0.4rem; background: #000;") {
		t.Error("labels are not on black")
	}
}

func TestHTMLFragmentIsTheBodyOnly(t *testing.T) {
	frag := mustRender(t, RenderHTMLFragment, exerciseDocument(Lessons))
	if !strings.HasPrefix(frag, `<article class="sitrep exercise">`) || strings.Contains(frag, "<html") || strings.Contains(frag, "<head>") || strings.Contains(frag, "<style") {
		t.Errorf("fragment is not one <article>:\n%.300s", frag)
	}
	page := mustRender(t, RenderHTML, exerciseDocument(Lessons))
	for _, want := range []string{"<!DOCTYPE html>", `<html lang="en">`, `<meta charset="utf-8">`, "position: fixed", "@media print"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, external := range []string{"<link", "<script", "src=", "@import", "url("} {
		if strings.Contains(page, external) {
			t.Errorf("page is not standalone: it contains %q", external)
		}
	}
}

// TestRenderersEscapeUserText is written from the attacker's side: whatever a
// Member State or user typed, no renderer lets it become markup.
func TestRenderersEscapeUserText(t *testing.T) {
	const attack = `<script>alert("x")</script>`
	d := exerciseDocument(Technical)
	d.Title = attack
	d.CaseTitle = attack
	d.Exercise = attack
	d.Author.Name = attack
	d.Addressees = []string{attack}
	d.Marking.Audience.IDs = []string{attack}
	d.Delta.Added = []string{attack}
	d.Sections[1].Empty = attack
	d.Sections[0].Heading = attack
	d.Sections[0].Ref = attack
	it := &d.Sections[0].Items[0]
	it.Heading = attack
	it.Facts = append(it.Facts, Fact{attack, attack}, Fact{"Link", `"><img src=x onerror=alert(1)>`})
	it.Source.ID = attack
	it.Source.Organisation = attack

	for name, fn := range map[string]func(io.Writer, Document) error{
		"html": RenderHTML, "fragment": RenderHTMLFragment, "json": RenderJSON,
	} {
		out := mustRender(t, fn, d)
		for _, raw := range []string{"<script", "<img"} {
			if strings.Contains(out, raw) {
				t.Errorf("%s: %q appears raw in:\n%s", name, raw, out)
			}
		}
	}
	// Markdown keeps the text but escapes every "<", so a Markdown renderer
	// shows it instead of passing it through as HTML.
	md := mustRender(t, RenderMarkdown, d)
	if loc := regexp.MustCompile(`(^|[^\\])<`).FindStringIndex(md); loc != nil {
		t.Errorf("Markdown has an unescaped < at %d: %q", loc[0], md[max(0, loc[0]-20):min(len(md), loc[1]+20)])
	}
	html := mustRender(t, RenderHTML, d)
	if n := strings.Count(html, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"); n < 10 {
		t.Errorf("the text appears escaped %d times, want every field", n)
	}
}

func TestRenderRefusesAnUnmarkedReport(t *testing.T) {
	unmarked := testDocument(Technical)
	unmarked.Marking = tlp.Marking{}
	unlabelledItem := testDocument(Technical)
	unlabelledItem.Sections[0].Items[1].Marking.TLP = ""
	for name, d := range map[string]Document{"document": unmarked, "item": unlabelledItem} {
		for _, format := range Formats() {
			var b bytes.Buffer
			if err := Render(&b, d, format); err == nil {
				t.Errorf("%s %s: rendered without a marking", name, format)
			}
			if b.Len() != 0 {
				t.Errorf("%s %s: wrote %d bytes before failing", name, format, b.Len())
			}
		}
	}
}

func TestRenderFormats(t *testing.T) {
	want := map[string][2]string{
		"html": {"text/html; charset=utf-8", ".html"},
		"md":   {"text/markdown; charset=utf-8", ".md"},
		"pdf":  {"application/pdf", ".pdf"},
		"json": {"application/json", ".json"},
	}
	for _, f := range Formats() {
		if got := [2]string{ContentType(f), FileExtension(f)}; got != want[f] {
			t.Errorf("%s: %q, want %q", f, got, want[f])
		}
		var b bytes.Buffer
		if err := Render(&b, testDocument(Lessons), f); err != nil || b.Len() == 0 {
			t.Errorf("Render %s: %v, %d bytes", f, err, b.Len())
		}
	}
	if ContentType("docx") != "" || FileExtension("docx") != "" {
		t.Error("an unknown format has a content type or extension")
	}
	err := Render(&bytes.Buffer{}, testDocument(Lessons), "docx")
	if err == nil || !strings.Contains(err.Error(), `"docx"`) || !strings.Contains(err.Error(), "html, md, pdf or json") {
		t.Errorf("unknown format: %v, want an error naming it and the valid formats", err)
	}
}

func TestSharedWith(t *testing.T) {
	for _, c := range []struct {
		a    tlp.Audience
		want string
	}{
		{tlp.Audience{Kind: tlp.Public}, "anyone (public, no limit on disclosure)"},
		{tlp.Audience{Kind: tlp.Community}, "every organisation on this platform (the community)"},
		{tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}, "the participants of csirts-network"},
		{tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network", tlp.MembersOf("eu-cyclone")}}, "the participants of csirts-network and the members of eu-cyclone"},
		{tlp.Audience{Kind: tlp.Organisations, IDs: []string{"nl-ncsc"}}, "the organisation nl-ncsc"},
		{tlp.Audience{Kind: tlp.Organisations, IDs: []string{"a", "b", "c"}}, "the organisations a, b and c"},
		{tlp.Audience{Kind: tlp.Users, IDs: []string{"x", "y"}}, "only the named users x and y"},
	} {
		if got := sharedWith(c.a); got != c.want {
			t.Errorf("%v: %q, want %q", c.a, got, c.want)
		}
	}
}

func mustRender(t testing.TB, fn func(io.Writer, Document) error, d Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := fn(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// FuzzRenderText gives every renderer whatever text a user might type: none
// may fail or panic on it (PDF width tables and text maps are indexed by rune), and
// Markdown must keep every "<" escaped.
func FuzzRenderText(f *testing.F) {
	for _, s := range []string{"", "plain", "<b>x</b>", "🚑\x00\x07\t\r\n", "\xff\xfe", pagesAlias, "1. # - = \\", strings.Repeat("W", 500)} {
		f.Add(s)
	}
	unescaped := regexp.MustCompile(`(^|[^\\])<`)
	f.Fuzz(func(t *testing.T, s string) {
		d := testDocument(Technical)
		d.Title = s
		d.Sections[0].Items[0].Heading = s
		d.Sections[0].Items[0].Facts = []Fact{{s, s}}
		for _, format := range Formats() {
			var b bytes.Buffer
			if err := Render(&b, d, format); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if format == FormatMarkdown && unescaped.Match(b.Bytes()) {
				t.Fatalf("Markdown has an unescaped <: %q", b.String())
			}
		}
	})
}

package sitrep

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

var memberStates = []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
	"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}

// bigDocument is a report on a Union-wide incident: a section per Member
// State with perMemberState items each, as many as a large crisis produces.
func bigDocument(perMemberState int) Document {
	d := exerciseDocument(Technical)
	d.Delta = nil
	d.Sections = nil
	at := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	for _, ms := range memberStates {
		s := Section{ID: "ms-" + strings.ToLower(ms), Heading: "Member State " + ms, Ref: "§55(a)(iv)", Items: []Item{}}
		for i := range perMemberState {
			s.Items = append(s.Items, Item{
				Heading: fmt.Sprintf("%s — entity %d: Νοσοκομείο / Болница / Spitalul Județean", ms, i+1),
				Facts: []Fact{
					{"Status", "ongoing"},
					{"Severity", fmt.Sprintf("%d/100, high", 40+i)},
					{"Sectors", "Health; Digital infrastructure; Transport — rail"},
					{"Summary", strings.Repeat("Systems encrypted, backups intact, restoration under way with the vendor. ", 3)},
				},
				Source:  Source{Kind: "national-report", ID: fmt.Sprintf("0195b7c3-%04d-7000-8000-%012d", i, i), Version: 2, Organisation: strings.ToLower(ms) + "-csirt", MemberState: ms, At: at},
				Marking: amberCSIRTs,
			})
		}
		d.Sections = append(d.Sections, s)
	}
	d.Sections = append(d.Sections, Section{ID: "decisions", Heading: "Decisions", Items: []Item{}, Empty: "none recorded"})
	return d
}

func benchmarkRender(b *testing.B, fn func(io.Writer, Document) error) {
	d := bigDocument(20)
	var size int
	for b.Loop() {
		var w countingWriter
		if err := fn(&w, d); err != nil {
			b.Fatal(err)
		}
		size = int(w)
	}
	b.ReportMetric(float64(size), "bytes/report")
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// 27 Member States × 20 items.
func BenchmarkRenderHTML(b *testing.B)     { benchmarkRender(b, RenderHTML) }
func BenchmarkRenderMarkdown(b *testing.B) { benchmarkRender(b, RenderMarkdown) }
func BenchmarkRenderPDF(b *testing.B)      { benchmarkRender(b, RenderPDF) }
func BenchmarkRenderJSON(b *testing.B)     { benchmarkRender(b, RenderJSON) }

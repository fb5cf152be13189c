package sitrep

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"sync"

	"github.com/eucyber/blueprint/internal/tlp"
)

//go:embed templates/report.html.tmpl
var templateFiles embed.FS

// reportTemplates parses the templates once, on first use; an error is
// returned to every caller rather than panicking at start-up. Once parsed the
// templates are only read, which html/template allows concurrently.
var reportTemplates = sync.OnceValues(func() (*template.Template, error) {
	return template.ParseFS(templateFiles, "templates/report.html.tmpl")
})

// RenderHTML writes d as a complete, standalone HTML5 page with its CSS
// inline: it must open and print the same from a file, a mail attachment or
// the UI, with nothing fetched from elsewhere. When printed, the TLP label (and
// the EXERCISE banner) repeat at the top and bottom of every page, as TLP 2.0
// asks of documents.
func RenderHTML(w io.Writer, d Document) error {
	return render(w, d, func(b *bytes.Buffer, d Document) error { return executeHTML(b, "page", d) })
}

// RenderHTMLFragment writes the report as RenderHTML does, but as one
// <article> without <html> and <head>, for a page that brings its own
// styles.
func RenderHTMLFragment(w io.Writer, d Document) error {
	return render(w, d, func(b *bytes.Buffer, d Document) error { return executeHTML(b, "fragment", d) })
}

func executeHTML(b *bytes.Buffer, name string, d Document) error {
	t, err := reportTemplates()
	if err != nil {
		return fmt.Errorf("sitrep: parsing report templates: %w", err)
	}
	if err := t.ExecuteTemplate(b, name, newHTMLReport(d)); err != nil {
		return fmt.Errorf("sitrep: rendering %s: %w", name, err)
	}
	return nil
}

// htmlReport is what the templates see: every string already worded, so the
// templates only place it and html/template escapes it.
type htmlReport struct {
	Title      string
	Label      string
	LabelClass string
	SharedWith string
	Banner     string // empty unless the case is an exercise
	Case       string
	CaseTitle  string
	Kind       string
	Version    string
	BuiltAt    string // RFC 3339, for <time datetime>
	BuiltHuman string
	Author     string
	Addressees string
	Delta      *htmlDelta
	Sections   []htmlSection
}

type htmlDelta struct {
	Previous int
	Lists    []deltaList
}

type htmlSection struct {
	Anchor  string
	Heading string
	Ref     string
	Empty   string
	Items   []htmlItem
}

type htmlItem struct {
	Heading    string
	Facts      []Fact
	Source     string
	Label      string
	LabelClass string
}

func newHTMLReport(d Document) htmlReport {
	r := htmlReport{
		Title:      d.Title,
		Label:      string(d.Marking.TLP),
		LabelClass: labelClass(d.Marking.TLP),
		SharedWith: sharedWith(d.Marking.Audience),
		Case:       d.Case,
		CaseTitle:  d.CaseTitle,
		Kind:       kindText(d),
		Version:    versionText(d.Version),
		BuiltAt:    rfc3339(d.BuiltAt),
		BuiltHuman: humanTime(d.BuiltAt),
		Author:     authorText(d.Author),
		Addressees: addresseesText(d.Addressees),
	}
	if d.Exercise != "" {
		r.Banner = exerciseText(d.Exercise)
	}
	if d.Delta != nil {
		r.Delta = &htmlDelta{Previous: d.Delta.Previous, Lists: deltaLists(d.Delta)}
	}
	for i, s := range d.Sections {
		hs := htmlSection{
			// Positional, so the anchor is unique and valid whatever the ids hold.
			Anchor:  fmt.Sprintf("section-%d", i+1),
			Heading: s.Heading,
			Ref:     s.Ref,
		}
		if len(s.Items) == 0 {
			hs.Empty = emptyText(s)
		}
		for _, it := range s.Items {
			hs.Items = append(hs.Items, htmlItem{
				Heading:    it.Heading,
				Facts:      it.Facts,
				Source:     sourceText(it.Source),
				Label:      string(it.Marking.TLP),
				LabelClass: labelClass(it.Marking.TLP),
			})
		}
		r.Sections = append(r.Sections, hs)
	}
	return r
}

// labelClass picks the CSS class that gives a label its FIRST colour;
// AMBER+STRICT is printed in AMBER's colour, as FIRST does.
func labelClass(l tlp.Label) string {
	switch l {
	case tlp.Red:
		return "tlp-red"
	case tlp.Amber, tlp.AmberStrict:
		return "tlp-amber"
	case tlp.Green:
		return "tlp-green"
	}
	return "tlp-clear"
}

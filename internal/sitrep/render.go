package sitrep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/tlp"
)

// The formats a report renders to, as Render, ContentType and FileExtension
// name them.
const (
	FormatHTML     = "html"
	FormatMarkdown = "md"
	FormatPDF      = "pdf"
	FormatJSON     = "json"
)

// Formats lists the formats Render accepts.
func Formats() []string { return []string{FormatHTML, FormatMarkdown, FormatPDF, FormatJSON} }

// Render writes d in format: "html", "md", "pdf" or "json". Every renderer
// writes all or nothing: the output is built in memory and written only once
// it is complete, so a failure never leaves half a report behind.
func Render(w io.Writer, d Document, format string) error {
	switch format {
	case FormatHTML:
		return RenderHTML(w, d)
	case FormatMarkdown:
		return RenderMarkdown(w, d)
	case FormatPDF:
		return RenderPDF(w, d)
	case FormatJSON:
		return RenderJSON(w, d)
	}
	return fmt.Errorf("unknown report format %q: use html, md, pdf or json", format)
}

// ContentType is the media type of format, "" for an unknown format.
func ContentType(format string) string {
	switch format {
	case FormatHTML:
		return "text/html; charset=utf-8"
	case FormatMarkdown:
		return "text/markdown; charset=utf-8" // RFC 7763
	case FormatPDF:
		return "application/pdf"
	case FormatJSON:
		return "application/json"
	}
	return ""
}

// FileExtension is the file name extension of format, with its dot (".md"),
// "" for an unknown format.
func FileExtension(format string) string {
	switch format {
	case FormatHTML, FormatMarkdown, FormatPDF, FormatJSON:
		return "." + format
	}
	return ""
}

// RenderJSON writes d as indented JSON, fields in the order Document declares
// them.
func RenderJSON(w io.Writer, d Document) error {
	if err := checkRenderable(d); err != nil {
		return err
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("sitrep: RenderJSON: %w", err)
	}
	return writeAll(w, append(b, '\n'))
}

// checkRenderable refuses a document whose marking is missing or invalid, or
// that holds an unlabelled item: a report goes out marked or not at all, as
// unmarked input is refused everywhere else (DESIGN §5).
func checkRenderable(d Document) error {
	if err := d.Marking.Validate(); err != nil {
		return fmt.Errorf("sitrep: report %q cannot be rendered: %w", d.Title, err)
	}
	for _, s := range d.Sections {
		for _, it := range s.Items {
			if !it.Marking.TLP.Valid() {
				return fmt.Errorf("sitrep: report %q cannot be rendered: item %q in section %q has no valid TLP label", d.Title, it.Heading, s.Heading)
			}
		}
	}
	return nil
}

func writeAll(w io.Writer, b []byte) error {
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("sitrep: writing report: %w", err)
	}
	return nil
}

// The words every format prints the same way, so that a report reads alike
// whichever format a reader is given.

// sharedWith says in words who the report's audience is, for the line beside
// the TLP label: a reader must know who else may hold the document.
func sharedWith(a tlp.Audience) string {
	switch a.Kind {
	case tlp.Public:
		return "anyone (public, no limit on disclosure)"
	case tlp.Community:
		return "every organisation on this platform (the community)"
	case tlp.Networks:
		var parts []string
		for _, id := range a.IDs {
			if network, ok := strings.CutSuffix(id, "/members"); ok {
				parts = append(parts, "the members of "+network)
			} else {
				parts = append(parts, "the participants of "+id)
			}
		}
		return joinWords(parts)
	case tlp.Organisations:
		return plural(len(a.IDs), "the organisation ", "the organisations ") + joinWords(a.IDs)
	case tlp.Users:
		return plural(len(a.IDs), "only the named user ", "only the named users ") + joinWords(a.IDs)
	}
	return "an unknown audience"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinWords joins a list as English prose: "a", "a and b", "a, b and c".
func joinWords(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// metadata is what the text formats print under the title.
func metadata(d Document) []Fact {
	caseText := d.Case
	if d.CaseTitle != "" {
		caseText += " — " + d.CaseTitle
	}
	return []Fact{
		{"Case", caseText},
		{"Report", kindText(d)},
		{"Version", versionText(d.Version)},
		{"Built at", rfc3339(d.BuiltAt) + " (" + humanTime(d.BuiltAt) + ")"},
		{"Author", authorText(d.Author)},
		{"Addressees", addresseesText(d.Addressees)},
	}
}

func addresseesText(a []string) string {
	if len(a) == 0 {
		return "none named"
	}
	return strings.Join(a, ", ")
}

func versionText(v int) string {
	if v == 0 {
		return "draft"
	}
	return fmt.Sprint(v)
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// humanTime is the built-at time for a reader; UTC, as every time inside the
// node is (DESIGN §5), and said so.
func humanTime(t time.Time) string { return t.UTC().Format("Monday 2 January 2006, 15:04 UTC") }

func authorText(a Author) string {
	var b strings.Builder
	b.WriteString(a.Name)
	if a.User != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "(%s)", a.User)
	}
	if a.Organisation != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.Organisation)
	}
	return b.String()
}

func kindText(d Document) string {
	if d.Ref == "" {
		return string(d.Kind)
	}
	return fmt.Sprintf("%s (%s)", d.Kind, d.Ref)
}

func exerciseText(name string) string {
	return "EXERCISE — " + name + " — not real-world data"
}

func headingText(s Section) string {
	if s.Ref == "" {
		return s.Heading
	}
	return fmt.Sprintf("%s (%s)", s.Heading, s.Ref)
}

func emptyText(s Section) string {
	if s.Empty == "" {
		return "none recorded"
	}
	return s.Empty
}

// sourceText names where an item comes from, from the most to the least
// specific: what it is, who gave it, when.
func sourceText(s Source) string {
	what := strings.ReplaceAll(s.Kind, "-", " ")
	if s.ID != "" {
		what = strings.TrimSpace(what + " " + s.ID)
	}
	parts := []string{what}
	if s.Version > 0 {
		parts = append(parts, fmt.Sprintf("version %d", s.Version))
	}
	switch {
	case s.Organisation != "" && s.MemberState != "":
		parts = append(parts, fmt.Sprintf("from %s (%s)", s.Organisation, s.MemberState))
	case s.Organisation != "":
		parts = append(parts, "from "+s.Organisation)
	case s.MemberState != "":
		parts = append(parts, "from "+s.MemberState)
	}
	if !s.At.IsZero() {
		parts = append(parts, "at "+rfc3339(s.At))
	}
	return strings.Join(parts, ", ")
}

// deltaList is one list of a Delta, named for the reader.
type deltaList struct {
	Name  string
	Items []string
}

func deltaLists(d *Delta) []deltaList {
	return []deltaList{{"Added", d.Added}, {"Removed", d.Removed}, {"Changed", d.Changed}}
}

// render runs fn on a buffer and writes the buffer only if fn succeeded.
func render(w io.Writer, d Document, fn func(*bytes.Buffer, Document) error) error {
	if err := checkRenderable(d); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := fn(&buf, d); err != nil {
		return err
	}
	return writeAll(w, buf.Bytes())
}

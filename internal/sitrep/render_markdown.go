package sitrep

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RenderMarkdown writes d as CommonMark: the TLP label line at the top and the
// bottom, the EXERCISE banner beside it when the case is an exercise, the
// metadata, the changes since the previous version, then every section. All
// text that came from users is escaped, so it renders literally.
func RenderMarkdown(w io.Writer, d Document) error {
	return render(w, d, writeMarkdown)
}

func writeMarkdown(b *bytes.Buffer, d Document) error {
	marking := fmt.Sprintf("**%s** — shared with: %s\n\n", mdLine(string(d.Marking.TLP)), mdLine(sharedWith(d.Marking.Audience)))
	banner := ""
	if d.Exercise != "" {
		banner = "**" + mdLine(exerciseText(d.Exercise)) + "**\n\n"
	}
	b.WriteString(marking)
	b.WriteString(banner)

	fmt.Fprintf(b, "# %s\n\n", mdLine(d.Title))
	for _, f := range metadata(d) {
		mdFact(b, f)
	}
	b.WriteString("\n")

	if d.Delta != nil {
		fmt.Fprintf(b, "## Changes since version %d\n\n", d.Delta.Previous)
		for _, l := range deltaLists(d.Delta) {
			if len(l.Items) == 0 {
				fmt.Fprintf(b, "%s: none\n\n", l.Name)
				continue
			}
			fmt.Fprintf(b, "%s:\n\n", l.Name)
			for _, it := range l.Items {
				fmt.Fprintf(b, "- %s\n", mdLine(it))
			}
			b.WriteString("\n")
		}
	}

	for _, s := range d.Sections {
		fmt.Fprintf(b, "## %s\n\n", mdLine(headingText(s)))
		if len(s.Items) == 0 {
			fmt.Fprintf(b, "%s\n\n", mdBlock(emptyText(s), ""))
			continue
		}
		for _, it := range s.Items {
			fmt.Fprintf(b, "### %s\n\n", mdLine(it.Heading))
			for _, f := range it.Facts {
				mdFact(b, f)
			}
			if len(it.Facts) > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(b, "Source: %s — marked **%s**\n\n", mdLine(sourceText(it.Source)), mdLine(string(it.Marking.TLP)))
		}
	}

	b.WriteString("---\n\n")
	b.WriteString(banner)
	b.WriteString(strings.TrimSuffix(marking, "\n"))
	return nil
}

func mdFact(b *bytes.Buffer, f Fact) {
	fmt.Fprintf(b, "- **%s:** %s\n", mdLine(f.Label), mdBlock(f.Value, "  "))
}

// mdLine escapes s for a place that holds one line (a heading, a label): line
// breaks become spaces.
func mdLine(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return mdEscapeLine(s)
}

// mdBlock escapes s for a paragraph or a list item, keeping its line breaks as
// hard breaks; indent continues a list item. Blank lines are dropped, since
// one would end the paragraph or the list item and let the rest escape it.
func mdBlock(s, indent string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return mdEscapeLine(strings.TrimSpace(s))
	}
	var lines []string
	for line := range strings.Lines(s) {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" {
			lines = append(lines, mdEscapeLine(line))
		}
	}
	return strings.Join(lines, "\\\n"+indent)
}

// mdEscapeLine backslash-escapes the characters that CommonMark (and GitHub's
// tables and strikethrough) would read as markup anywhere in a line, and the
// ones that start a block (list, heading underline) at its start. Other ASCII
// punctuation is left alone so dates and references stay readable: "(" and
// "!" only matter after "]" or before "[", which are escaped. Most text needs
// nothing, and is returned as it is.
func mdEscapeLine(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i, r := range s {
		switch {
		case mdMarkup(r):
		case i == 0 && (r == '-' || r == '+' || r == '='):
		case (r == '.' || r == ')') && i > 0 && isDigits(s[:i]):
			// "1." or "1)" at the start would open an ordered list.
		case unicode.IsControl(r):
			b.WriteString(s[done:i])
			done = i + utf8.RuneLen(r)
			continue
		default:
			continue
		}
		b.WriteString(s[done:i])
		b.WriteByte('\\')
		done = i
	}
	if done == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

func mdMarkup(r rune) bool {
	switch r {
	case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '&':
		return true
	}
	return false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

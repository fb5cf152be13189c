package sitrep

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"

	"github.com/eucyber/blueprint/internal/tlp"
)

// The PDF library is github.com/go-pdf/fpdf: it embeds a subset of a TrueType
// font, writes compact files without cgo, and can be made byte-for-byte
// reproducible (fixed dates, sorted catalogues), which the tests rely on. Its
// repository is archived; v0.9.0 does all this report needs.

// DejaVu Sans covers Latin with every EU diacritic, Greek and Cyrillic; the
// PDF core fonts stop at Latin-1. See fonts/README.md for the licence.
//
//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf
var fontFiles embed.FS

// Page geometry, in millimetres on A4.
const (
	pdfFont      = "dejavu"
	pageWidth    = 210.0
	pageHeight   = 297.0
	marginX      = 16.0
	contentWidth = pageWidth - 2*marginX
	barHeight    = 7.0                        // marking bar and exercise banner
	markingTop   = 8.0                        // the header's marking bar
	markingFoot  = pageHeight - 14            // the footer's marking bar
	bodyTop      = markingTop + barHeight + 5 // below the header
	bodyBottom   = markingFoot - 5            // above the footer
	bannerSpace  = barHeight + 1              // what the exercise banner takes from the body, top and bottom
	pageNumWidth = 26.0
	// pagesAlias stands for the page count until the document is closed; odd
	// enough that no report text contains it (and pdfText sees to that).
	pagesAlias = "{sitrep:pages}"
)

// RenderPDF writes d as an A4 PDF. Every page carries the TLP label, in its
// FIRST colour on a black box, in the header and again in the footer, with the
// audience in words, the page number as "page N of M", and the EXERCISE banner
// when the case is an exercise. The body holds what the Markdown holds. The
// file's dates are d.BuiltAt, so the same document renders to the same bytes.
func RenderPDF(w io.Writer, d Document) error {
	return render(w, d, writePDF)
}

func writePDF(b *bytes.Buffer, d Document) error {
	f := fpdf.New("P", "mm", "A4", "")
	for _, font := range []struct{ style, file string }{{"", "fonts/DejaVuSans.ttf"}, {"B", "fonts/DejaVuSans-Bold.ttf"}} {
		ttf, err := fontFiles.ReadFile(font.file)
		if err != nil {
			return fmt.Errorf("sitrep: RenderPDF: %w", err)
		}
		f.AddUTF8FontFromBytes(pdfFont, font.style, ttf)
	}
	f.SetCatalogSort(true)
	f.SetCreationDate(d.BuiltAt.UTC())
	f.SetModificationDate(d.BuiltAt.UTC())
	f.SetTitle(pdfText(d.Title), true)
	f.SetSubject(pdfText(string(d.Marking.TLP)+" — shared with: "+sharedWith(d.Marking.Audience)), true)
	f.SetAuthor(pdfText(authorText(d.Author)), true)
	f.SetCreator("blueprint", true)
	f.SetLang("en")
	f.AliasNbPages(pagesAlias)
	// Breaks are ours (see ensure): fpdf's own would split a label from its
	// value and a heading from what follows it.
	f.SetAutoPageBreak(false, 0)

	p := &pdfReport{f: f, d: d, top: bodyTop, bottom: bodyBottom}
	if d.Exercise != "" {
		p.top += bannerSpace
		p.bottom -= bannerSpace
	}
	f.SetMargins(marginX, p.top, marginX)
	f.SetHeaderFunc(p.header)
	f.SetFooterFunc(p.footer)
	f.AddPage()
	p.body()
	if err := f.Output(b); err != nil {
		return fmt.Errorf("sitrep: RenderPDF: %w", err)
	}
	return nil
}

// pdfReport lays out one document; top and bottom bound the body on every
// page.
type pdfReport struct {
	f           *fpdf.Fpdf
	d           Document
	top, bottom float64
}

func (p *pdfReport) header() {
	p.markingBar(markingTop, false)
	if p.d.Exercise != "" {
		p.banner(markingTop + barHeight + 1)
	}
	p.f.SetXY(marginX, p.top)
}

func (p *pdfReport) footer() {
	if p.d.Exercise != "" {
		p.banner(markingFoot - barHeight - 1)
	}
	p.markingBar(markingFoot, true)
}

// markingBar draws the TLP label as FIRST shows it, coloured text on black,
// followed by the audience in words; the footer's bar also ends with the page
// number.
func (p *pdfReport) markingBar(y float64, pageNumber bool) {
	f := p.f
	label := string(p.d.Marking.TLP)
	f.SetFont(pdfFont, "B", 10)
	w := f.GetStringWidth(label) + 6
	f.SetFillColor(0, 0, 0)
	f.SetTextColor(labelRGB(p.d.Marking.TLP))
	f.SetXY(marginX, y)
	f.CellFormat(w, barHeight, label, "", 0, "C", true, 0, "")

	rest := contentWidth - w
	if pageNumber {
		rest -= pageNumWidth
	}
	f.SetFont(pdfFont, "", 8)
	f.SetTextColor(64, 64, 64)
	f.CellFormat(rest, barHeight, p.fit("shared with: "+sharedWith(p.d.Marking.Audience), rest), "", 0, "L", false, 0, "")
	if pageNumber {
		// Left-aligned: the alias is wider than the count it stands for.
		f.CellFormat(pageNumWidth, barHeight, fmt.Sprintf("page %d of %s", f.PageNo(), pagesAlias), "", 0, "L", false, 0, "")
	}
}

func (p *pdfReport) banner(y float64) {
	f := p.f
	f.SetFont(pdfFont, "B", 9)
	f.SetFillColor(31, 58, 147)
	f.SetTextColor(255, 255, 255)
	f.SetXY(marginX, y)
	f.CellFormat(contentWidth, barHeight-1, p.fit(exerciseText(p.d.Exercise), contentWidth), "", 0, "C", true, 0, "")
}

func (p *pdfReport) body() {
	d := p.d
	p.paragraph(d.Title, "B", 16, 7.5, 0)
	p.space(2)
	// The marking in full: the header and footer shorten a long audience to
	// one line.
	marking := Fact{"Marking", string(d.Marking.TLP) + " — shared with: " + sharedWith(d.Marking.Audience)}
	for _, fact := range append(metadata(d), marking) {
		p.row(fact, 28, 9.5)
	}

	if d.Delta != nil {
		p.heading(fmt.Sprintf("Changes since version %d", d.Delta.Previous), 3*factLH)
		for _, l := range deltaLists(d.Delta) {
			value := "none"
			if len(l.Items) > 0 {
				value = "• " + strings.Join(l.Items, "\n• ")
			}
			p.row(Fact{l.Name, value}, 28, 9.5)
		}
	}

	for _, s := range d.Sections {
		// Keep the heading with what follows: the empty text, or the start
		// of the first item.
		keep := 5.0
		if len(s.Items) > 0 {
			keep = min(p.layoutItem(s.Items[0]).height(), 30)
		}
		p.heading(headingText(s), keep)
		if len(s.Items) == 0 {
			p.f.SetTextColor(64, 64, 64)
			p.paragraph(emptyText(s), "", 9.5, 5, 0)
			p.f.SetTextColor(0, 0, 0)
		}
		for _, it := range s.Items {
			p.item(it)
		}
	}
}

// heading starts a section, on a new page unless the heading and keep
// millimetres under it fit, and adds it to the PDF's outline.
func (p *pdfReport) heading(text string, keep float64) {
	f := p.f
	f.SetFont(pdfFont, "B", 13)
	lines := p.lines(text, contentWidth)
	p.space(5)
	p.ensure(float64(len(lines))*6.5 + 3 + keep)
	f.Bookmark(pdfText(text), 0, -1)
	f.SetTextColor(0, 0, 0)
	for _, line := range lines {
		p.line(line, contentWidth, 6.5, 0)
	}
	y := f.GetY() + 0.5
	f.SetDrawColor(118, 118, 118)
	f.SetLineWidth(0.2)
	f.Line(marginX, y, marginX+contentWidth, y)
	f.SetY(y + 2)
}

// Item layout, in millimetres and points.
const (
	itemGap         = 2.5
	itemHeadingSize = 11.0
	itemHeadingLH   = 5.5
	badgeSize       = 7.5
	factSize        = 9.5
	factLH          = factSize * 0.5
	factLabelWidth  = 40.0
	sourceSize      = 8.0
	sourceLH        = 4.0
)

// itemLayout is an item wrapped to the page, measured before it is drawn so
// that an item that fits on a page is never split across two.
type itemLayout struct {
	label   tlp.Label
	badge   float64 // width of the label badge
	heading []string
	rows    []rowLayout
	source  []string
}

// rowLayout is a fact wrapped into its two columns.
type rowLayout struct{ labels, values []string }

func (r rowLayout) lines() int { return max(len(r.labels), len(r.values)) }

func (l itemLayout) height() float64 {
	h := itemGap + float64(len(l.heading))*itemHeadingLH + 0.5 + float64(len(l.source))*sourceLH
	for _, r := range l.rows {
		h += float64(r.lines()) * factLH
	}
	return h
}

func (p *pdfReport) layoutItem(it Item) itemLayout {
	f := p.f
	l := itemLayout{label: it.Marking.TLP}
	f.SetFont(pdfFont, "B", badgeSize)
	l.badge = f.GetStringWidth(string(l.label)) + 4
	f.SetFont(pdfFont, "B", itemHeadingSize)
	l.heading = p.lines(it.Heading, contentWidth-l.badge-3)
	for _, fact := range it.Facts {
		l.rows = append(l.rows, p.layoutRow(fact, factLabelWidth, factSize))
	}
	f.SetFont(pdfFont, "", sourceSize)
	l.source = p.lines("Source: "+sourceText(it.Source)+" — marked "+string(l.label), contentWidth)
	return l
}

func (p *pdfReport) layoutRow(fact Fact, labelWidth, size float64) rowLayout {
	p.f.SetFont(pdfFont, "B", size)
	labels := p.lines(fact.Label, labelWidth)
	p.f.SetFont(pdfFont, "", size)
	return rowLayout{labels: labels, values: p.lines(fact.Value, contentWidth-labelWidth)}
}

// item prints one item: its heading with its own TLP label as a badge, its
// facts as label–value rows, and the line naming its source. An item longer
// than a page breaks between lines, never inside its heading.
func (p *pdfReport) item(it Item) {
	f := p.f
	l := p.layoutItem(it)
	p.space(itemGap)
	if h := l.height() - itemGap; h <= p.bottom-p.top {
		p.ensure(h)
	} else {
		p.ensure(float64(len(l.heading))*itemHeadingLH + 0.5 + 2*factLH)
	}
	y := f.GetY()
	f.SetFont(pdfFont, "B", itemHeadingSize)
	for _, line := range l.heading {
		p.line(line, contentWidth-l.badge-3, itemHeadingLH, 0)
	}
	after := f.GetY()
	f.SetFont(pdfFont, "B", badgeSize)
	f.SetFillColor(0, 0, 0)
	f.SetTextColor(labelRGB(l.label))
	f.SetXY(marginX+contentWidth-l.badge, y+0.75)
	f.CellFormat(l.badge, 4, string(l.label), "", 0, "C", true, 0, "")
	f.SetTextColor(0, 0, 0)
	f.SetXY(marginX, after+0.5)

	for _, r := range l.rows {
		p.drawRow(r, factLabelWidth, factSize)
	}
	f.SetFont(pdfFont, "", sourceSize)
	f.SetTextColor(80, 80, 80)
	for _, line := range l.source {
		p.ensure(sourceLH)
		p.line(line, contentWidth, sourceLH, 0)
	}
	f.SetTextColor(0, 0, 0)
}

// row prints a label and its value side by side.
func (p *pdfReport) row(fact Fact, labelWidth, size float64) {
	p.drawRow(p.layoutRow(fact, labelWidth, size), labelWidth, size)
}

// drawRow prints a row line by line, so a long value wraps under itself and
// may continue on the next page.
func (p *pdfReport) drawRow(r rowLayout, labelWidth, size float64) {
	f := p.f
	lh := size * 0.5
	for i := range r.lines() {
		p.ensure(lh)
		y := f.GetY()
		if i < len(r.labels) {
			f.SetFont(pdfFont, "B", size)
			p.line(r.labels[i], labelWidth, lh, 0)
			f.SetY(y)
		}
		if i < len(r.values) {
			f.SetFont(pdfFont, "", size)
			p.line(r.values[i], contentWidth-labelWidth, lh, labelWidth)
		}
		f.SetXY(marginX, y+lh)
	}
}

// paragraph prints wrapped text in the given style and the current colour.
func (p *pdfReport) paragraph(text, style string, size, lh, indent float64) {
	p.f.SetFont(pdfFont, style, size)
	for _, line := range p.lines(text, contentWidth-indent) {
		p.ensure(lh)
		p.line(line, contentWidth-indent, lh, indent)
	}
}

// line prints one already wrapped line at the left margin plus indent and
// moves below it.
func (p *pdfReport) line(text string, w, lh, indent float64) {
	y := p.f.GetY()
	p.f.SetXY(marginX+indent, y)
	p.f.CellFormat(w, lh, text, "", 0, "L", false, 0, "")
	p.f.SetXY(marginX, y+lh)
}

// lines wraps text to width w in the current font; an empty text is one
// empty line, so a fact with no value still shows its label.
func (p *pdfReport) lines(text string, w float64) []string {
	lines := p.f.SplitText(pdfText(text), w)
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// ensure starts a new page unless h millimetres fit above the footer.
func (p *pdfReport) ensure(h float64) {
	if p.f.GetY()+h > p.bottom {
		p.f.AddPage()
	}
}

func (p *pdfReport) space(h float64) {
	if p.f.GetY() > p.top {
		p.f.SetY(p.f.GetY() + h)
	}
}

// fit shortens text with an ellipsis until it fits width w in the current
// font: the header and footer have one line each.
func (p *pdfReport) fit(text string, w float64) string {
	text = pdfText(strings.Join(strings.Fields(text), " "))
	avail := w - 2*p.f.GetCellMargin()
	if p.f.GetStringWidth(text) <= avail {
		return text
	}
	runes := []rune(text)
	for n := len(runes) - 1; n > 0; n-- {
		s := strings.TrimSpace(string(runes[:n])) + "…"
		if p.f.GetStringWidth(s) <= avail {
			return s
		}
	}
	return "…"
}

// pdfText makes user text safe for fpdf: its width tables stop at U+FFFF (it
// would index past them on an emoji) and control characters have no glyph.
// Line breaks stay, tabs become spaces, and the page-count alias is broken so
// no text can turn into the page count.
func pdfText(s string) string {
	s = strings.ReplaceAll(s, pagesAlias, "{sitrep: pages}")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r > 0xFFFF:
			return '\uFFFD'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// labelRGB is a label's colour in the FIRST TLP 2.0 colour table, for text
// on black.
func labelRGB(l tlp.Label) (r, g, b int) {
	switch l {
	case tlp.Red:
		return 0xFF, 0x2B, 0x2B
	case tlp.Amber, tlp.AmberStrict:
		return 0xFF, 0xC0, 0x00
	case tlp.Green:
		return 0x33, 0xFF, 0x00
	}
	return 0xFF, 0xFF, 0xFF
}

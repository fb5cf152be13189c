package sitrep

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/signintech/gopdf"

	"github.com/eucyber/blueprint/internal/tlp"
)

// The PDF library is github.com/signintech/gopdf (DESIGN §4): maintained,
// pure Go, it embeds the subset of a TrueType font a report uses with a
// ToUnicode map, so every EU script prints and copies right, and it writes
// the same bytes for the same calls once its one date is fixed. It replaced
// go-pdf/fpdf, whose repository is archived. gopdf only draws where it is
// told: wrapping, page breaks, header and footer are laid out here.

// DejaVu Sans covers Latin with every EU diacritic, Greek and Cyrillic; the
// PDF core fonts stop at Latin-1. See fonts/README.md for the licence.
//
//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf
var fontFiles embed.FS

// The two faces are two font families to gopdf, named as the fonts name
// themselves, which is also how the PDF names them.
const (
	fontRegular = "DejaVuSans"
	fontBold    = "DejaVuSans-Bold"
)

// Page geometry, in millimetres on A4.
const (
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
	cellPad      = 1.0 // text keeps this far from the sides of its cell, so a label does not touch the edge of its box
)

// RenderPDF writes d as an A4 PDF. Every page carries the TLP label, in its
// FIRST colour on a black box, in the header and again in the footer, with the
// audience in words, the page number as "page N of M", and the EXERCISE banner
// when the case is an exercise. The body holds what the Markdown holds. The
// file's date is d.BuiltAt, so the same document renders to the same bytes.
func RenderPDF(w io.Writer, d Document) error {
	return render(w, d, writePDF)
}

func writePDF(b *bytes.Buffer, d Document) error {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: gopdf.Rect{W: pageWidth, H: pageHeight}})
	for _, font := range []struct{ family, file string }{{fontRegular, "fonts/DejaVuSans.ttf"}, {fontBold, "fonts/DejaVuSans-Bold.ttf"}} {
		ttf, err := fontFiles.ReadFile(font.file)
		if err != nil {
			return fmt.Errorf("sitrep: RenderPDF: %w", err)
		}
		// A character the font lacks prints as U+FFFD, which it has, not
		// as gopdf's default, a space: the reader sees something is missing.
		option := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return '\uFFFD' }}
		if err := pdf.AddTTFFontDataWithOption(font.family, ttf, option); err != nil {
			return fmt.Errorf("sitrep: RenderPDF: %s: %w", font.file, err)
		}
	}
	pdf.SetInfo(gopdf.PdfInfo{
		Title:   pdfText(d.Title),
		Subject: pdfText(string(d.Marking.TLP) + " — shared with: " + sharedWith(d.Marking.Audience)),
		Author:  pdfText(authorText(d.Author)),
		Creator: "blueprint",
		// The only date gopdf writes, and without it the only thing two
		// renders of the same document would differ in.
		CreationDate: d.BuiltAt.UTC(),
	})

	p := &pdfReport{pdf: pdf, d: d, top: bodyTop, bottom: bodyBottom,
		widths: map[string]map[rune]float64{fontRegular: {}, fontBold: {}}}
	if d.Exercise != "" {
		p.top += bannerSpace
		p.bottom -= bannerSpace
	}
	p.newPage()
	p.body()
	// The footer says "page N of M": it is drawn once the body is laid out
	// and M is known, on each page in turn.
	pages := pdf.GetNumberOfPages()
	for n := 1; n <= pages && p.err == nil; n++ {
		p.fail(pdf.SetPage(n))
		p.footer(n, pages)
	}
	if p.err != nil {
		return fmt.Errorf("sitrep: RenderPDF: %w", p.err)
	}
	if _, err := pdf.WriteTo(b); err != nil {
		return fmt.Errorf("sitrep: RenderPDF: %w", err)
	}
	return nil
}

// pdfReport lays out one document.
type pdfReport struct {
	pdf         *gopdf.GoPdf
	d           Document
	top, bottom float64 // the body's bounds on every page
	y           float64 // where the next line of the body goes
	family      string  // the current font
	size        float64
	color       [3]uint8 // the current text colour
	// widths holds each character's advance per point of font size, by
	// family, measured once: gopdf measures a string character by
	// character, so asking it while wrapping would be quadratic.
	widths map[string]map[rune]float64
	// err is gopdf's first error; the drawing stops there and RenderPDF
	// returns it.
	err error
}

func (p *pdfReport) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// newPage starts a page with its header; the footer waits for the page
// count. A page break comes in the middle of a paragraph or an item, so the
// header leaves the font and colour as it found them.
func (p *pdfReport) newPage() {
	family, size, color := p.family, p.size, p.color
	p.pdf.AddPage()
	p.markingBar(markingTop, "")
	if p.d.Exercise != "" {
		p.banner(markingTop + barHeight + 1)
	}
	if family != "" {
		p.setFont(family, size)
	}
	p.setColor(color[0], color[1], color[2])
	p.y = p.top
}

func (p *pdfReport) footer(page, pages int) {
	if p.d.Exercise != "" {
		p.banner(markingFoot - barHeight - 1)
	}
	p.markingBar(markingFoot, fmt.Sprintf("page %d of %d", page, pages))
}

// markingBar draws the TLP label as FIRST shows it, coloured text on black,
// followed by the audience in words and, in the footer, the page number.
func (p *pdfReport) markingBar(y float64, pageNumber string) {
	label := string(p.d.Marking.TLP)
	p.setFont(fontBold, 10)
	w := p.width(label) + 6
	p.box(marginX, y, w, barHeight, 0, 0, 0)
	p.setColor(labelRGB(p.d.Marking.TLP))
	p.cell(marginX, y, w, barHeight, label, gopdf.Center)

	rest := contentWidth - w
	if pageNumber != "" {
		rest -= pageNumWidth
	}
	p.setFont(fontRegular, 8)
	p.setColor(64, 64, 64)
	p.cell(marginX+w, y, rest, barHeight, p.fit("shared with: "+sharedWith(p.d.Marking.Audience), rest), gopdf.Left)
	if pageNumber != "" {
		p.cell(marginX+w+rest, y, pageNumWidth, barHeight, pageNumber, gopdf.Right)
	}
}

func (p *pdfReport) banner(y float64) {
	p.setFont(fontBold, 9)
	p.box(marginX, y, contentWidth, barHeight-1, 31, 58, 147)
	p.setColor(255, 255, 255)
	p.cell(marginX, y, contentWidth, barHeight-1, p.fit(exerciseText(p.d.Exercise), contentWidth), gopdf.Center)
}

func (p *pdfReport) body() {
	d := p.d
	p.setColor(0, 0, 0)
	p.paragraph(d.Title, fontBold, 16, 7.5, 0)
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
			p.setColor(64, 64, 64)
			p.paragraph(emptyText(s), fontRegular, 9.5, 5, 0)
			p.setColor(0, 0, 0)
		}
		for _, it := range s.Items {
			p.item(it)
		}
	}
}

// heading starts a section, on a new page unless the heading and keep
// millimetres under it fit, and adds it to the PDF's outline.
func (p *pdfReport) heading(text string, keep float64) {
	p.setFont(fontBold, 13)
	lines := p.lines(text, contentWidth)
	p.space(5)
	p.ensure(float64(len(lines))*6.5 + 3 + keep)
	p.pdf.SetY(p.y) // the outline entry points here
	p.pdf.AddOutlineWithPosition(pdfText(text)).SetParent(outlineRoot)
	p.setColor(0, 0, 0)
	for _, line := range lines {
		p.line(line, contentWidth, 6.5, 0)
	}
	y := p.y + 0.5
	p.pdf.SetStrokeColor(118, 118, 118)
	p.pdf.SetLineWidth(0.2)
	p.pdf.Line(marginX, y, marginX+contentWidth, y)
	p.y = y + 2
}

// outlineRoot is the object number of the outline's root. gopdf v0.33.0
// makes the page tree the parent of every outline entry, which is invalid
// PDF; the root is the third object it creates, after the catalogue and the
// page tree.
const outlineRoot = 3

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
	l := itemLayout{label: it.Marking.TLP}
	p.setFont(fontBold, badgeSize)
	l.badge = p.width(string(l.label)) + 4
	p.setFont(fontBold, itemHeadingSize)
	l.heading = p.lines(it.Heading, contentWidth-l.badge-3)
	for _, fact := range it.Facts {
		l.rows = append(l.rows, p.layoutRow(fact, factLabelWidth, factSize))
	}
	p.setFont(fontRegular, sourceSize)
	l.source = p.lines("Source: "+sourceText(it.Source)+" — marked "+string(l.label), contentWidth)
	return l
}

func (p *pdfReport) layoutRow(fact Fact, labelWidth, size float64) rowLayout {
	p.setFont(fontBold, size)
	labels := p.lines(fact.Label, labelWidth)
	p.setFont(fontRegular, size)
	return rowLayout{labels: labels, values: p.lines(fact.Value, contentWidth-labelWidth)}
}

// item prints one item: its heading with its own TLP label as a badge, its
// facts as label–value rows, and the line naming its source. An item longer
// than a page breaks between lines, never inside its heading.
func (p *pdfReport) item(it Item) {
	l := p.layoutItem(it)
	p.space(itemGap)
	if h := l.height() - itemGap; h <= p.bottom-p.top {
		p.ensure(h)
	} else {
		p.ensure(float64(len(l.heading))*itemHeadingLH + 0.5 + 2*factLH)
	}
	y := p.y
	p.setFont(fontBold, itemHeadingSize)
	for _, line := range l.heading {
		p.line(line, contentWidth-l.badge-3, itemHeadingLH, 0)
	}
	after := p.y
	p.setFont(fontBold, badgeSize)
	x := marginX + contentWidth - l.badge
	p.box(x, y+0.75, l.badge, 4, 0, 0, 0)
	p.setColor(labelRGB(l.label))
	p.cell(x, y+0.75, l.badge, 4, string(l.label), gopdf.Center)
	p.setColor(0, 0, 0)
	p.y = after + 0.5

	for _, r := range l.rows {
		p.drawRow(r, factLabelWidth, factSize)
	}
	p.setFont(fontRegular, sourceSize)
	p.setColor(80, 80, 80)
	for _, line := range l.source {
		p.ensure(sourceLH)
		p.line(line, contentWidth, sourceLH, 0)
	}
	p.setColor(0, 0, 0)
}

// row prints a label and its value side by side.
func (p *pdfReport) row(fact Fact, labelWidth, size float64) {
	p.drawRow(p.layoutRow(fact, labelWidth, size), labelWidth, size)
}

// drawRow prints a row line by line, so a long value wraps under itself and
// may continue on the next page.
func (p *pdfReport) drawRow(r rowLayout, labelWidth, size float64) {
	lh := size * 0.5
	for i := range r.lines() {
		p.ensure(lh)
		if i < len(r.labels) {
			p.setFont(fontBold, size)
			p.cell(marginX, p.y, labelWidth, lh, r.labels[i], gopdf.Left)
		}
		if i < len(r.values) {
			p.setFont(fontRegular, size)
			p.cell(marginX+labelWidth, p.y, contentWidth-labelWidth, lh, r.values[i], gopdf.Left)
		}
		p.y += lh
	}
}

// paragraph prints wrapped text in the given font and the current colour.
func (p *pdfReport) paragraph(text, family string, size, lh, indent float64) {
	p.setFont(family, size)
	for _, line := range p.lines(text, contentWidth-indent) {
		p.ensure(lh)
		p.line(line, contentWidth-indent, lh, indent)
	}
}

// line prints one already wrapped line at the left margin plus indent and
// moves below it.
func (p *pdfReport) line(text string, w, lh, indent float64) {
	p.cell(marginX+indent, p.y, w, lh, text, gopdf.Left)
	p.y += lh
}

// cell prints one line of text in the current font and colour, centred
// vertically in the box at x, y of width w and height h and aligned as align
// says (gopdf.Left, Center or Right) within cellPad of its sides.
func (p *pdfReport) cell(x, y, w, h float64, text string, align int) {
	if text == "" || p.err != nil {
		return
	}
	p.pdf.SetXY(x+cellPad, y)
	p.fail(p.pdf.CellWithOption(&gopdf.Rect{W: w - 2*cellPad, H: h}, text, gopdf.CellOption{Align: align | gopdf.Middle}))
}

// box fills a rectangle. It sets the fill colour each time: in PDF the
// colour of text is the fill colour, so any text drawn since has changed it.
func (p *pdfReport) box(x, y, w, h float64, r, g, b uint8) {
	p.pdf.SetFillColor(r, g, b)
	p.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// setFont makes family at size points the current font. gopdf looks the
// family up among all its objects, so an unchanged font is not set again.
func (p *pdfReport) setFont(family string, size float64) {
	if (family == p.family && size == p.size) || p.err != nil {
		return
	}
	p.fail(p.pdf.SetFont(family, "", size))
	p.family, p.size = family, size
}

// setColor makes r, g, b the colour of the text drawn from now on.
func (p *pdfReport) setColor(r, g, b uint8) {
	p.pdf.SetTextColor(r, g, b)
	p.color = [3]uint8{r, g, b}
}

// lines wraps text to width w in the current font. An empty text is one
// empty line, so a fact with no value still shows its label; line breaks at
// the end would only add blank lines.
func (p *pdfReport) lines(text string, w float64) []string {
	var lines []string
	for para := range strings.SplitSeq(strings.TrimRight(pdfText(text), "\n"), "\n") {
		lines = p.wrap(lines, []rune(para), w-2*cellPad)
	}
	return lines
}

// wrap appends the lines of one paragraph, each as long as fits in w: broken
// at the last space that fits, which is dropped, or inside a word longer
// than a line.
func (p *pdfReport) wrap(lines []string, s []rune, w float64) []string {
	start, space, width := 0, -1, 0.0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			space = i
		}
		width += p.advance(s[i])
		if width <= w || i == start {
			continue
		}
		end, next := i, i
		if space > start {
			end, next = space, space+1
		}
		lines = append(lines, string(s[start:end]))
		start, space, width = next, -1, 0
		i = next - 1
	}
	if start < len(s) || len(s) == 0 {
		lines = append(lines, string(s[start:]))
	}
	return lines
}

// width is the width of text in the current font, in millimetres.
func (p *pdfReport) width(text string) float64 {
	w := 0.0
	for _, r := range text {
		w += p.advance(r)
	}
	return w
}

// advance is the width of r in the current font, in millimetres; gopdf
// measures a character the font lacks as the U+FFFD it prints instead.
func (p *pdfReport) advance(r rune) float64 {
	perPoint, ok := p.widths[p.family][r]
	if !ok && p.err == nil {
		w, err := p.pdf.MeasureTextWidth(string(r))
		p.fail(err)
		perPoint = w / p.size
		p.widths[p.family][r] = perPoint
	}
	return perPoint * p.size
}

// ensure starts a new page unless h millimetres fit above the footer.
func (p *pdfReport) ensure(h float64) {
	if p.y+h > p.bottom {
		p.newPage()
	}
}

func (p *pdfReport) space(h float64) {
	if p.y > p.top {
		p.y += h
	}
}

// fit shortens text with an ellipsis until it fits width w in the current
// font: the header and footer have one line each.
func (p *pdfReport) fit(text string, w float64) string {
	text = pdfText(strings.Join(strings.Fields(text), " "))
	avail := w - 2*cellPad
	if p.width(text) <= avail {
		return text
	}
	avail -= p.width("…")
	used := 0.0
	runes := []rune(text)
	for i, r := range runes {
		if used += p.advance(r); used > avail {
			return strings.TrimSpace(string(runes[:i])) + "…"
		}
	}
	return "…"
}

// pdfText makes user text printable. Control characters have no glyph: line
// breaks stay for wrapping, tabs become spaces, the rest go. gopdf writes
// four hex digits per character in the map that turns glyphs back into text,
// so a character beyond U+FFFF would corrupt it: it becomes U+FFFD.
func pdfText(s string) string {
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
func labelRGB(l tlp.Label) (r, g, b uint8) {
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

// Package sitrep builds the situation reports that go up from technical to
// operational to political level (R7): the CSIRTs Network's technical
// situation report (§55(a)(iv)), EU-CyCLONe's operational situation report
// (§55(b)(iii)), the input for the IPCR's ISAA report (§55(c)(iv), §57), and
// the lessons-learned list (§74). A Document is built from what its author may
// see of a case, for a marking the author chooses: an item the chosen
// audience may not see is left out, and the author — only the author — is told
// how many were withheld and why. Published versions are immutable, numbered
// per case and kind, signed with the node key and carry their delta to the
// previous version. Renderers (render_*.go) turn a Document into HTML,
// Markdown, PDF and JSON; the model is also what a STIX 2.1 report will be
// made from: every item names its source. The PDF is drawn with
// github.com/signintech/gopdf, a maintained pure-Go library that embeds the
// subset of a TrueType font a report uses, so every EU script prints.
package sitrep

import (
	"time"

	"github.com/eucyber/blueprint/internal/tlp"
)

// Kind is the kind of situation report.
type Kind string

const (
	Technical   Kind = "technical"   // CSIRTs Network, §55(a)(iv)
	Operational Kind = "operational" // EU-CyCLONe, §55(b)(iii)
	ISAA        Kind = "isaa"        // input for the IPCR's ISAA report, §55(c)(iv), §57
	Lessons     Kind = "lessons"     // lessons-learned list, §74
)

// Kinds lists the kinds in the order reports go up.
func Kinds() []Kind { return []Kind{Technical, Operational, ISAA, Lessons} }

// Document is one situation report: a draft as built, or a published version.
type Document struct {
	Case      string `json:"case"`
	CaseTitle string `json:"case_title"`
	Kind      Kind   `json:"kind"`
	// Title and Ref name the report and the paragraph that asks for it.
	Title string `json:"title"`
	Ref   string `json:"ref"`
	// Addressees: who the report goes to (§55(a)(iv): EU-CyCLONe; §74: the
	// CSIRTs Network, the NIS Cooperation Group and the Council).
	Addressees []string `json:"addressees"`
	// Version is 0 for a draft, then 1, 2, … per case and kind.
	Version int       `json:"version"`
	BuiltAt time.Time `json:"built_at"`
	Author  Author    `json:"author"`
	// Marking is the marking the author chose: every item included may be seen
	// by its audience, and no item is marked less restrictively than it.
	Marking tlp.Marking `json:"marking"`
	// Exercise is the exercise the case belongs to ("" for real-world data):
	// renderers print the EXERCISE banner.
	Exercise string    `json:"exercise,omitempty"`
	Sections []Section `json:"sections"`
	// Delta is what changed since the previous version; nil for a draft and
	// for version 1.
	Delta *Delta `json:"delta,omitempty"`
}

// Delta lists the items added, removed and changed since the previous
// version, by section heading and item heading ("Member States — NL").
type Delta struct {
	Previous int      `json:"previous"`
	Added    []string `json:"added"`
	Removed  []string `json:"removed"`
	Changed  []string `json:"changed"`
}

// Author is who built the report.
type Author struct {
	Organisation string `json:"organisation"`
	User         string `json:"user"`
	Name         string `json:"name"`
}

// Section is one heading of the report. A section with no items says so with
// Empty ("none recorded"), never by disappearing.
type Section struct {
	ID      string `json:"id"`
	Heading string `json:"heading"`
	Ref     string `json:"ref,omitempty"`
	Items   []Item `json:"items"`
	Empty   string `json:"empty,omitempty"`
}

// Item is one unit of the report taken from one source: a national report, a
// decision, a signal. Facts are its label–value lines.
type Item struct {
	Heading string      `json:"heading"`
	Facts   []Fact      `json:"facts"`
	Source  Source      `json:"source"`
	Marking tlp.Marking `json:"marking"`
}

// Fact is one line of an item.
type Fact struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Source says where an item comes from, so every line can be traced.
type Source struct {
	// Kind is "national-report", "case-event" or "case".
	Kind         string    `json:"kind"`
	ID           string    `json:"id"`
	Version      int64     `json:"version,omitempty"`
	Organisation string    `json:"organisation,omitempty"`
	MemberState  string    `json:"member_state,omitempty"`
	At           time.Time `json:"at,omitzero"`
}

// Withheld counts the items left out for one reason. Only the author sees it.
type Withheld struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// Build is a built draft with what was withheld from it.
type Build struct {
	Document Document   `json:"document"`
	Withheld []Withheld `json:"withheld"`
}

package web

import (
	"strconv"
	"strings"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Markings on screen (TLP 2.0, FIRST): every panel of marked content carries
// its label in FIRST's wording and colours, and every form that marks
// something explains each label in one line and starts with none chosen —
// unmarked input is refused, never guessed.

// tlpChoice is one label offered in a form, with what it means on this node
// (the README's table).
type tlpChoice struct {
	Label   tlp.Label
	Class   string
	Meaning string
}

func tlpChoices() []tlpChoice {
	out := make([]tlpChoice, 0, len(tlp.Labels()))
	for _, l := range tlp.Labels() {
		out = append(out, tlpChoice{Label: l, Class: tlpClass(l), Meaning: tlpMeaning(l)})
	}
	return out
}

// tlpClass is the style class that gives a label FIRST's colour on black.
func tlpClass(l tlp.Label) string {
	switch l {
	case tlp.Clear:
		return "tlp-clear"
	case tlp.Green:
		return "tlp-green"
	case tlp.Amber:
		return "tlp-amber"
	case tlp.AmberStrict:
		return "tlp-amber-strict"
	case tlp.Red:
		return "tlp-red"
	}
	return "tlp-invalid"
}

// tlpMeaning says in one line who sees an item with the label on this node.
func tlpMeaning(l tlp.Label) string {
	switch l {
	case tlp.Clear:
		return "Anyone the audience names, the public too with a public audience."
	case tlp.Green:
		return "The platform's community: every signed-in user the audience names, never the public."
	case tlp.Amber:
		return "The organisations the audience names, and yours; they may pass it to their clients on a need-to-know basis."
	case tlp.AmberStrict:
		return "The organisations the audience names, and yours; not passed on to their clients."
	case tlp.Red:
		return "Only the people the audience names, and you; not their colleagues."
	}
	return "Not a TLP 2.0 label."
}

// audienceChoice is one audience kind offered in a form.
type audienceChoice struct {
	Kind    tlp.AudienceKind
	Meaning string
}

func audienceChoices() []audienceChoice {
	return []audienceChoice{
		{tlp.Public, "public: anyone (TLP:CLEAR only)"},
		{tlp.Community, "community: every organisation on the platform (TLP:CLEAR or TLP:GREEN)"},
		{tlp.Networks, "networks: the organisations taking part in the networks named below"},
		{tlp.Organisations, "organisations: the organisations named below"},
		{tlp.Users, "users: the people named below (needed for TLP:RED)"},
	}
}

// audienceText says who an item is addressed to, in words. Networks and
// organisations are named (the directory is open to every signed-in user);
// individual recipients are only counted.
func (u *webUI) audienceText(a tlp.Audience) string {
	switch a.Kind {
	case tlp.Public:
		return "public"
	case tlp.Community:
		return "community"
	case tlp.Networks:
		names := make([]string, len(a.IDs))
		for i, id := range a.IDs {
			names[i] = u.networkName(id)
		}
		return "networks: " + strings.Join(names, ", ")
	case tlp.Organisations:
		names := make([]string, len(a.IDs))
		for i, id := range a.IDs {
			names[i] = u.orgName(id)
		}
		return "organisations: " + strings.Join(names, ", ")
	case tlp.Users:
		if len(a.IDs) == 1 {
			return "1 named person"
		}
		return strconv.Itoa(len(a.IDs)) + " named people"
	}
	return string(a.Kind)
}

// networkName names a networks-audience id: "eu-cyclone/members" is
// "EU-CyCLONe members".
func (u *webUI) networkName(id string) string {
	network, members := strings.CutSuffix(id, "/members")
	name := network
	switch network {
	case crisis.NetworkCSIRTs:
		name = "CSIRTs Network"
	case crisis.NetworkCyCLONe:
		name = "EU-CyCLONe"
	default:
		if n, ok := u.d.Model.Network(network); ok {
			name = n.Name
		}
	}
	if members {
		return name + " members"
	}
	return name
}

// orgName names an organisation as the directory knows it.
func (u *webUI) orgName(id string) string {
	if o, ok := u.d.Auth.Dir.Organisation(id); ok && o.Name != "" {
		return o.Name
	}
	return id
}

// userName is a user's display name, or "someone" for an id the directory
// does not know (the node itself records some events).
func (u *webUI) userName(id string) string {
	if usr, ok := u.d.Auth.Dir.User(id); ok {
		if usr.DisplayName != "" {
			return usr.DisplayName
		}
		return usr.Username
	}
	return "the node"
}

// markingFields is what a marking form offers: the labels, the audience
// kinds and the ids to name recipients by.
type markingFields struct {
	Labels        []tlpChoice
	Audiences     []audienceChoice
	Networks      []string
	Organisations []auth.Organisation
	// Self is the caller's own user id, for a TLP:RED audience.
	Self string
}

func (u *webUI) markingFields(self string) markingFields {
	return markingFields{Labels: tlpChoices(), Audiences: audienceChoices(),
		Networks:      []string{crisis.NetworkCSIRTs, tlp.MembersOf(crisis.NetworkCSIRTs), crisis.NetworkCyCLONe, tlp.MembersOf(crisis.NetworkCyCLONe)},
		Organisations: u.d.Auth.Dir.Organisations(), Self: self}
}

// markingFromForm reads the fields tlp, audience_kind and audience_ids. The
// label is read as every other input reads it (tlp.ParseLabel), so a
// classified marking is refused with the pointer to accredited channels.
func markingFromForm(f uiForm, exercise string) (tlp.Marking, formErrors) {
	var errs formErrors
	m := tlp.Marking{Exercise: exercise,
		Audience: tlp.Audience{Kind: tlp.AudienceKind(strings.TrimSpace(f.Get("audience_kind"))), IDs: splitIDs(f.Get("audience_ids"))}}
	if s := strings.TrimSpace(f.Get("tlp")); s != "" {
		l, err := tlp.ParseLabel(s)
		if err != nil {
			errs.add(fieldError{Field: "marking", Label: "TLP marking", Anchor: "tlp", Message: err.Error()})
		}
		m.TLP = l
	}
	return m, errs
}

// markingForm is what the "marking" partial shows: the choices and the form
// they belong to.
type markingForm struct {
	markingFields
	Form uiForm
}

// With pairs the choices with the form whose values and messages they show.
func (m markingFields) With(f uiForm) markingForm { return markingForm{markingFields: m, Form: f} }

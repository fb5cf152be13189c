package tlp

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// AudienceKind says who an item is shared with, beyond what its label allows.
type AudienceKind string

const (
	// Public: anyone, only meaningful with TLP:CLEAR.
	Public AudienceKind = "public"
	// Community: every organisation on the platform (the TLP 2.0 "community").
	Community AudienceKind = "community"
	// Networks: the participants of one or more networks (e.g. the CSIRTs
	// Network). An id "<network>" reaches every participant, observers
	// included; "<network>/members" (see MembersOf) only its members, chair and
	// secretariat — so EU-CyCLONe can share with its members and not with the
	// Commission while it only observes (§20).
	Networks AudienceKind = "networks"
	// Organisations: named organisations.
	Organisations AudienceKind = "organisations"
	// Users: named users (TLP:RED's "individual recipients").
	Users AudienceKind = "users"
)

// MembersOf is the networks-audience id that reaches a network's members but
// not its observers.
func MembersOf(network string) string { return network + "/members" }

// Audience is the set of recipients an item is addressed to. IDs hold network,
// organisation or user ids for the kinds that name recipients.
type Audience struct {
	Kind AudienceKind `json:"kind"`
	IDs  []string     `json:"ids,omitempty"`
}

// Marking travels with every stored item (DESIGN §5): its label, its audience and,
// for exercise data, the exercise it belongs to. An empty Exercise means real-world
// data; real views never mix in exercise items.
type Marking struct {
	TLP      Label    `json:"tlp"`
	Audience Audience `json:"audience"`
	Exercise string   `json:"exercise,omitempty"`
}

// Validate checks that the marking is complete and self-consistent, and that its
// audience is no wider than its label allows. Unmarked input is refused, never
// defaulted (DESIGN §5).
func (m Marking) Validate() error {
	var errs []error
	if !m.TLP.Valid() {
		if m.TLP == "" {
			errs = append(errs, errors.New("marking.tlp is missing: unmarked input is refused"))
		} else {
			errs = append(errs, fmt.Errorf("marking.tlp %q is not a TLP 2.0 label (use %s)", m.TLP, labelList()))
		}
	}
	switch m.Audience.Kind {
	case Public, Community:
		if len(m.Audience.IDs) > 0 {
			errs = append(errs, fmt.Errorf("marking.audience.ids must be empty for audience %q", m.Audience.Kind))
		}
	case Networks, Organisations, Users:
		if len(m.Audience.IDs) == 0 {
			errs = append(errs, fmt.Errorf("marking.audience.ids must name at least one recipient for audience %q", m.Audience.Kind))
		}
		if slices.Contains(m.Audience.IDs, "") {
			errs = append(errs, errors.New("marking.audience.ids contains an empty id"))
		}
	case "":
		errs = append(errs, errors.New("marking.audience.kind is missing (public, community, networks, organisations or users)"))
	default:
		errs = append(errs, fmt.Errorf("marking.audience.kind %q is unknown (public, community, networks, organisations or users)", m.Audience.Kind))
	}
	if m.Audience.Kind == Public && m.TLP.Valid() && m.TLP != Clear {
		errs = append(errs, fmt.Errorf("marking: a public audience needs TLP:CLEAR, not %s", m.TLP))
	}
	if err := audienceTooWide(m.TLP, m.Audience.Kind); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// audienceTooWide refuses an audience that would show the item to more people
// than its label allows. The gate applies label and audience together, so an
// AMBER item with a community audience would in practice be GREEN: refusing it
// here keeps the label on screen honest. A public audience is left to the check
// above, which already names the fix.
func audienceTooWide(l Label, k AudienceKind) error {
	switch l {
	case Amber, AmberStrict:
		if k == Community {
			return fmt.Errorf("marking: %s needs a networks, organisations or users audience: a community audience would show it to every organisation on the platform, not only its recipients", l)
		}
	case Red:
		switch k {
		case Community:
			return errors.New("marking: TLP:RED needs a users audience naming the individual recipients: a community audience would show it to every user on the platform")
		case Networks, Organisations:
			return fmt.Errorf("marking: TLP:RED needs a users audience naming the individual recipients: a %s audience would show it to whole organisations; name the users, or use TLP:AMBER+STRICT to share with organisations", k)
		}
	}
	return nil
}

// Key is the marking as one comparable string: its label, audience kind, the
// sorted recipient ids and its exercise. Two markings with the same key show
// an item to the same people.
func (m Marking) Key() string {
	ids := slices.Clone(m.Audience.IDs)
	slices.Sort(ids)
	return string(m.TLP) + "|" + string(m.Audience.Kind) + "|" + strings.Join(slices.Compact(ids), ",") + "|" + m.Exercise
}

package tlp

import (
	"fmt"
	"slices"
	"strings"
)

// Viewer is who is looking. The zero Viewer is anonymous.
type Viewer struct {
	User         string   // user id; "" = anonymous
	Organisation string   // the user's organisation id
	Networks     []string // networks the organisation currently takes part in (any role; conditional memberships only while in force) — resolved by the caller
	Exercise     string   // the exercise the viewer has chosen; "" = real-world view
}

// Anonymous reports whether no user is signed in. Only the user id counts: an
// organisation without a user is not someone the platform can hold to TLP.
func (v Viewer) Anonymous() bool { return v.User == "" }

// Item is what is being looked at: its marking and who created it.
type Item struct {
	Marking           Marking
	OwnerUser         string
	OwnerOrganisation string
}

// Decision says whether and why. Reason is one plain-English sentence citing the
// TLP 2.0 rule, fit to show the viewer: it never lists the recipients of an item
// the viewer may not see, since who an item was shared with can itself be
// sensitive.
type Decision struct {
	Allowed bool
	Reason  string
}

// CanSee reports whether v may see it; see Decide for the rules.
func CanSee(v Viewer, it Item) bool { return Decide(v, it).Allowed }

// Decide applies every visibility rule to one viewer and one item; any denial
// wins. It is the one place the platform decides visibility, so that every exit
// (screen, export, API, federation) enforces TLP in the same way (R15).
func Decide(v Viewer, it Item) Decision {
	m := it.Marking
	// Fail closed: a marking the platform cannot read says nothing reliable
	// about who may see the item, so no one does until it is corrected.
	if err := m.Validate(); err != nil {
		return deny("the item's marking is invalid, so no one may see it until it is corrected (fail closed): %s", oneLine(err))
	}
	// Exercise data must never be mistaken for a real incident, nor real data
	// leak into an exercise run with outside players; this holds even for the
	// item's creator.
	if m.Exercise != v.Exercise {
		switch {
		case v.Exercise == "":
			return deny("the item belongs to an exercise, and real-world views never include exercise items")
		case m.Exercise == "":
			return deny("the item is real-world data, and an exercise view shows only that exercise's items")
		default:
			return deny("the item belongs to another exercise than the one you are viewing")
		}
	}
	if v.Anonymous() {
		return decideAnonymous(m)
	}
	// The creator already knows the content; hiding it from them protects no one.
	if it.OwnerUser == v.User {
		return allow("%s: you created this item, and its creator always sees it", m.TLP)
	}
	if m.TLP == Red {
		// Validate guarantees a users audience. TLP:RED is for the eyes of
		// individual recipients: belonging to the creator's organisation is
		// not enough.
		if slices.Contains(m.Audience.IDs, v.User) {
			return allow("TLP:RED: for the named individual recipients only, and you are one of them")
		}
		return deny("TLP:RED: for the named individual recipients only, not their organisations; you are not among them")
	}
	// Below RED, the organisation that created an item holds it. This applies to
	// CLEAR and GREEN too: otherwise raising an item from GREEN to AMBER would
	// show it to more of its creator's colleagues, not fewer.
	if v.Organisation != "" && v.Organisation == it.OwnerOrganisation {
		return allow("%s: your organisation created this item, so it holds it", m.TLP)
	}
	return decideAudience(v, m)
}

// decideAnonymous applies TLP 2.0 to someone who is not signed in: only CLEAR
// may be disclosed without limit, and only if its source did not narrow the
// audience to platform users.
func decideAnonymous(m Marking) Decision {
	switch {
	case m.TLP == Clear && m.Audience.Kind == Public:
		return allow("TLP:CLEAR with a public audience: there is no limit on disclosure")
	case m.TLP == Clear:
		return deny("TLP:CLEAR, but its source shared it only with users of the platform; sign in to see it")
	case m.TLP == Green:
		return deny("TLP:GREEN: for the community, never the public; sign in to see it")
	default:
		return deny("%s: for named recipients only, never the public", m.TLP)
	}
}

// decideAudience applies the audience, and for AMBER the label, to an
// authenticated viewer who neither created the item nor belongs to the
// organisation that did. The item is not RED.
func decideAudience(v Viewer, m Marking) Decision {
	in, network := inAudience(v, m.Audience)
	switch m.TLP {
	case Amber, AmberStrict:
		// TLP:AMBER also lets recipients share with their clients, and
		// TLP:AMBER+STRICT does not. The platform does not model clients, so on
		// screen both reach exactly the recipient organisations; the difference
		// matters for re-sharing, which is enforced where items leave the
		// platform.
		switch m.Audience.Kind {
		case Users:
			if in {
				return allow("%s: only the recipients named by its audience, and you are one of them", m.TLP)
			}
			return deny("%s: only the recipients named by its audience; you are not among them", m.TLP)
		case Networks:
			if in {
				return allow("%s: only the recipient organisations, and yours is one of them through the network %s", m.TLP, network)
			}
		default:
			if in {
				return allow("%s: only the recipient organisations, and yours is one of them", m.TLP)
			}
		}
		return deny("%s: only the recipient organisations; yours is not among them", m.TLP)
	default:
		// CLEAR and GREEN set no limit inside the community; any limit comes
		// from the audience, a further restriction by the source that TLP 2.0
		// says recipients must respect.
		switch m.Audience.Kind {
		case Public:
			return allow("%s: there is no limit on disclosure", m.TLP)
		case Community:
			return allow("%s: shared with the community, and every user of the platform belongs to it", m.TLP)
		case Networks:
			if in {
				return allow("%s: its source shared it with named networks, and your organisation takes part in %s", m.TLP, network)
			}
			return deny("%s: its source shared it only with named networks; your organisation takes part in none of them", m.TLP)
		case Organisations:
			if in {
				return allow("%s: its source shared it with named organisations, and yours is one of them", m.TLP)
			}
			return deny("%s: its source shared it only with named organisations; yours is not among them", m.TLP)
		default:
			if in {
				return allow("%s: its source shared it with named users, and you are one of them", m.TLP)
			}
			return deny("%s: its source shared it only with named users; you are not among them", m.TLP)
		}
	}
}

// inAudience reports whether an authenticated viewer is in the audience and,
// for a networks audience, through which network. Empty ids never match:
// Validate refuses them in an audience, and a viewer whose organisation is
// unknown must not match by accident.
func inAudience(v Viewer, a Audience) (bool, string) {
	switch a.Kind {
	case Public, Community:
		return true, ""
	case Networks:
		for _, n := range a.IDs {
			if n != "" && slices.Contains(v.Networks, n) {
				return true, n
			}
		}
	case Organisations:
		return v.Organisation != "" && slices.Contains(a.IDs, v.Organisation), ""
	case Users:
		return v.User != "" && slices.Contains(a.IDs, v.User), ""
	}
	return false, ""
}

func allow(format string, args ...any) Decision {
	return Decision{Allowed: true, Reason: fmt.Sprintf(format, args...) + "."}
}

func deny(format string, args ...any) Decision {
	return Decision{Allowed: false, Reason: fmt.Sprintf(format, args...) + "."}
}

// oneLine folds a joined error onto one line, so a Reason stays one sentence.
func oneLine(err error) string {
	return strings.Join(strings.Split(err.Error(), "\n"), "; ")
}

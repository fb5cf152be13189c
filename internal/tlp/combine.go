package tlp

import (
	"errors"
	"fmt"
	"slices"
)

// Directory resolves audiences across kinds.
type Directory interface {
	OrganisationNetworks(org string) []string // networks an organisation takes part in
	UserOrganisation(user string) (string, bool)
}

// Combine returns the marking of a product built from these markings (a
// situation report, a merged timeline): the most restrictive label (by Rank)
// wins and the audiences intersect, so the product reaches no one who could not
// see every item it was built from. The exercise must be the same for all.
//
// Combine works on markings only: the implicit visibility of each item's creator
// and owner organisation is not part of the result. The product has an owner of
// its own, the user who builds it.
func Combine(dir Directory, ms ...Marking) (Marking, error) {
	if len(ms) == 0 {
		return Marking{}, errors.New("combine: no markings given: a product must be built from at least one item")
	}
	// An invalid input has no trustworthy audience to intersect; refusing it is
	// the same fail-closed choice as the gate's.
	for i, m := range ms {
		if err := m.Validate(); err != nil {
			return Marking{}, fmt.Errorf("combine: marking %d is invalid: %w", i+1, err)
		}
	}
	out := Marking{TLP: ms[0].TLP, Audience: normalised(ms[0].Audience), Exercise: ms[0].Exercise}
	for i, m := range ms[1:] {
		if m.Exercise != out.Exercise {
			return Marking{}, fmt.Errorf("combine: marking %d belongs to %s but marking 1 to %s: exercise and real-world data are never combined", i+2, exerciseName(m.Exercise), exerciseName(out.Exercise))
		}
		if m.TLP.Rank() > out.TLP.Rank() {
			out.TLP = m.TLP
		}
		out.Audience = intersect(dir, out.Audience, m.Audience)
	}
	if out.Audience.Kind != Public && out.Audience.Kind != Community && len(out.Audience.IDs) == 0 {
		return Marking{}, errors.New("combine: the audiences do not intersect: no one could see all of the items together, so the product would have no recipients")
	}
	// Each step keeps the audience at least as narrow as that of the most
	// restrictive input, which that input's label allowed; this check only
	// guards that reasoning against a future change.
	if err := out.Validate(); err != nil {
		return Marking{}, fmt.Errorf("combine: the combined marking is invalid: %w", err)
	}
	return out, nil
}

// narrowness orders audience kinds from widest to narrowest, so the result of
// an intersection takes the narrower kind.
func narrowness(k AudienceKind) int {
	switch k {
	case Public:
		return 0
	case Community:
		return 1
	case Networks:
		return 2
	case Organisations:
		return 3
	default:
		return 4
	}
}

// intersect returns the recipients in both a and b, as an audience of the
// narrower kind. An empty ID list means no one.
func intersect(dir Directory, a, b Audience) Audience {
	if narrowness(a.Kind) > narrowness(b.Kind) {
		a, b = b, a
	}
	// From here a is the wider kind.
	switch {
	case a.Kind == Public || a.Kind == Community:
		// Every kind below public is inside the community of platform users.
		return normalised(b)
	case a.Kind == b.Kind:
		var ids []string
		for _, id := range b.IDs {
			if slices.Contains(a.IDs, id) {
				ids = append(ids, id)
			}
		}
		return normalised(Audience{Kind: b.Kind, IDs: ids})
	case a.Kind == Networks && b.Kind == Organisations:
		var orgs []string
		for _, org := range b.IDs {
			if inAnyNetwork(dir, org, a.IDs) {
				orgs = append(orgs, org)
			}
		}
		return normalised(Audience{Kind: Organisations, IDs: orgs})
	default:
		// b names users; keep those whose organisation qualifies under a. A
		// user the directory cannot place qualifies nowhere (fail closed).
		var users []string
		for _, u := range b.IDs {
			org, ok := dir.UserOrganisation(u)
			if !ok || org == "" {
				continue
			}
			if (a.Kind == Networks && inAnyNetwork(dir, org, a.IDs)) ||
				(a.Kind == Organisations && slices.Contains(a.IDs, org)) {
				users = append(users, u)
			}
		}
		return normalised(Audience{Kind: Users, IDs: users})
	}
}

func inAnyNetwork(dir Directory, org string, networks []string) bool {
	for _, n := range dir.OrganisationNetworks(org) {
		if slices.Contains(networks, n) {
			return true
		}
	}
	return false
}

// normalised returns a copy with IDs sorted and deduplicated, so equal
// audiences compare equal and the result never aliases a caller's slice.
func normalised(a Audience) Audience {
	if len(a.IDs) == 0 {
		return Audience{Kind: a.Kind}
	}
	ids := slices.Clone(a.IDs)
	slices.Sort(ids)
	return Audience{Kind: a.Kind, IDs: slices.Compact(ids)}
}

func exerciseName(e string) string {
	if e == "" {
		return "the real world"
	}
	return fmt.Sprintf("exercise %q", e)
}

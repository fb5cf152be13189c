package model

import (
	"fmt"
	"regexp"
	"strings"
)

// MemberStateCount is the number of EU Member States (TEU art. 52(1)). A table
// with another count is a data error, not a change of membership to follow
// silently.
const MemberStateCount = 27

var (
	// kebab is the form of every id except Member State codes: stable in URLs,
	// file names and event payloads.
	kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// twoUpper is an EU country code or ISO 3166-1 alpha-2 code.
	twoUpper = regexp.MustCompile(`^[A-Z]{2}$`)
)

// validate checks every table and every reference between tables, adding a
// Problem for each fault, and builds the index maps the lookups use.
func (m *Model) validate(ps *problems) {
	m.buildIndexes(ps)
	m.checkLevels(ps)
	m.checkActors(ps)
	m.checkNationalKinds(ps)
	m.checkPhases(ps)
	m.checkMatrix(ps)
	m.checkNetworks(ps)
	m.checkMemberships(ps)
	m.checkMechanisms(ps)
	m.checkSectors(ps)
	m.checkMemberStates(ps)
	m.checkClocks(ps)
	m.checkClassifications(ps)
	m.checkVocabularies(ps)
}

// index maps the ids of one table to positions, reporting empty, malformed and
// duplicate ids and missing refs.
func index(ps *problems, f dataFile, n int, idRef func(int) (id, ref string), idForm *regexp.Regexp) map[string]int {
	idx := make(map[string]int, n)
	for i := range n {
		id, ref := idRef(i)
		e := entryName(f.entry(), id, i)
		if strings.TrimSpace(ref) == "" {
			ps.add(f, e, "has no ref; every entry cites its § or Annex")
		}
		if id == "" {
			ps.add(f, e, "has no %s", f.key())
			continue
		}
		if !idForm.MatchString(id) {
			ps.add(f, e, "%s %q is not in the expected form %s", f.key(), id, idForm)
		}
		if first, dup := idx[id]; dup {
			ps.add(f, e, "is defined twice (also entry #%d)", first+1)
			continue
		}
		idx[id] = i
	}
	return idx
}

func (m *Model) buildIndexes(ps *problems) {
	m.actors = index(ps, fileActors, len(m.Actors), func(i int) (string, string) { return m.Actors[i].ID, m.Actors[i].Ref }, kebab)
	m.nationalKinds = index(ps, fileNationalKinds, len(m.NationalActorKinds), func(i int) (string, string) {
		return m.NationalActorKinds[i].ID, m.NationalActorKinds[i].Ref
	}, kebab)
	m.levels = index(ps, fileLevels, len(m.Levels), func(i int) (string, string) { return m.Levels[i].ID, m.Levels[i].Ref }, kebab)
	m.phases = index(ps, filePhases, len(m.Phases), func(i int) (string, string) { return m.Phases[i].ID, m.Phases[i].Ref }, kebab)
	// The matrix is keyed by actor; the index only serves to catch duplicate rows.
	index(ps, fileMatrix, len(m.Matrix), func(i int) (string, string) { return m.Matrix[i].Actor, m.Matrix[i].Ref }, kebab)
	m.networks = index(ps, fileNetworks, len(m.Networks), func(i int) (string, string) { return m.Networks[i].ID, m.Networks[i].Ref }, kebab)
	index(ps, fileMemberships, len(m.Memberships), func(i int) (string, string) { return m.Memberships[i].ID, m.Memberships[i].Ref }, kebab)
	m.mechanisms = index(ps, fileMechanisms, len(m.Mechanisms), func(i int) (string, string) { return m.Mechanisms[i].ID, m.Mechanisms[i].Ref }, kebab)
	m.sectors = index(ps, fileSectors, len(m.Sectors), func(i int) (string, string) { return m.Sectors[i].ID, m.Sectors[i].Ref }, kebab)
	m.memberStates = index(ps, fileMemberStates, len(m.MemberStates), func(i int) (string, string) {
		return m.MemberStates[i].Code, m.MemberStates[i].Ref
	}, twoUpper)
	m.clocks = index(ps, fileClocks, len(m.Clocks), func(i int) (string, string) { return m.Clocks[i].ID, m.Clocks[i].Ref }, kebab)

	// Subsector ids share one namespace with sector ids, because a national
	// report or MechanismsForSector may name either.
	m.subsectors = make(map[string][2]int)
	for i, s := range m.Sectors {
		for j, sub := range s.Subsectors {
			e := subsectorName(s, i, sub, j)
			if strings.TrimSpace(sub.Ref) == "" {
				ps.add(fileSectors, e, "has no ref; every entry cites its § or Annex")
			}
			switch {
			case sub.ID == "":
				ps.add(fileSectors, e, "has no id")
				continue
			case !kebab.MatchString(sub.ID):
				ps.add(fileSectors, e, "id %q is not in the expected form %s", sub.ID, kebab)
			}
			if _, dup := m.sectors[sub.ID]; dup {
				ps.add(fileSectors, e, "id %q is also a sector id", sub.ID)
				continue
			}
			if other, dup := m.subsectors[sub.ID]; dup {
				ps.add(fileSectors, e, "id %q is also a subsector of sector %q", sub.ID, m.Sectors[other[0]].ID)
				continue
			}
			m.subsectors[sub.ID] = [2]int{i, j}
		}
	}
}

func subsectorName(s Sector, i int, sub Subsector, j int) string {
	return entryName("sector", s.ID, i) + ": " + entryName("subsector", sub.ID, j)
}

// required reports each named field that is blank.
func required(ps *problems, f dataFile, e string, fields ...string) {
	for k := 0; k+1 < len(fields); k += 2 {
		if strings.TrimSpace(fields[k+1]) == "" {
			ps.add(f, e, "has no %s", fields[k])
		}
	}
}

// refList reports ids in list that are not in idx, and duplicates.
func refList(ps *problems, f dataFile, e, what string, list []string, idx map[string]int, target dataFile) {
	seen := make(map[string]bool, len(list))
	for _, id := range list {
		if seen[id] {
			ps.add(f, e, "%s %q is listed twice", what, id)
			continue
		}
		seen[id] = true
		if _, ok := idx[id]; !ok {
			ps.add(f, e, "%s %q is not defined in %s", what, id, target)
		}
	}
}

func (m *Model) checkLevels(ps *problems) {
	for i, l := range m.Levels {
		e := entryName("level", l.ID, i)
		required(ps, fileLevels, e, "name", l.Name, "description", l.Description)
		switch l.ID {
		case LevelTechnical, LevelOperational, LevelPolitical, "":
		default:
			ps.add(fileLevels, e, "is not one of the levels of §52 (%s, %s, %s)", LevelTechnical, LevelOperational, LevelPolitical)
		}
	}
	for _, want := range []string{LevelTechnical, LevelOperational, LevelPolitical} {
		if _, ok := m.levels[want]; !ok {
			ps.add(fileLevels, "", "level %q of §52 is missing", want)
		}
	}
}

func (m *Model) checkActors(ps *problems) {
	for i, a := range m.Actors {
		e := entryName("actor", a.ID, i)
		required(ps, fileActors, e, "name", a.Name, "role", a.Role)
		if !a.Kind.valid() {
			ps.add(fileActors, e, "kind %q is not one of network, union-entity, council-body, board, forum, platform, cooperation-group, member-states", a.Kind)
		}
		refList(ps, fileActors, e, "level", a.Levels, m.levels, fileLevels)
	}
}

func (m *Model) checkNationalKinds(ps *problems) {
	for i, k := range m.NationalActorKinds {
		required(ps, fileNationalKinds, entryName("national actor kind", k.ID, i), "name", k.Name, "description", k.Description)
	}
}

func (m *Model) checkPhases(ps *problems) {
	for i, p := range m.Phases {
		e := entryName("phase", p.ID, i)
		required(ps, filePhases, e, "name", p.Name)
		if p.Level != "" {
			if _, ok := m.levels[p.Level]; !ok {
				ps.add(filePhases, e, "level %q is not defined in %s", p.Level, fileLevels)
			}
		}
	}
}

func (m *Model) checkMatrix(ps *problems) {
	for i, r := range m.Matrix {
		e := entryName("row", r.Actor, i)
		if r.Actor != "" {
			if _, ok := m.actors[r.Actor]; !ok {
				ps.add(fileMatrix, e, "actor %q is not defined in %s", r.Actor, fileActors)
			}
		}
		refList(ps, fileMatrix, e, "phase", r.Phases, m.phases, filePhases)
	}
}

func (m *Model) checkNetworks(ps *problems) {
	for i, n := range m.Networks {
		e := entryName("network", n.ID, i)
		required(ps, fileNetworks, e, "name", n.Name, "level", n.Level, "secretariat", n.Secretariat)
		if n.ID != "" {
			// A network is also an actor, so that the matrix, clocks and the
			// directory can name it like any other actor.
			if a, ok := m.Actor(n.ID); !ok {
				ps.add(fileNetworks, e, "is not defined as an actor in %s", fileActors)
			} else if a.Kind != KindNetwork {
				ps.add(fileNetworks, e, "actor %q in %s has kind %q, not %q", n.ID, fileActors, a.Kind, KindNetwork)
			}
		}
		if _, ok := m.levels[n.Level]; n.Level != "" && !ok {
			ps.add(fileNetworks, e, "level %q is not defined in %s", n.Level, fileLevels)
		}
		if n.Secretariat == "" {
			continue
		}
		if _, ok := m.actors[n.Secretariat]; !ok {
			ps.add(fileNetworks, e, "secretariat %q is not defined in %s", n.Secretariat, fileActors)
			continue
		}
		found := false
		for _, ms := range m.Memberships {
			if ms.Network == n.ID && ms.Actor == n.Secretariat && ms.Role == RoleSecretariat {
				found = true
			}
		}
		if !found {
			ps.add(fileNetworks, e, "secretariat %q has no secretariat membership in %s", n.Secretariat, fileMemberships)
		}
	}
}

func (m *Model) checkMemberships(ps *problems) {
	type key struct{ subject, network, condition string }
	members := make(map[key]bool)
	seen := make(map[string]int)
	for _, ms := range m.Memberships {
		if ms.Role == RoleMember {
			members[key{ms.Subject(), ms.Network, ""}] = true
		}
	}
	for i, ms := range m.Memberships {
		e := entryName("membership", ms.ID, i)
		if ms.Network == "" {
			ps.add(fileMemberships, e, "has no network")
		} else if _, ok := m.networks[ms.Network]; !ok {
			ps.add(fileMemberships, e, "network %q is not defined in %s", ms.Network, fileNetworks)
		}
		switch {
		case ms.Actor != "" && ms.NationalKind != "":
			ps.add(fileMemberships, e, "names both actor %q and national_kind %q; a membership has one subject", ms.Actor, ms.NationalKind)
		case ms.Actor != "":
			if _, ok := m.actors[ms.Actor]; !ok {
				ps.add(fileMemberships, e, "actor %q is not defined in %s", ms.Actor, fileActors)
			}
		case ms.NationalKind != "":
			if _, ok := m.nationalKinds[ms.NationalKind]; !ok {
				ps.add(fileMemberships, e, "national_kind %q is not defined in %s", ms.NationalKind, fileNationalKinds)
			}
		default:
			ps.add(fileMemberships, e, "names neither an actor nor a national_kind")
		}
		if !ms.Role.valid() {
			ps.add(fileMemberships, e, "role %q is not one of member, observer, secretariat, chair", ms.Role)
		}
		cond := ""
		if c := ms.Condition; c != nil {
			cond = c.ID
			switch {
			case c.ID == "":
				ps.add(fileMemberships, e, "condition has no id")
			case !kebab.MatchString(c.ID):
				ps.add(fileMemberships, e, "condition id %q is not in the expected form %s", c.ID, kebab)
			}
			if strings.TrimSpace(c.Text) == "" {
				ps.add(fileMemberships, e, "condition %q has no text", c.ID)
			}
		}
		// The chair is one of the members, not a separate seat.
		if ms.Role == RoleChair && !members[key{ms.Subject(), ms.Network, ""}] {
			ps.add(fileMemberships, e, "chair %s is not an unconditional member of network %q", ms.Subject(), ms.Network)
		}
		k := fmt.Sprintf("%s|%s|%s|%s", ms.Subject(), ms.Network, ms.Role, cond)
		if first, dup := seen[k]; dup {
			ps.add(fileMemberships, e, "repeats entry #%d (same subject, network, role and condition)", first+1)
		} else {
			seen[k] = i
		}
	}
}

func (m *Model) checkMechanisms(ps *problems) {
	for i, mech := range m.Mechanisms {
		e := entryName("mechanism", mech.ID, i)
		required(ps, fileMechanisms, e, "name", mech.Name, "description", mech.Description)
		if !mech.Type.valid() {
			ps.add(fileMechanisms, e, "type %q is not one of horizontal, cyber-specific, sectoral", mech.Type)
		}
		switch {
		case mech.Type == MechanismSectoral && len(mech.Sectors) == 0:
			ps.add(fileMechanisms, e, "is sectoral but names no sectors")
		case mech.Type != MechanismSectoral && len(mech.Sectors) > 0:
			ps.add(fileMechanisms, e, "is %s but names sectors; only sectoral mechanisms have them", mech.Type)
		}
		seen := make(map[string]bool)
		for _, s := range mech.Sectors {
			if seen[s] {
				ps.add(fileMechanisms, e, "sector %q is listed twice", s)
				continue
			}
			seen[s] = true
			_, isSector := m.sectors[s]
			_, isSub := m.subsectors[s]
			if !isSector && !isSub {
				ps.add(fileMechanisms, e, "sector %q is not defined in %s", s, fileSectors)
			}
		}
	}
}

func (m *Model) checkSectors(ps *problems) {
	for i, s := range m.Sectors {
		e := entryName("sector", s.ID, i)
		required(ps, fileSectors, e, "name", s.Name)
		checkTaxonomy(ps, e, "impact-sectors-impacted", s.ID, s.Taxonomy, s.Note)
		m.checkSectorMechanisms(ps, e, s.Mechanisms, s.ID, "")
		for j, sub := range s.Subsectors {
			se := subsectorName(s, i, sub, j)
			required(ps, fileSectors, se, "name", sub.Name)
			checkTaxonomy(ps, se, "impact-subsectors-impacted", sub.ID, sub.Taxonomy, sub.Note)
			m.checkSectorMechanisms(ps, se, sub.Mechanisms, sub.ID, s.ID)
		}
	}
}

// checkTaxonomy holds a sector's taxonomy tag to its id, so that the id really
// is the nis2 value it claims to be.
func checkTaxonomy(ps *problems, e, predicate, id, tag, note string) {
	if tag == "" {
		if strings.TrimSpace(note) == "" {
			ps.add(fileSectors, e, "has no taxonomy tag and no note saying why the id was made up")
		}
		return
	}
	if want := fmt.Sprintf("nis2:%s=%q", predicate, id); tag != want {
		ps.add(fileSectors, e, "taxonomy %q does not match its id; want %q", tag, want)
	}
}

// checkSectorMechanisms checks a sector's (or subsector's) mechanism list, and
// that each mechanism names the sector back, so the two tables cannot drift.
func (m *Model) checkSectorMechanisms(ps *problems, e string, list []string, id, parent string) {
	refList(ps, fileSectors, e, "mechanism", list, m.mechanisms, fileMechanisms)
	for _, mid := range list {
		mech, ok := m.Mechanism(mid)
		if !ok {
			continue
		}
		back := false
		for _, s := range mech.Sectors {
			if s == id || (parent != "" && s == parent) {
				back = true
			}
		}
		if !back && id != "" {
			ps.add(fileSectors, e, "mechanism %q does not list %q in its sectors in %s", mid, id, fileMechanisms)
		}
	}
}

func (m *Model) checkMemberStates(ps *problems) {
	if n := len(m.MemberStates); n != MemberStateCount {
		ps.add(fileMemberStates, "", "has %d member states, want %d (TEU art. 52(1))", n, MemberStateCount)
	}
	for i, s := range m.MemberStates {
		e := entryName("member state", s.Code, i)
		required(ps, fileMemberStates, e, "name", s.Name)
		if s.Code == "GR" {
			ps.add(fileMemberStates, e, "code \"GR\" is the ISO code; the EU code for Greece is \"EL\"")
		}
		if !twoUpper.MatchString(s.ISO3166) {
			ps.add(fileMemberStates, e, "iso_3166 %q is not two upper-case letters", s.ISO3166)
		}
		if len(s.NativeNames) == 0 {
			ps.add(fileMemberStates, e, "has no native_names")
		}
		for _, n := range s.NativeNames {
			if strings.TrimSpace(n) == "" {
				ps.add(fileMemberStates, e, "has an empty native name")
			}
		}
	}
}

func (m *Model) checkClocks(ps *problems) {
	for i, c := range m.Clocks {
		e := entryName("clock", c.ID, i)
		required(ps, fileClocks, e, "name", c.Name, "starts", c.Starts)
		switch {
		case c.Owner != "" && c.OwnerNationalKind != "":
			ps.add(fileClocks, e, "names both owner and owner_national_kind; a clock has one owner")
		case c.Owner != "":
			if _, ok := m.actors[c.Owner]; !ok {
				ps.add(fileClocks, e, "owner %q is not defined in %s", c.Owner, fileActors)
			}
		case c.OwnerNationalKind != "":
			if _, ok := m.nationalKinds[c.OwnerNationalKind]; !ok {
				ps.add(fileClocks, e, "owner_national_kind %q is not defined in %s", c.OwnerNationalKind, fileNationalKinds)
			}
		default:
			ps.add(fileClocks, e, "has no owner or owner_national_kind")
		}
		refList(ps, fileClocks, e, "participant", c.Participants, m.actors, fileActors)
		if err := c.Deadline.check(); err != nil {
			ps.add(fileClocks, e, "%v", err)
		}
	}
}

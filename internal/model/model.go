package model

import (
	"fmt"

	"github.com/eucyber/blueprint/internal/failure"
)

// Level ids. The three levels are fixed by §52, so code may name them; the
// loader rejects a levels.yaml that defines any other.
const (
	LevelTechnical   = "technical"
	LevelOperational = "operational"
	LevelPolitical   = "political"
)

// ActorKind says what sort of body an actor is.
type ActorKind string

const (
	KindNetwork          ActorKind = "network"           // CSIRTs Network, EU-CyCLONe, MICNET
	KindUnionEntity      ActorKind = "union-entity"      // Union institution, body, office or agency (or part of one)
	KindCouncilBody      ActorKind = "council-body"      // the Council and its Presidency
	KindBoard            ActorKind = "board"             // IICB
	KindForum            ActorKind = "forum"             // Conference of EU Cyber Commanders
	KindPlatform         ActorKind = "platform"          // cross-border cyber hubs
	KindCooperationGroup ActorKind = "cooperation-group" // NIS Cooperation Group
	KindMemberStates     ActorKind = "member-states"     // the Member States, as the Annex II(1) matrix row
)

func (k ActorKind) valid() bool {
	switch k {
	case KindNetwork, KindUnionEntity, KindCouncilBody, KindBoard, KindForum,
		KindPlatform, KindCooperationGroup, KindMemberStates:
		return true
	}
	return false
}

// Role is a way of taking part in a network.
type Role string

const (
	RoleMember      Role = "member"
	RoleObserver    Role = "observer"
	RoleSecretariat Role = "secretariat"
	RoleChair       Role = "chair" // held by one member in addition to its membership
)

func (r Role) valid() bool {
	switch r {
	case RoleMember, RoleObserver, RoleSecretariat, RoleChair:
		return true
	}
	return false
}

// MechanismType is the "horizontal/sectoral/cyber-specific" column of Annex II(3).
type MechanismType string

const (
	MechanismHorizontal    MechanismType = "horizontal"
	MechanismCyberSpecific MechanismType = "cyber-specific"
	MechanismSectoral      MechanismType = "sectoral"
)

func (t MechanismType) valid() bool {
	switch t {
	case MechanismHorizontal, MechanismCyberSpecific, MechanismSectoral:
		return true
	}
	return false
}

// Actor is a Union-level actor of Annex II(2), or the Member States taken
// together as in the Annex II(1) matrix.
type Actor struct {
	ID   string    `yaml:"id" json:"id"`
	Name string    `yaml:"name" json:"name"`
	Kind ActorKind `yaml:"kind" json:"kind"`
	// Levels are level ids; empty where Annex II(2) gives none of the three.
	Levels []string `yaml:"levels" json:"levels"`
	// LevelNote says what the source has where Levels cannot: "horizontal", none.
	LevelNote string `yaml:"level_note,omitempty" json:"level_note,omitempty"`
	Role      string `yaml:"role" json:"role"`
	// Basis is the legal basis Annex II(2) cites ("Referentie").
	Basis []string `yaml:"basis,omitempty" json:"basis,omitempty"`
	Ref   string   `yaml:"ref" json:"ref"`
}

// NationalActorKind is a kind of national organisation (§8). Member States
// register their organisations at run time, each of one of these kinds.
type NationalActorKind struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
	Ref         string `yaml:"ref" json:"ref"`
}

// Level is one of the three levels of cooperation (§52–§55).
type Level struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
	Ref         string `yaml:"ref" json:"ref"`
}

// Phase is a phase of the crisis management lifecycle (Annex II(1)).
type Phase struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	// Level is set for the response phases, which the matrix splits by level.
	Level string `yaml:"level,omitempty" json:"level,omitempty"`
	Ref   string `yaml:"ref" json:"ref"`
}

// MatrixRow is one row of the Annex II(1) matrix: the phases an actor is
// involved in.
type MatrixRow struct {
	Actor  string   `yaml:"actor" json:"actor"`
	Phases []string `yaml:"phases" json:"phases"`
	Ref    string   `yaml:"ref" json:"ref"`
}

// Network is a Blueprint network whose membership the node manages. Its ID is
// also an actor id.
type Network struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Level       string `yaml:"level" json:"level"`
	Secretariat string `yaml:"secretariat" json:"secretariat"`
	Ref         string `yaml:"ref" json:"ref"`
}

// Membership says that a subject takes part in a network in a role. The
// subject is exactly one of Actor (a Union actor id) or NationalKind (every
// national organisation of that kind).
type Membership struct {
	ID           string `yaml:"id" json:"id"`
	Network      string `yaml:"network" json:"network"`
	Actor        string `yaml:"actor,omitempty" json:"actor,omitempty"`
	NationalKind string `yaml:"national_kind,omitempty" json:"national_kind,omitempty"`
	Role         Role   `yaml:"role" json:"role"`
	// Condition, when set, limits the membership to the times it holds.
	Condition *Condition `yaml:"condition,omitempty" json:"condition,omitempty"`
	Note      string     `yaml:"note,omitempty" json:"note,omitempty"`
	Ref       string     `yaml:"ref" json:"ref"`
}

// Subject returns the membership's subject as "actor:<id>" or
// "national_kind:<id>", so the two namespaces cannot be confused.
func (ms Membership) Subject() string {
	if ms.Actor != "" {
		return "actor:" + ms.Actor
	}
	return "national_kind:" + ms.NationalKind
}

// Condition names a state of affairs a membership depends on; the node records
// when it holds.
type Condition struct {
	ID   string `yaml:"id" json:"id"`
	Text string `yaml:"text" json:"text"`
}

// Mechanism is a Union-level crisis mechanism of Annex II(3) or a sectoral
// crisis mechanism of Annex II(4).
type Mechanism struct {
	ID   string        `yaml:"id" json:"id"`
	Name string        `yaml:"name" json:"name"`
	Type MechanismType `yaml:"type" json:"type"`
	// Sectors are sector or subsector ids, for sectoral mechanisms only.
	Sectors     []string `yaml:"sectors,omitempty" json:"sectors,omitempty"`
	Description string   `yaml:"description" json:"description"`
	Basis       []string `yaml:"basis,omitempty" json:"basis,omitempty"`
	Note        string   `yaml:"note,omitempty" json:"note,omitempty"`
	Ref         string   `yaml:"ref" json:"ref"`
}

// Sector is an Annex II(4) (NIS2) sector with its sectoral mechanisms.
type Sector struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	// Taxonomy is the MISP nis2 machine tag the id comes from; empty if invented.
	Taxonomy   string      `yaml:"taxonomy" json:"taxonomy"`
	Note       string      `yaml:"note,omitempty" json:"note,omitempty"`
	Mechanisms []string    `yaml:"mechanisms" json:"mechanisms"`
	Subsectors []Subsector `yaml:"subsectors,omitempty" json:"subsectors,omitempty"`
	Ref        string      `yaml:"ref" json:"ref"`
}

// Subsector is a row of Annex II(4) under a sector.
type Subsector struct {
	ID         string   `yaml:"id" json:"id"`
	Name       string   `yaml:"name" json:"name"`
	Taxonomy   string   `yaml:"taxonomy" json:"taxonomy"`
	Note       string   `yaml:"note,omitempty" json:"note,omitempty"`
	Mechanisms []string `yaml:"mechanisms" json:"mechanisms"`
	Ref        string   `yaml:"ref" json:"ref"`
}

// MemberState is an EU Member State.
type MemberState struct {
	// Code is the EU country code: ISO 3166-1 alpha-2, except EL for Greece.
	Code        string   `yaml:"code" json:"code"`
	ISO3166     string   `yaml:"iso_3166" json:"iso_3166"`
	Name        string   `yaml:"name" json:"name"`
	NativeNames []string `yaml:"native_names" json:"native_names"`
	Ref         string   `yaml:"ref" json:"ref"`
}

// Clock is a deadline the text states.
type Clock struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	// Starts says what event starts the clock.
	Starts string `yaml:"starts" json:"starts"`
	// Owner is an actor id; OwnerNationalKind a national actor kind. Exactly one is set.
	Owner             string   `yaml:"owner,omitempty" json:"owner,omitempty"`
	OwnerNationalKind string   `yaml:"owner_national_kind,omitempty" json:"owner_national_kind,omitempty"`
	Participants      []string `yaml:"participants,omitempty" json:"participants,omitempty"`
	Deadline          Deadline `yaml:"deadline" json:"deadline"`
	Note              string   `yaml:"note,omitempty" json:"note,omitempty"`
	Ref               string   `yaml:"ref" json:"ref"`
}

// Model is the Recommendation as data. Treat it, and every slice reachable from
// it, as read-only: one Model is shared by every request of a node.
type Model struct {
	Actors             []Actor             `json:"actors"`
	NationalActorKinds []NationalActorKind `json:"national_actor_kinds"`
	Levels             []Level             `json:"levels"`
	Phases             []Phase             `json:"phases"`
	Matrix             []MatrixRow         `json:"matrix"`
	Networks           []Network           `json:"networks"`
	Memberships        []Membership        `json:"memberships"`
	Mechanisms         []Mechanism         `json:"mechanisms"`
	Sectors            []Sector            `json:"sectors"`
	MemberStates       []MemberState       `json:"member_states"`
	Clocks             []Clock             `json:"clocks"`
	Classifications    []Classification    `json:"classifications"` // RSIT, rsit.yaml
	Vocabularies       []Vocabulary        `json:"vocabularies"`    // nis2 scales, nis2_vocabularies.yaml

	// Index maps from id to position in the slices above, built once at load.
	actors        map[string]int
	nationalKinds map[string]int
	levels        map[string]int
	phases        map[string]int
	networks      map[string]int
	mechanisms    map[string]int
	sectors       map[string]int
	subsectors    map[string][2]int // sector index, subsector index
	memberStates  map[string]int
	clocks        map[string]int

	classifications map[string]int
	incidentTypes   map[string][2]int // by "<classification>:<type>": classification index, type index
	vocabularies    map[string]int
	terms           map[string][2]int // by vocabulary id + "\x00" + term id: vocabulary index, term index
}

// Actor returns the actor with the given id.
func (m *Model) Actor(id string) (Actor, bool) {
	i, ok := m.actors[id]
	if !ok {
		return Actor{}, false
	}
	return m.Actors[i], true
}

// NationalActorKind returns the national actor kind with the given id.
func (m *Model) NationalActorKind(id string) (NationalActorKind, bool) {
	i, ok := m.nationalKinds[id]
	if !ok {
		return NationalActorKind{}, false
	}
	return m.NationalActorKinds[i], true
}

// Level returns the level with the given id.
func (m *Model) Level(id string) (Level, bool) {
	i, ok := m.levels[id]
	if !ok {
		return Level{}, false
	}
	return m.Levels[i], true
}

// Phase returns the phase with the given id.
func (m *Model) Phase(id string) (Phase, bool) {
	i, ok := m.phases[id]
	if !ok {
		return Phase{}, false
	}
	return m.Phases[i], true
}

// Network returns the network with the given id.
func (m *Model) Network(id string) (Network, bool) {
	i, ok := m.networks[id]
	if !ok {
		return Network{}, false
	}
	return m.Networks[i], true
}

// Mechanism returns the mechanism with the given id.
func (m *Model) Mechanism(id string) (Mechanism, bool) {
	i, ok := m.mechanisms[id]
	if !ok {
		return Mechanism{}, false
	}
	return m.Mechanisms[i], true
}

// Sector returns the sector with the given id. Subsector ids are not sectors;
// see Subsector.
func (m *Model) Sector(id string) (Sector, bool) {
	i, ok := m.sectors[id]
	if !ok {
		return Sector{}, false
	}
	return m.Sectors[i], true
}

// Subsector returns the subsector with the given id and the sector it belongs to.
func (m *Model) Subsector(id string) (Subsector, Sector, bool) {
	ix, ok := m.subsectors[id]
	if !ok {
		return Subsector{}, Sector{}, false
	}
	s := m.Sectors[ix[0]]
	return s.Subsectors[ix[1]], s, true
}

// MemberState returns the Member State with the given EU country code (EL for Greece).
func (m *Model) MemberState(code string) (MemberState, bool) {
	i, ok := m.memberStates[code]
	if !ok {
		return MemberState{}, false
	}
	return m.MemberStates[i], true
}

// Clock returns the clock with the given id.
func (m *Model) Clock(id string) (Clock, bool) {
	i, ok := m.clocks[id]
	if !ok {
		return Clock{}, false
	}
	return m.Clocks[i], true
}

// MatrixRow returns the Annex II(1) row of an actor; actors outside the matrix
// have none.
func (m *Model) MatrixRow(actor string) (MatrixRow, bool) {
	for _, r := range m.Matrix {
		if r.Actor == actor {
			return r, true
		}
	}
	return MatrixRow{}, false
}

// MembershipsOf returns the memberships of a network, in data order.
func (m *Model) MembershipsOf(network string) []Membership {
	var out []Membership
	for _, ms := range m.Memberships {
		if ms.Network == network {
			out = append(out, ms)
		}
	}
	return out
}

// MechanismsForSector returns the Annex II(4) mechanisms for a sector or
// subsector id. A subsector gives its own list. A sector gives its own list
// followed by its subsectors' lists, without duplicates, in data order, because
// an incident reported against the whole sector may touch any of them.
func (m *Model) MechanismsForSector(id string) ([]Mechanism, error) {
	var ids []string
	if sub, _, ok := m.Subsector(id); ok {
		ids = sub.Mechanisms
	} else if s, ok := m.Sector(id); ok {
		ids = append(ids, s.Mechanisms...)
		for _, sub := range s.Subsectors {
			ids = append(ids, sub.Mechanisms...)
		}
	} else {
		return nil, failure.New(failure.NotFound, "MechanismsForSector(%q): no such sector or subsector in Annex II(4)", id)
	}
	out := make([]Mechanism, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, mid := range ids {
		if seen[mid] {
			continue
		}
		seen[mid] = true
		mech, ok := m.Mechanism(mid)
		if !ok {
			// Load rejects dangling references, so only a Model built by hand gets here.
			return nil, failure.New(failure.Internal, "MechanismsForSector(%q): mechanism %q is not defined", id, mid)
		}
		out = append(out, mech)
	}
	return out, nil
}

// entryName describes an entry for error messages: by id when it has one, by
// position (1-based, as an editor counts) when it does not.
func entryName(kind, id string, i int) string {
	if id == "" {
		return fmt.Sprintf("%s #%d", kind, i+1)
	}
	return fmt.Sprintf("%s %q", kind, id)
}

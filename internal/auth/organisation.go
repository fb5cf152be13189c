package auth

import (
	"regexp"
	"slices"
	"strings"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/tlp"
)

// OperatorOrganisation is the organisation of the people who run the node. Its
// admins administer every organisation; it takes part in no network.
const OperatorOrganisation = "platform-operator"

// Organisation is one organisation using the node.
type Organisation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Actor is the model actor this organisation is (e.g. "enisa"), for Union
	// actors; NationalKind and MemberState describe a national organisation (§8).
	Actor        string       `json:"actor,omitempty"`
	NationalKind string       `json:"national_kind,omitempty"`
	MemberState  string       `json:"member_state,omitempty"`
	Memberships  []Membership `json:"memberships"`
	Version      int64        `json:"version"`
}

// Membership is an organisation's role in a network.
type Membership struct {
	Network string     `json:"network"`
	Role    model.Role `json:"role"`
	// Ref is the paragraph the membership comes from, when seeded from the model.
	Ref string `json:"ref,omitempty"`
	// Condition, when set, names the model condition under which it applies (e.g.
	// §20's); such a membership is shown but does not open access by itself.
	Condition string `json:"condition,omitempty"`
}

// Networks lists the networks the organisation takes part in unconditionally,
// in any role: the networks an audience of kind "networks" reaches it through.
func (o Organisation) Networks() []string {
	var out []string
	for _, m := range o.Memberships {
		if m.Condition == "" && !slices.Contains(out, m.Network) {
			out = append(out, m.Network)
		}
	}
	return out
}

// Audiences lists the networks-audience ids that reach the organisation:
// each network it takes part in unconditionally, and "<network>/members" for
// those in which it is more than an observer (tlp.MembersOf).
func (o Organisation) Audiences() []string {
	out := o.Networks()
	for _, m := range o.Memberships {
		if m.Condition == "" && m.Role != model.RoleObserver && !slices.Contains(out, tlp.MembersOf(m.Network)) {
			out = append(out, tlp.MembersOf(m.Network))
		}
	}
	return out
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,62}$`)

// OrganisationRequest is what an admin gives to register a national organisation.
type OrganisationRequest struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	NationalKind string `json:"national_kind"`
	MemberState  string `json:"member_state"`
}

// Validate checks the request against the model, naming each field at fault.
func (r OrganisationRequest) Validate(m *model.Model) error {
	var errs []error
	if !idPattern.MatchString(r.ID) {
		errs = append(errs, failure.Field("id", "%q must be 2-63 characters of a-z, 0-9 and '-', starting with a letter (e.g. nl-ncsc)", r.ID))
	}
	if strings.TrimSpace(r.Name) == "" || len(r.Name) > 200 {
		errs = append(errs, failure.Field("name", "must be 1-200 characters"))
	}
	if _, ok := m.NationalActorKind(r.NationalKind); !ok {
		var kinds []string
		for _, k := range m.NationalActorKinds {
			kinds = append(kinds, k.ID)
		}
		errs = append(errs, failure.Field("national_kind", "%q is not a national actor kind of §8; use one of %s", r.NationalKind, strings.Join(kinds, ", ")))
	}
	if _, ok := m.MemberState(r.MemberState); !ok {
		errs = append(errs, failure.Field("member_state", "%q is not an EU Member State code (e.g. NL, EL for Greece)", r.MemberState))
	}
	return joinInvalid(errs)
}

// joinInvalid joins field errors into one Invalid error whose message lists them
// all, so a form can show every problem at once.
func joinInvalid(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	if len(errs) == 1 {
		return errs[0]
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	// Each message already names its field; Field stays empty so it is not
	// named twice.
	return &failure.Error{Kind: failure.Invalid, Message: strings.Join(msgs, "; ")}
}

// seedMemberships returns the memberships the model gives an organisation: those
// whose subject is its actor, or its national kind.
func seedMemberships(m *model.Model, actor, nationalKind string) []Membership {
	var out []Membership
	for _, ms := range m.Memberships {
		if (actor != "" && ms.Actor == actor) || (nationalKind != "" && ms.NationalKind == nationalKind) {
			// The chair is one member chosen under the network's rules, not every
			// organisation of the kind: an admin grants it.
			if ms.Role == model.RoleChair && nationalKind != "" {
				continue
			}
			mem := Membership{Network: ms.Network, Role: ms.Role, Ref: ms.Ref}
			if ms.Condition != nil {
				mem.Condition = ms.Condition.ID
			}
			out = append(out, mem)
		}
	}
	return out
}

func orgStream(id string) string { return "organisation-" + id }

func validRole(r model.Role) error {
	switch r {
	case model.RoleMember, model.RoleObserver, model.RoleSecretariat, model.RoleChair:
		return nil
	}
	return failure.Field("role", "%q is not a network role (member, observer, secretariat, chair)", r)
}

package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/model"
)

// The directory: every organisation of the node, what it is and the roles it
// holds in the networks. It shows exactly what GET /api/v1/organisations
// gives every signed-in user (the directory is TLP:GREEN for the community),
// no more and nothing held back.

type directoryPage struct {
	basePage
	Groups []orgGroup
}

// orgGroup is one table of the page: the Union actors, one Member State's
// organisations, or the node's operator.
type orgGroup struct {
	ID, Heading string
	Orgs        []orgRow
}

type orgRow struct {
	ID, Name string
	// Kind is the Union actor's name in the model, or the national kind's.
	Kind        string
	Memberships []membershipRow
}

type membershipRow struct {
	Network string // the network's name
	Role    model.Role
	Ref     string
	// While is the condition's text for a conditional membership (§20).
	While string
}

func (u *webUI) directory(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePageUser(r); err != nil {
		return err
	}
	p := &directoryPage{}
	p.Title, p.Nav = "Directory", "directory"
	union := orgGroup{ID: "union-actors", Heading: "Union actors"}
	byState := map[string]*orgGroup{}
	var others []orgRow
	for _, o := range u.d.Auth.Dir.Organisations() {
		row := u.orgRow(o)
		switch {
		case o.Actor != "":
			union.Orgs = append(union.Orgs, row)
		case o.MemberState != "":
			g, ok := byState[o.MemberState]
			if !ok {
				g = &orgGroup{ID: "ms-" + o.MemberState, Heading: u.memberStateName(o.MemberState)}
				byState[o.MemberState] = g
			}
			g.Orgs = append(g.Orgs, row)
		default:
			others = append(others, row)
		}
	}
	if len(union.Orgs) > 0 {
		p.Groups = append(p.Groups, union)
	}
	states := make([]*orgGroup, 0, len(byState))
	for _, g := range byState {
		states = append(states, g)
	}
	slices.SortFunc(states, func(a, b *orgGroup) int { return cmp.Compare(a.ID, b.ID) })
	for _, g := range states {
		p.Groups = append(p.Groups, *g)
	}
	if len(others) > 0 {
		p.Groups = append(p.Groups, orgGroup{ID: "operator", Heading: "Node operator", Orgs: others})
	}
	return u.render(w, r, "directory", http.StatusOK, p)
}

func (u *webUI) orgRow(o auth.Organisation) orgRow {
	row := orgRow{ID: o.ID, Name: o.Name}
	switch {
	case o.Actor != "":
		row.Kind = u.actorName(o.Actor)
	case o.NationalKind != "":
		row.Kind = o.NationalKind
		if k, ok := u.d.Model.NationalActorKind(o.NationalKind); ok {
			row.Kind = k.Name
		}
	}
	for _, m := range o.Memberships {
		mr := membershipRow{Network: u.networkName(m.Network), Role: m.Role, Ref: m.Ref}
		if m.Condition != "" {
			mr.While = u.conditionText(m.Condition)
		}
		row.Memberships = append(row.Memberships, mr)
	}
	return row
}

// conditionText finds a condition's wording in the model; an organisation
// records only its id.
func (u *webUI) conditionText(id string) string {
	for _, ms := range u.d.Model.Memberships {
		if ms.Condition != nil && ms.Condition.ID == id {
			return ms.Condition.Text
		}
	}
	return id
}

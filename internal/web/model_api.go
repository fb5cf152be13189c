package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
)

// modelTable is one table of the Recommendation's data served under
// /api/v1/model/{name}.
type modelTable struct {
	name        string
	description string
	list        func(*model.Model) any
	// find returns one entry by id; nil for tables whose rows have no id.
	find func(m *model.Model, id string) (any, bool)
}

func modelTables() []modelTable {
	return []modelTable{
		{"actors", "Actors of Annex II(2) and their levels and roles", func(m *model.Model) any { return m.Actors },
			func(m *model.Model, id string) (any, bool) { return m.Actor(id) }},
		{"national-actor-kinds", "National actor kinds of §8", func(m *model.Model) any { return m.NationalActorKinds },
			func(m *model.Model, id string) (any, bool) {
				return findByID(m.NationalActorKinds, id, func(k model.NationalActorKind) string { return k.ID })
			}},
		{"levels", "Technical, operational and political levels (§52–§55)", func(m *model.Model) any { return m.Levels },
			func(m *model.Model, id string) (any, bool) {
				return findByID(m.Levels, id, func(l model.Level) string { return l.ID })
			}},
		{"phases", "Lifecycle phases of Annex II(1)", func(m *model.Model) any { return m.Phases },
			func(m *model.Model, id string) (any, bool) {
				return findByID(m.Phases, id, func(p model.Phase) string { return p.ID })
			}},
		{"matrix", "Annex II(1): which actor is involved in which phase", func(m *model.Model) any { return m.Matrix },
			func(m *model.Model, id string) (any, bool) {
				return findByID(m.Matrix, id, func(r model.MatrixRow) string { return r.Actor })
			}},
		{"networks", "The CSIRTs Network and EU-CyCLONe", func(m *model.Model) any { return m.Networks },
			func(m *model.Model, id string) (any, bool) {
				return findByID(m.Networks, id, func(n model.Network) string { return n.ID })
			}},
		{"memberships", "Network memberships and roles, including §20", func(m *model.Model) any { return m.Memberships },
			func(m *model.Model, id string) (any, bool) {
				return findByID(m.Memberships, id, func(ms model.Membership) string { return ms.ID })
			}},
		{"mechanisms", "Union mechanisms of Annex II(3) and Annex II(4)", func(m *model.Model) any { return m.Mechanisms },
			func(m *model.Model, id string) (any, bool) { return m.Mechanism(id) }},
		{"sectors", "NIS2 sectors and subsectors with their Annex II(4) mechanisms", func(m *model.Model) any { return m.Sectors },
			func(m *model.Model, id string) (any, bool) { return m.Sector(id) }},
		{"member-states", "The 27 Member States (EU country codes)", func(m *model.Model) any { return m.MemberStates },
			func(m *model.Model, id string) (any, bool) { return m.MemberState(id) }},
		{"clocks", "Deadlines stated in the Recommendation and NIS2 art. 23", func(m *model.Model) any { return m.Clocks },
			func(m *model.Model, id string) (any, bool) { return m.Clock(id) }},
		{"rsit", "RSIT incident classifications and types (MISP rsit taxonomy)", func(m *model.Model) any { return m.Classifications },
			func(m *model.Model, id string) (any, bool) { return m.Classification(id) }},
		{"nis2", "Root cause, severity and outlook scales (MISP nis2 taxonomy)", func(m *model.Model) any { return m.Vocabularies },
			func(m *model.Model, id string) (any, bool) { return m.Vocabulary(id) }},
	}
}

func findByID[T any](items []T, id string, key func(T) string) (T, bool) {
	i := slices.IndexFunc(items, func(t T) bool { return key(t) == id })
	if i < 0 {
		var zero T
		return zero, false
	}
	return items[i], true
}

func lookupTable(name string) (modelTable, error) {
	tables := modelTables()
	i := slices.IndexFunc(tables, func(t modelTable) bool { return t.name == name })
	if i < 0 {
		names := make([]string, len(tables))
		for j, t := range tables {
			names[j] = t.name
		}
		return modelTable{}, &failure.Error{Kind: failure.NotFound, Field: "table",
			Message: "no model table " + quote(name) + "; the tables are " + strings.Join(names, ", ")}
	}
	return tables[i], nil
}

// modelIndexEntry describes one table in the index.
type modelIndexEntry struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Href        string `json:"href"`
}

func handleModelIndex() apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		var out []modelIndexEntry
		for _, t := range modelTables() {
			out = append(out, modelIndexEntry{Name: t.name, Description: t.description, Href: apiPrefix + "/model/" + t.name})
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func handleModelTable(m *model.Model) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := lookupTable(r.PathValue("table"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, t.list(m))
	}
}

func handleModelEntry(m *model.Model) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := lookupTable(r.PathValue("table"))
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		v, ok := t.find(m, id)
		if !ok {
			return &failure.Error{Kind: failure.NotFound, Field: "id", Message: "no entry " + quote(id) + " in model table " + t.name}
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func handleAPINotFound() apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		return failure.New(failure.NotFound, "no API route %s %s; the routes are listed in %s/openapi.json", r.Method, r.URL.Path, apiPrefix)
	}
}

// quote bounds and quotes client input echoed back in a message.
func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

// Package taxii holds what the node's TAXII 2.1 server (STANDARDS.md §1,
// served by internal/web) decides: which collections exist and who may read
// and write them, the index of shared objects by collection in the order they
// were added, and the filters and pagination of §3.4–§3.5. It does no HTTP.
package taxii

import (
	"crypto/sha256"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/tlp"
)

// A collection is one audience at one TLP label (R16): what is posted to it
// is stored under exactly that marking, and it holds exactly the objects
// shared under that marking, through TAXII or an import. Whether a client
// may read it is the TLP gate's answer for an item so marked.
type Collection struct {
	ID          string
	Alias       string
	Title       string
	Description string
	Marking     tlp.Marking
}

// Organisation is what the collections are derived from: an organisation and
// the networks-audience ids that reach it (auth.Organisation.Audiences).
type Organisation struct {
	ID        string
	Name      string
	Audiences []string
}

// Collections are the node's collections: the public (CLEAR) and the
// community (GREEN); each network at GREEN and AMBER, and its members at
// AMBER; each organisation at AMBER and AMBER+STRICT. Ordered by alias, which
// is consistent across requests (§3.3).
func Collections(orgs []Organisation) []Collection {
	out := []Collection{
		{Alias: "public-clear", Title: "Public (TLP:CLEAR)", Description: "Objects anyone may see.",
			Marking: tlp.Marking{TLP: tlp.Clear, Audience: tlp.Audience{Kind: tlp.Public}}},
		{Alias: "community-green", Title: "Community (TLP:GREEN)", Description: "Objects for every organisation on the platform.",
			Marking: tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}}},
	}
	networks := map[string]bool{}
	for _, o := range orgs {
		for _, a := range o.Audiences {
			networks[a] = true
		}
		for _, l := range []tlp.Label{tlp.Amber, tlp.AmberStrict} {
			out = append(out, Collection{Alias: o.ID + "-" + labelSlug(l), Title: o.Name + " (" + string(l) + ")",
				Description: "Objects for " + o.Name + " only.",
				Marking:     tlp.Marking{TLP: l, Audience: tlp.Audience{Kind: tlp.Organisations, IDs: []string{o.ID}}}})
		}
	}
	for n := range networks {
		labels := []tlp.Label{tlp.Green, tlp.Amber}
		if strings.HasSuffix(n, "/members") {
			labels = []tlp.Label{tlp.Amber}
		}
		name := strings.ReplaceAll(n, "/", " ")
		for _, l := range labels {
			out = append(out, Collection{Alias: strings.ReplaceAll(n, "/", "-") + "-" + labelSlug(l), Title: name + " (" + string(l) + ")",
				Description: "Objects for the participants of " + name + ".",
				Marking:     tlp.Marking{TLP: l, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{n}}}})
		}
	}
	for i := range out {
		out[i].ID = collectionID(out[i].Alias)
	}
	slices.SortFunc(out, func(a, b Collection) int { return strings.Compare(a.Alias, b.Alias) })
	return out
}

func labelSlug(l tlp.Label) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(string(l), "TLP:")), "+", "-")
}

// collectionID derives a collection's id from its alias, so it stays the
// same across restarts and replicas. TAXII asks for a version 4 UUID: the
// hash gives the random bits, and the version and variant bits are set.
func collectionID(alias string) string {
	sum := sha256.Sum256([]byte("blueprint taxii collection/" + alias))
	var u uuid.UUID
	copy(u[:], sum[:16])
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return u.String()
}

// Find returns the collection with the id or alias.
func Find(cs []Collection, key string) (Collection, bool) {
	for _, c := range cs {
		if c.ID == key || c.Alias == key {
			return c, true
		}
	}
	return Collection{}, false
}

package tlp

import (
	"fmt"
	"strings"
)

// ParseAudience reads an audience as people type it on a command line or in a
// query: kind:id,id (networks:csirts-network, organisations:nl-ncsc,
// users:<user id>), or community, or public. It checks the form only;
// Marking.Validate checks the audience against a label.
func ParseAudience(s string) (Audience, error) {
	kind, ids, _ := strings.Cut(s, ":")
	a := Audience{Kind: AudienceKind(kind)}
	switch a.Kind {
	case Public, Community:
		return a, nil
	case Networks, Organisations, Users:
		for id := range strings.SplitSeq(ids, ",") {
			if id = strings.TrimSpace(id); id != "" {
				a.IDs = append(a.IDs, id)
			}
		}
		return a, nil
	}
	return a, fmt.Errorf("audience %q: give kind:id,id — networks:csirts-network, organisations:nl-ncsc, users:<user id> — or community", s)
}

package tlp_test

import (
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/tlp"
)

// TestDecide is the visibility rule table: every TLP 2.0 label against every
// audience kind and every relation of the viewer to the item, then the exercise
// rule and a few edge cases. Each row says why, so the table reads as the spec.
func TestDecide(t *testing.T) {
	const cyberEurope = "cyber-europe-2026"

	// The item's creator: Sanne of the Dutch NCSC, a CSIRTs Network member.
	creator := tlp.Viewer{User: "sanne", Organisation: "nl-ncsc", Networks: []string{"csirts-network"}}
	// Another user of the creator's organisation.
	colleague := tlp.Viewer{User: "jan", Organisation: "nl-ncsc", Networks: []string{"csirts-network"}}
	// A user whom every restricting audience below names: her organisation is
	// the named one and takes part in the named network, and she is the named user.
	recipient := tlp.Viewer{User: "marie", Organisation: "fr-anssi", Networks: []string{"eu-cyclone"}}
	// A user of an organisation outside every restricting audience, though in a
	// network of its own.
	outsider := tlp.Viewer{User: "piet", Organisation: "be-ccb", Networks: []string{"csirts-network"}}
	anonymous := tlp.Viewer{}

	inExercise := func(v tlp.Viewer, exercise string) tlp.Viewer {
		v.Exercise = exercise
		return v
	}

	// The restricting audiences leave out the creator's organisation, so that a
	// colleague is allowed only through the owner-organisation rule.
	public := tlp.Audience{Kind: tlp.Public}
	community := tlp.Audience{Kind: tlp.Community}
	nets := tlp.Audience{Kind: tlp.Networks, IDs: []string{"eu-cyclone"}}
	orgs := tlp.Audience{Kind: tlp.Organisations, IDs: []string{"fr-anssi"}}
	users := tlp.Audience{Kind: tlp.Users, IDs: []string{"marie"}}

	exerciseItem := func(l tlp.Label, a tlp.Audience, exercise string) tlp.Item {
		return tlp.Item{
			Marking:           tlp.Marking{TLP: l, Audience: a, Exercise: exercise},
			OwnerUser:         creator.User,
			OwnerOrganisation: creator.Organisation,
		}
	}
	item := func(l tlp.Label, a tlp.Audience) tlp.Item { return exerciseItem(l, a, "") }

	tests := []struct {
		it     tlp.Item
		v      tlp.Viewer
		want   bool
		reason string // a fragment the Reason must contain
	}{
		// TLP:CLEAR
		{item(tlp.Clear, public), creator, true, "created"},         // the creating user always sees their own item
		{item(tlp.Clear, public), colleague, true, "holds it"},      // CLEAR: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Clear, public), recipient, true, "no limit"},      // CLEAR: no limit from the label; the public audience includes every signed-in user
		{item(tlp.Clear, public), outsider, true, "no limit"},       // CLEAR: no limit from the label; the public audience includes every signed-in user
		{item(tlp.Clear, public), anonymous, true, "no limit"},      // CLEAR+public: no limit on disclosure, anyone may see it
		{item(tlp.Clear, community), creator, true, "created"},      // the creating user always sees their own item
		{item(tlp.Clear, community), colleague, true, "holds it"},   // CLEAR: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Clear, community), recipient, true, "community"},  // CLEAR: no limit from the label; the community audience includes every signed-in user
		{item(tlp.Clear, community), outsider, true, "community"},   // CLEAR: no limit from the label; the community audience includes every signed-in user
		{item(tlp.Clear, community), anonymous, false, "sign in"},   // CLEAR, but the source limited the audience to platform users
		{item(tlp.Clear, nets), creator, true, "created"},           // the creating user always sees their own item
		{item(tlp.Clear, nets), colleague, true, "holds it"},        // CLEAR: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Clear, nets), recipient, true, "takes part in"},   // CLEAR: no limit from the label; the source's networks audience names this viewer
		{item(tlp.Clear, nets), outsider, false, "none of them"},    // CLEAR: the label would allow the community, but the source narrowed the audience to networks, and this viewer is outside it
		{item(tlp.Clear, nets), anonymous, false, "sign in"},        // CLEAR, but the source limited the audience to platform users
		{item(tlp.Clear, orgs), creator, true, "created"},           // the creating user always sees their own item
		{item(tlp.Clear, orgs), colleague, true, "holds it"},        // CLEAR: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Clear, orgs), recipient, true, "one of them"},     // CLEAR: no limit from the label; the source's organisations audience names this viewer
		{item(tlp.Clear, orgs), outsider, false, "not among them"},  // CLEAR: the label would allow the community, but the source narrowed the audience to organisations, and this viewer is outside it
		{item(tlp.Clear, orgs), anonymous, false, "sign in"},        // CLEAR, but the source limited the audience to platform users
		{item(tlp.Clear, users), creator, true, "created"},          // the creating user always sees their own item
		{item(tlp.Clear, users), colleague, true, "holds it"},       // CLEAR: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Clear, users), recipient, true, "one of them"},    // CLEAR: no limit from the label; the source's users audience names this viewer
		{item(tlp.Clear, users), outsider, false, "not among them"}, // CLEAR: the label would allow the community, but the source narrowed the audience to users, and this viewer is outside it
		{item(tlp.Clear, users), anonymous, false, "sign in"},       // CLEAR, but the source limited the audience to platform users
		// TLP:GREEN
		{item(tlp.Green, public), creator, false, "invalid"},               // invalid: GREEN may not be public: a public audience needs CLEAR; fail closed, even for the creator
		{item(tlp.Green, public), colleague, false, "invalid"},             // invalid: GREEN may not be public: a public audience needs CLEAR; fail closed
		{item(tlp.Green, public), recipient, false, "invalid"},             // invalid: GREEN may not be public: a public audience needs CLEAR; fail closed
		{item(tlp.Green, public), outsider, false, "invalid"},              // invalid: GREEN may not be public: a public audience needs CLEAR; fail closed
		{item(tlp.Green, public), anonymous, false, "invalid"},             // invalid: GREEN may not be public: a public audience needs CLEAR; fail closed
		{item(tlp.Green, community), creator, true, "created"},             // the creating user always sees their own item
		{item(tlp.Green, community), colleague, true, "holds it"},          // GREEN: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Green, community), recipient, true, "community"},         // GREEN: no limit from the label; the community audience includes every signed-in user
		{item(tlp.Green, community), outsider, true, "community"},          // GREEN: no limit from the label; the community audience includes every signed-in user
		{item(tlp.Green, community), anonymous, false, "never the public"}, // GREEN = community, not public
		{item(tlp.Green, nets), creator, true, "created"},                  // the creating user always sees their own item
		{item(tlp.Green, nets), colleague, true, "holds it"},               // GREEN: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Green, nets), recipient, true, "takes part in"},          // GREEN: no limit from the label; the source's networks audience names this viewer
		{item(tlp.Green, nets), outsider, false, "none of them"},           // GREEN: the label would allow the community, but the source narrowed the audience to networks, and this viewer is outside it
		{item(tlp.Green, nets), anonymous, false, "never the public"},      // GREEN = community, not public
		{item(tlp.Green, orgs), creator, true, "created"},                  // the creating user always sees their own item
		{item(tlp.Green, orgs), colleague, true, "holds it"},               // GREEN: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Green, orgs), recipient, true, "one of them"},            // GREEN: no limit from the label; the source's organisations audience names this viewer
		{item(tlp.Green, orgs), outsider, false, "not among them"},         // GREEN: the label would allow the community, but the source narrowed the audience to organisations, and this viewer is outside it
		{item(tlp.Green, orgs), anonymous, false, "never the public"},      // GREEN = community, not public
		{item(tlp.Green, users), creator, true, "created"},                 // the creating user always sees their own item
		{item(tlp.Green, users), colleague, true, "holds it"},              // GREEN: the owner organisation holds its own item (monotonic with AMBER)
		{item(tlp.Green, users), recipient, true, "one of them"},           // GREEN: no limit from the label; the source's users audience names this viewer
		{item(tlp.Green, users), outsider, false, "not among them"},        // GREEN: the label would allow the community, but the source narrowed the audience to users, and this viewer is outside it
		{item(tlp.Green, users), anonymous, false, "never the public"},     // GREEN = community, not public
		// TLP:AMBER
		{item(tlp.Amber, public), creator, false, "invalid"},           // invalid: AMBER with a public audience would reach everyone; Validate refuses it; fail closed, even for the creator
		{item(tlp.Amber, public), colleague, false, "invalid"},         // invalid: AMBER with a public audience would reach everyone; Validate refuses it; fail closed
		{item(tlp.Amber, public), recipient, false, "invalid"},         // invalid: AMBER with a public audience would reach everyone; Validate refuses it; fail closed
		{item(tlp.Amber, public), outsider, false, "invalid"},          // invalid: AMBER with a public audience would reach everyone; Validate refuses it; fail closed
		{item(tlp.Amber, public), anonymous, false, "invalid"},         // invalid: AMBER with a public audience would reach everyone; Validate refuses it; fail closed
		{item(tlp.Amber, community), creator, false, "invalid"},        // invalid: AMBER with a community audience would reach everyone on the platform; Validate refuses it; fail closed, even for the creator
		{item(tlp.Amber, community), colleague, false, "invalid"},      // invalid: AMBER with a community audience would reach everyone on the platform; Validate refuses it; fail closed
		{item(tlp.Amber, community), recipient, false, "invalid"},      // invalid: AMBER with a community audience would reach everyone on the platform; Validate refuses it; fail closed
		{item(tlp.Amber, community), outsider, false, "invalid"},       // invalid: AMBER with a community audience would reach everyone on the platform; Validate refuses it; fail closed
		{item(tlp.Amber, community), anonymous, false, "invalid"},      // invalid: AMBER with a community audience would reach everyone on the platform; Validate refuses it; fail closed
		{item(tlp.Amber, nets), creator, true, "created"},              // the creating user always sees their own item
		{item(tlp.Amber, nets), colleague, true, "holds it"},           // AMBER: the owner organisation holds its own item
		{item(tlp.Amber, nets), recipient, true, "one of them"},        // AMBER: organisation (and clients, not modelled); an organisation in the audience network is a recipient organisation
		{item(tlp.Amber, nets), outsider, false, "not among them"},     // AMBER: organisation (and clients, not modelled); an organisation outside the audience network is no recipient, even in another network
		{item(tlp.Amber, nets), anonymous, false, "never the public"},  // AMBER: named recipients only, never the public
		{item(tlp.Amber, orgs), creator, true, "created"},              // the creating user always sees their own item
		{item(tlp.Amber, orgs), colleague, true, "holds it"},           // AMBER: the owner organisation holds its own item
		{item(tlp.Amber, orgs), recipient, true, "one of them"},        // AMBER: organisation (and clients, not modelled); the named organisation is a recipient
		{item(tlp.Amber, orgs), outsider, false, "not among them"},     // AMBER: organisation (and clients, not modelled); an organisation not named is no recipient
		{item(tlp.Amber, orgs), anonymous, false, "never the public"},  // AMBER: named recipients only, never the public
		{item(tlp.Amber, users), creator, true, "created"},             // the creating user always sees their own item
		{item(tlp.Amber, users), colleague, true, "holds it"},          // AMBER: the owner organisation holds its own item
		{item(tlp.Amber, users), recipient, true, "one of them"},       // AMBER: organisation (and clients, not modelled); a named user is a recipient
		{item(tlp.Amber, users), outsider, false, "not among them"},    // AMBER: organisation (and clients, not modelled); a user not named is no recipient
		{item(tlp.Amber, users), anonymous, false, "never the public"}, // AMBER: named recipients only, never the public
		// TLP:AMBER+STRICT
		{item(tlp.AmberStrict, public), creator, false, "invalid"},           // invalid: AMBER+STRICT with a public audience would reach everyone; Validate refuses it; fail closed, even for the creator
		{item(tlp.AmberStrict, public), colleague, false, "invalid"},         // invalid: AMBER+STRICT with a public audience would reach everyone; Validate refuses it; fail closed
		{item(tlp.AmberStrict, public), recipient, false, "invalid"},         // invalid: AMBER+STRICT with a public audience would reach everyone; Validate refuses it; fail closed
		{item(tlp.AmberStrict, public), outsider, false, "invalid"},          // invalid: AMBER+STRICT with a public audience would reach everyone; Validate refuses it; fail closed
		{item(tlp.AmberStrict, public), anonymous, false, "invalid"},         // invalid: AMBER+STRICT with a public audience would reach everyone; Validate refuses it; fail closed
		{item(tlp.AmberStrict, community), creator, false, "invalid"},        // invalid: AMBER+STRICT with a community audience would reach everyone on the platform; Validate refuses it; fail closed, even for the creator
		{item(tlp.AmberStrict, community), colleague, false, "invalid"},      // invalid: AMBER+STRICT with a community audience would reach everyone on the platform; Validate refuses it; fail closed
		{item(tlp.AmberStrict, community), recipient, false, "invalid"},      // invalid: AMBER+STRICT with a community audience would reach everyone on the platform; Validate refuses it; fail closed
		{item(tlp.AmberStrict, community), outsider, false, "invalid"},       // invalid: AMBER+STRICT with a community audience would reach everyone on the platform; Validate refuses it; fail closed
		{item(tlp.AmberStrict, community), anonymous, false, "invalid"},      // invalid: AMBER+STRICT with a community audience would reach everyone on the platform; Validate refuses it; fail closed
		{item(tlp.AmberStrict, nets), creator, true, "created"},              // the creating user always sees their own item
		{item(tlp.AmberStrict, nets), colleague, true, "holds it"},           // AMBER+STRICT: the owner organisation holds its own item
		{item(tlp.AmberStrict, nets), recipient, true, "one of them"},        // AMBER+STRICT: organisation only; an organisation in the audience network is a recipient organisation
		{item(tlp.AmberStrict, nets), outsider, false, "not among them"},     // AMBER+STRICT: organisation only; an organisation outside the audience network is no recipient, even in another network
		{item(tlp.AmberStrict, nets), anonymous, false, "never the public"},  // AMBER+STRICT: named recipients only, never the public
		{item(tlp.AmberStrict, orgs), creator, true, "created"},              // the creating user always sees their own item
		{item(tlp.AmberStrict, orgs), colleague, true, "holds it"},           // AMBER+STRICT: the owner organisation holds its own item
		{item(tlp.AmberStrict, orgs), recipient, true, "one of them"},        // AMBER+STRICT: organisation only; the named organisation is a recipient
		{item(tlp.AmberStrict, orgs), outsider, false, "not among them"},     // AMBER+STRICT: organisation only; an organisation not named is no recipient
		{item(tlp.AmberStrict, orgs), anonymous, false, "never the public"},  // AMBER+STRICT: named recipients only, never the public
		{item(tlp.AmberStrict, users), creator, true, "created"},             // the creating user always sees their own item
		{item(tlp.AmberStrict, users), colleague, true, "holds it"},          // AMBER+STRICT: the owner organisation holds its own item
		{item(tlp.AmberStrict, users), recipient, true, "one of them"},       // AMBER+STRICT: organisation only; a named user is a recipient
		{item(tlp.AmberStrict, users), outsider, false, "not among them"},    // AMBER+STRICT: organisation only; a user not named is no recipient
		{item(tlp.AmberStrict, users), anonymous, false, "never the public"}, // AMBER+STRICT: named recipients only, never the public
		// TLP:RED
		{item(tlp.Red, public), creator, false, "invalid"},           // invalid: RED needs a users audience (individual recipients); a public audience is refused; fail closed, even for the creator
		{item(tlp.Red, public), colleague, false, "invalid"},         // invalid: RED needs a users audience (individual recipients); a public audience is refused; fail closed
		{item(tlp.Red, public), recipient, false, "invalid"},         // invalid: RED needs a users audience (individual recipients); a public audience is refused; fail closed
		{item(tlp.Red, public), outsider, false, "invalid"},          // invalid: RED needs a users audience (individual recipients); a public audience is refused; fail closed
		{item(tlp.Red, public), anonymous, false, "invalid"},         // invalid: RED needs a users audience (individual recipients); a public audience is refused; fail closed
		{item(tlp.Red, community), creator, false, "invalid"},        // invalid: RED needs a users audience (individual recipients); a community audience is refused; fail closed, even for the creator
		{item(tlp.Red, community), colleague, false, "invalid"},      // invalid: RED needs a users audience (individual recipients); a community audience is refused; fail closed
		{item(tlp.Red, community), recipient, false, "invalid"},      // invalid: RED needs a users audience (individual recipients); a community audience is refused; fail closed
		{item(tlp.Red, community), outsider, false, "invalid"},       // invalid: RED needs a users audience (individual recipients); a community audience is refused; fail closed
		{item(tlp.Red, community), anonymous, false, "invalid"},      // invalid: RED needs a users audience (individual recipients); a community audience is refused; fail closed
		{item(tlp.Red, nets), creator, false, "invalid"},             // invalid: RED needs a users audience (individual recipients); a networks audience is refused; fail closed, even for the creator
		{item(tlp.Red, nets), colleague, false, "invalid"},           // invalid: RED needs a users audience (individual recipients); a networks audience is refused; fail closed
		{item(tlp.Red, nets), recipient, false, "invalid"},           // invalid: RED needs a users audience (individual recipients); a networks audience is refused; fail closed
		{item(tlp.Red, nets), outsider, false, "invalid"},            // invalid: RED needs a users audience (individual recipients); a networks audience is refused; fail closed
		{item(tlp.Red, nets), anonymous, false, "invalid"},           // invalid: RED needs a users audience (individual recipients); a networks audience is refused; fail closed
		{item(tlp.Red, orgs), creator, false, "invalid"},             // invalid: RED needs a users audience (individual recipients); an organisations audience is refused; fail closed, even for the creator
		{item(tlp.Red, orgs), colleague, false, "invalid"},           // invalid: RED needs a users audience (individual recipients); an organisations audience is refused; fail closed
		{item(tlp.Red, orgs), recipient, false, "invalid"},           // invalid: RED needs a users audience (individual recipients); an organisations audience is refused; fail closed
		{item(tlp.Red, orgs), outsider, false, "invalid"},            // invalid: RED needs a users audience (individual recipients); an organisations audience is refused; fail closed
		{item(tlp.Red, orgs), anonymous, false, "invalid"},           // invalid: RED needs a users audience (individual recipients); an organisations audience is refused; fail closed
		{item(tlp.Red, users), creator, true, "created"},             // the creating user always sees their own item
		{item(tlp.Red, users), colleague, false, "not among them"},   // RED: individual recipients only; a colleague of the creator is not named
		{item(tlp.Red, users), recipient, true, "one of them"},       // RED: named individual recipient
		{item(tlp.Red, users), outsider, false, "not among them"},    // RED: not named, so not a recipient
		{item(tlp.Red, users), anonymous, false, "never the public"}, // RED: named recipients only, never the public

		// The exercise rule: real and exercise data never mix, whatever the label.
		{exerciseItem(tlp.Green, community, cyberEurope), recipient, false, "real-world views never include exercise items"},  // a real-world view never shows exercise items, lest an injected scenario pass for a real incident
		{exerciseItem(tlp.Green, community, cyberEurope), creator, false, "real-world views never include exercise items"},    // not even the creator's own: the rule holds before the creator rule
		{exerciseItem(tlp.Clear, public, cyberEurope), anonymous, false, "real-world views never include exercise items"},     // a CLEAR+public exercise item is still not real-world information
		{item(tlp.Green, community), inExercise(recipient, cyberEurope), false, "real-world data"},                            // an exercise view shows only that exercise's items, not real ones
		{item(tlp.Clear, public), inExercise(creator, cyberEurope), false, "real-world data"},                                 // even the creator's own real item stays out of the exercise view
		{exerciseItem(tlp.Green, community, cyberEurope), inExercise(recipient, cyberEurope), true, "community"},              // the same exercise: GREEN+community is visible as in the real world
		{exerciseItem(tlp.Red, users, cyberEurope), inExercise(recipient, cyberEurope), true, "one of them"},                  // the same exercise: RED to a named recipient
		{exerciseItem(tlp.Red, users, cyberEurope), inExercise(creator, cyberEurope), true, "created"},                        // the same exercise: the creator sees their own item
		{exerciseItem(tlp.AmberStrict, orgs, cyberEurope), inExercise(outsider, cyberEurope), false, "not among them"},        // the same exercise does not lift the label: AMBER+STRICT stays with the recipient organisations
		{exerciseItem(tlp.Green, community, cyberEurope), inExercise(recipient, "blue-olex-2026"), false, "another exercise"}, // another exercise's items are as foreign as real ones
		{exerciseItem(tlp.Red, users, cyberEurope), inExercise(recipient, "blue-olex-2026"), false, "another exercise"},       // a named RED recipient in another exercise's view still does not see it

		// Edge cases.
		{tlp.Item{OwnerUser: "sanne", OwnerOrganisation: "nl-ncsc"}, creator, false, "unmarked input is refused"},                                             // an unmarked item is invalid, so no one sees it, not even its creator
		{item("TLP:WHITE", community), colleague, false, "invalid"},                                                                                           // TLP 1.0's WHITE is read as CLEAR by ParseLabel, but a stored marking must already be TLP 2.0
		{item(tlp.Amber, tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network", "eu-cyclone"}}), recipient, true, "through the network eu-cyclone"}, // AMBER: one shared network is enough for the organisation to be a recipient
		{item(tlp.Amber, orgs), tlp.Viewer{User: "nobody"}, false, "not among them"},                                                                          // a signed-in user whose organisation is unknown is in no named organisation
		{tlp.Item{Marking: tlp.Marking{TLP: tlp.Amber, Audience: orgs}, OwnerUser: "sanne"}, tlp.Viewer{User: "nobody"}, false, "not among them"},             // neither side knowing its organisation is no shared organisation
		{item(tlp.Red, tlp.Audience{Kind: tlp.Users, IDs: []string{"marie", "jan"}}), colleague, true, "one of them"},                                         // RED: a colleague of the creator sees it when named individually
		{tlp.Item{Marking: tlp.Marking{TLP: tlp.Red, Audience: users}}, anonymous, false, "never the public"},                                                 // an item without a recorded creator is not the anonymous viewer's own
		{item(tlp.Green, users), tlp.Viewer{User: "marie"}, true, "one of them"},                                                                              // a users audience names the person, whatever organisation is recorded for her
	}
	for _, tc := range tests {
		name := string(tc.it.Marking.TLP) + "/" + string(tc.it.Marking.Audience.Kind) + "/" + viewerName(tc.v)
		if tc.it.Marking.Exercise != "" || tc.v.Exercise != "" {
			name += "/exercise:" + tc.it.Marking.Exercise + "-seen-in:" + tc.v.Exercise
		}
		t.Run(name, func(t *testing.T) {
			d := tlp.Decide(tc.v, tc.it)
			if d.Allowed != tc.want {
				t.Errorf("Decide(%+v, %+v).Allowed = %v, want %v (reason: %q)", tc.v, tc.it, d.Allowed, tc.want, d.Reason)
			}
			if !strings.Contains(d.Reason, tc.reason) {
				t.Errorf("Decide reason = %q, want it to contain %q", d.Reason, tc.reason)
			}
			if strings.ContainsAny(d.Reason, "\n\r") || !strings.HasSuffix(d.Reason, ".") {
				t.Errorf("Decide reason = %q, want one sentence on one line", d.Reason)
			}
			if got := tlp.CanSee(tc.v, tc.it); got != d.Allowed {
				t.Errorf("CanSee = %v but Decide.Allowed = %v", got, d.Allowed)
			}
		})
	}
}

func viewerName(v tlp.Viewer) string {
	if v.Anonymous() {
		return "anonymous"
	}
	return v.User
}

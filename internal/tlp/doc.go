// Package tlp holds the Traffic Light Protocol 2.0 labels, the audience an item is
// shared with, and the one decision every exit of the platform asks: may this
// viewer see this item (FIRST TLP 2.0; the Recommendation's §5(d) confidentiality
// principle; requirement R15 of the Blueprint specification).
//
// # Marking
//
// Every stored item carries a Marking: its TLP label, its audience (public, the
// community of platform users, named networks, named organisations or named
// users) and, for exercise data, the exercise it belongs to. Marking.Validate
// refuses unmarked input and audiences wider than the label allows, so a marking
// that passes is one the gate can apply literally.
//
// # The gate
//
// Decide is the single place where visibility is decided; screens, exports, APIs
// and federation all call it (or CanSee), so TLP is enforced the same way at every
// exit. The rules apply together and any denial wins:
//
//   - an invalid marking is shown to no one (fail closed);
//   - real-world views never show exercise items, and an exercise view shows only
//     that exercise's items;
//   - anonymous viewers see only TLP:CLEAR items with a public audience;
//   - the user who created an item always sees it;
//   - TLP:RED reaches only the individual users the audience names;
//   - every other label reaches the audience and the organisation that created
//     the item, which holds it.
//
// # Combining
//
// Combine gives the marking of a product built from several items: the most
// restrictive label and the intersection of the audiences, so a summary never
// reaches anyone who could not see every item it was built from.
//
// # Classified information
//
// EU classified information (RESTREINT UE/EU RESTRICTED and above) must travel over
// the channels accredited for it (§76 of the Blueprint), never this platform.
// ParseLabel refuses such markings with a *ClassifiedError, and IsClassifiedMarking
// and CheckClassified let other parsers (STIX markings, free-text form fields)
// refuse them the same way.
//
// It is a domain package: no I/O, no clock, no package state.
package tlp

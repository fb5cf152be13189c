package sitrep

import (
	"slices"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
)

// MayPublish says whether the caller's organisation issues this kind of
// report. Anyone who may see a case may build a draft for themselves; a
// published version speaks for a network or an institution:
//
//   - technical: the CSIRTs Network, through its chair, supported by ENISA
//     (§55(a)(iv));
//   - operational: EU-CyCLONe, through its chair, supported by ENISA as its
//     secretariat (§55(b)(iii), §18);
//   - ISAA input: the Commission and the EEAS, who prepare the ISAA reports, or
//     EU-CyCLONe, whose reports feed them (§55(c)(iv), §57);
//   - lessons: either network's chair, or ENISA (§74).
func MayPublish(kind Kind, who crisis.Reporter) error {
	if who.Role == "viewer" || who.Role == "" {
		return failure.New(failure.Forbidden, "viewers read situation reports; an analyst, coordinator or admin publishes them")
	}
	chairs := func(n string) bool { return slices.Contains(who.Chairs, n) }
	var ok bool
	var issuer string
	switch kind {
	case Technical:
		ok, issuer = chairs(crisis.NetworkCSIRTs) || who.Actor == crisis.ActorENISA, "the CSIRTs Network's chair or ENISA (§55(a)(iv))"
	case Operational:
		ok, issuer = chairs(crisis.NetworkCyCLONe) || who.Actor == crisis.ActorENISA, "EU-CyCLONe's chair or ENISA (§55(b)(iii))"
	case ISAA:
		ok, issuer = who.Actor == crisis.ActorCommission || who.Actor == crisis.ActorEEAS || chairs(crisis.NetworkCyCLONe), "the Commission, the EEAS or EU-CyCLONe's chair (§55(c)(iv), §57)"
	case Lessons:
		ok, issuer = chairs(crisis.NetworkCSIRTs) || chairs(crisis.NetworkCyCLONe) || who.Actor == crisis.ActorENISA, "either network's chair or ENISA (§74)"
	default:
		return failure.Field("kind", "%q is not a report kind (technical, operational, isaa, lessons)", kind)
	}
	if !ok {
		return failure.New(failure.Forbidden, "a published %s report is issued by %s; you may build a draft for yourself", kind, issuer)
	}
	return nil
}

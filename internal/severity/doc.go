// Package severity is the common incident severity taxonomy of the Blueprint
// (§30; requirement R4): the scale that makes the severity of incidents
// comparable across Member States.
//
// # What §30 asks
//
// EU-CyCLONe, with ENISA as its secretariat and after consulting the CSIRTs
// Network and the NIS Cooperation Group, is to agree within 24 months a
// common, aligned taxonomy of incident severity that takes into account the
// impact on service delivery; the number of affected entities and their
// relevance; the impact on other services and infrastructure; and the
// financial, reputational and political damage. It is to build on existing
// scales such as the Reference Incident Classification Taxonomy.
//
// # The default is ours, not EU-CyCLONe's
//
// That taxonomy is not published yet. Until it is, the node uses the default
// embedded from data/default.yaml: the blueprint project's own taxonomy,
// pending the official one, and every Taxonomy says so in its Status. It
// assesses an incident on the four §30 dimensions, each on ordinal levels
// with plain-language anchors; the score is the weighted mean of the levels
// (0–100, exact arithmetic, rounded half up); bands map the score to the NIS
// Cooperation Group impact scale white, green, yellow, red (CG Publication
// 04/2018; MISP taxonomy nis2, predicate impact-severity); and floor rules
// keep a catastrophe on one dimension from being averaged away. Weights, band
// boundaries and floors are data, not code, and every Result carries a plain
// explanation and the id@version of the taxonomy that made it, so a stored
// result can always be traced and re-explained.
//
// # Loading another taxonomy
//
// A node that must use another taxonomy (the official one once agreed, or a
// national variant for an exercise) names a YAML file in the same format with
// the --severity-taxonomy flag; the command wires it through LoadFile, passing
// os.DirFS. Parse checks the file as strictly as the default: unknown fields,
// duplicate ids, levels not numbered 0, 1, 2…, bands that leave a gap or
// overlap in 0–100 or are not white, green, yellow, red in order, and floors
// naming dimensions, levels or bands that do not exist are all errors, every
// one reported at once and naming the file and the entry.
//
// # Suggestions, not decisions
//
// SuggestSignificant applies the definition of a significant incident in
// §7(b); Regulation2024_2690 applies the thresholds of Commission
// Implementing Regulation (EU) 2024/2690 to the entity types it covers. Both
// only suggest, with reasons citing their provisions: the software suggests,
// people decide (DESIGN.md §2).
//
// The package is pure: it reads only the embedded file or the fs.FS and bytes
// given to it, keeps no state outside the values it returns, and never reads
// the clock.
package severity

// Package model is the Council Recommendation on an EU Blueprint for cyber
// crisis management (9794/25) as data: its actors, levels, lifecycle phases,
// the Annex II tables, network memberships and the deadlines it states. The
// playbook, the suggestions, the UI checklists and the process flow diagrams
// (§80) are computed from this one source, so they cannot drift apart, and a
// correction to the reading of the text is made in one place.
//
// # Data files
//
// The tables live in data/*.yaml, embedded in the binary, one file per table.
// Each file is a single YAML document holding one list of entries:
//
//	actors.yaml                Annex II(2) actors, plus the Member States (Annex II(1) row)
//	                           and the NIS Cooperation Group (§30, §44, §74)
//	national_actor_kinds.yaml  kinds of national actor: CSIRT, CCMA, ... (§8, §11, NIS2)
//	levels.yaml                technical, operational, political (§52–§55)
//	phases.yaml                lifecycle phases, the columns of Annex II(1)
//	matrix.yaml                Annex II(1): which actor is involved in which phase
//	networks.yaml              CSIRTs Network and EU-CyCLONe: level, secretariat
//	memberships.yaml           member / observer / secretariat / chair, with conditions (§20)
//	mechanisms.yaml            Annex II(3) mechanisms and Annex II(4) sectoral mechanisms
//	sectors.yaml               Annex II(4) sectors and subsectors (MISP nis2 taxonomy ids)
//	member_states.yaml         the 27 Member States with EU codes (EL for Greece)
//	clocks.yaml                deadlines of the text and of NIS2 art. 23(4)
//	rsit.yaml                  RSIT incident classifications and types (MISP rsit)
//	nis2_vocabularies.yaml     root cause, severity and outlook scales (MISP nis2)
//
// Each file starts with a comment explaining its fields and any place where
// the reading of the source needed a choice.
//
// # References
//
// Every entry has a ref field citing where the text says it: a numbered point
// of the Recommendation ("§20", "§55(b)(v)", "§52–§55(c)"), a table of its
// annexes ("Annex II(4)"), or another act ("NIS2 art. 23(4)(a)", "TEU art.
// 52(1)"); several are separated by "; ". Numbers are the Recommendation's own,
// as in BLUEPRINT.md. Where the English digest BLUEPRINT.md and the Dutch
// source text differ, the source wins and the file says so in a comment.
//
// # Adding or changing an entry
//
// Edit the YAML file, then run "blueprint model --check" (or go test
// ./internal/model/). Give the entry a kebab-case id that is new in its table
// (Member States use their EU code) and a ref. Other tables refer to entries by
// id only: a new mechanism must be listed under its sectors in sectors.yaml and
// name them back in its own sectors field; a new network must also be an actor
// of kind network with a secretariat membership. The loader rejects unknown
// fields, dangling or duplicate ids, unknown enum values and a Member State
// table that does not hold exactly 27 entries, and it reports every problem at
// once, each naming its file and entry. The tests in this package also pin the
// Annex II(1) matrix and the Annex II(4) mechanisms to the text, so changing
// those means changing the test's transcription too, on purpose.
//
// The package does no I/O beyond reading the embedded files (or the fs.FS given
// to LoadFS) and keeps no state outside the Model it returns.
package model

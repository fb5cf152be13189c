// Package playbook is the Blueprint playbook (requirement R18): for a
// Union-level case, every step the Recommendation (Council document 9794/25)
// expects of each actor at its level, with its paragraph, its status (done,
// pending, overdue, not applicable) and its clock where the text gives one.
//
// # The steps are data
//
// The steps and their clocks live in data/steps.yaml, embedded in the binary
// and validated at load against the model (internal/model): each step has a
// kebab-case id, a plain-language title, a ref citing its § ("§51",
// "§55(a)(iv)", "NIS2 art. 23(4)(a)"), an owner that is a model actor, a level
// that is one of the owner's Annex II(2) levels, a condition, the event that
// completes it, and optionally a clock. Parse refuses unknown fields, unknown
// actors, levels, event types and kinds, duplicate ids, a missing ref, owner
// or completion, and clocks that disagree with the figures of the model's
// clocks.yaml, reporting every problem at once, each naming the file, the
// step or clock and the field. The file's header comment is the reference
// for its fields; the choices made in reading the text are in each step's
// note.
//
// # When a step applies
//
// A step's condition ("when") is a conjunction; the empty one holds from the
// case's opening:
//
//	level_at_least: <level>   the decided level, the kind of the latest
//	                          case.level-decided at or before the moment
//	                          ("incident" before any), reaches <level> on the
//	                          ladder incident < significant <
//	                          potential-large-scale < large-scale < cyber-crisis
//	ipcr_at_least: <mode>     the IPCR mode (case.ipcr-decided) reaches <mode>:
//	                          none < monitoring < information-sharing < full;
//	                          deactivated counts as none
//	after: <type>[/<kind>]    such an event has happened
//	network_active: <id>      the network is active (case.network-activated,
//	                          not since deactivated)
//	reports: true             at least one report linked (case.report-linked
//	                          less case.report-unlinked; if the case has
//	                          reports but shows no link event, they count
//	                          from its opening)
//	per_report: true          one instance per linked report, owned by that
//	                          report's Member State
//	significant: true         with per_report: the report is significant
//
// Evaluation replays the case's events in time order. A step became
// applicable (Status.Since) at the first moment its condition held: the
// case's opening, or an event's time after it; for a per-report step the
// report counts from its AwareAt (else FiledAt, else the case's opening), so
// Since may precede the case. Whether a report is significant, and whether it
// is withdrawn, are read as they stand now.
//
// A step that is not done and whose condition does not hold now is
// "not-applicable", even if it held once: after a de-escalation, or once a
// report is withdrawn, the step is owed no more and shows no clock. A step that
// was done stays done.
//
// # When a step is done
//
// A step is done by the first event of its done_by type (and kind, and
// actor, when given) at or after the moment it became applicable: an earlier
// event answered an earlier situation (an impact assessment made before the
// incident was decided large-scale does not count as the large-scale one).
// Steps whose completing event may well come first therefore apply from the
// case's opening. For a per-report step any time counts, and an event must come
// from the report's Member State; a per-report step may instead wait for a
// point in the report's life: filed (its filing), amended (its first
// amendment that is not a withdrawal), mitigating (its first amendment with status mitigating or
// resolved) or resolved (its first amendment with status resolved). The status
// records the completing event's id and time.
//
// For the NIS2 art. 23(4) clocks the node sees only what the Member State
// records on it, so the national report's filing stands for the early warning,
// its first amendment for the incident notification and its first resolved
// amendment for the final report.
//
// # Events in the playbook's words
//
// Most steps complete on case events by their own type. The Union response's
// are named in the playbook's words (reserve.requested, reserve.deployed,
// communication.recorded, ...): internal/cases translates the case events, so
// a step reads "the Reserve was deployed", not a payload field.
//
// Steps the text words as "may" (kan) are optional (Step.Optional): offered to
// their owner, never clocked, and listed last by ForActors.
//
// # Clocks
//
// A clock names a span from the file's clock table, with the source of its
// figure, and starts when the step became applicable, or for per-report steps
// at the report's awareness, filing or incident notification (its first
// amendment that is not a withdrawal). Months are calendar months (NIS2's "one month"), counted as the
// model counts legal deadlines. The text gives no figure for "without undue
// delay" (§48, §51): the node's default is 24 hours, and the clock's source
// says so. An operator may change any span (the node's --playbook-clocks
// option, read with ParseOverrides and given to New: "undue-delay=12h,
// nis2-final-report=1mo"); a status's ClockSource then says the node's figure
// beside the default, and "blueprint model steps" shows the clocks in force.
//
// A step with a clock is overdue when it applies, is not done and the due time
// has passed. A closed case's clocks stop at its closing: Evaluate judges
// overdue at the earlier of now and ClosedAt, so a step still pending at
// closing is shown pending (or overdue if it fell due before), while events
// recorded after closing, such as the lessons learned of §74, still complete
// their steps.
//
// The package is pure: it reads only the embedded file and the bytes and
// model given to it, keeps no state outside the values it returns, and never
// reads the clock; now is a parameter.
package playbook

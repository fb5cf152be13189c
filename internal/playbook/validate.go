package playbook

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/model"
)

var (
	// kebab is the form of step and clock ids: stable in URLs and the UI.
	kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// refPart is one citation of a ref: a numbered point of the Recommendation
	// with its letters and numerals ("§55(b)(iv)(a)"), a table of its annexes
	// ("Annex II(3)") or an article of NIS2 ("NIS2 art. 23(4)(a)").
	refPart = regexp.MustCompile(`^(§([1-9][0-9]*)(\([a-z0-9]+\))*|Annex (I|II)(\([1-9]\))?|NIS2 art\. [1-9][0-9]*(\([1-9][0-9]*\))?(\([a-z]\))?)$`)
)

// lastParagraph is the Recommendation's last numbered point (§82).
const lastParagraph = 82

// The escalation ladder of §7, lowest first: the kinds of "case.level-decided".
// Between significant and large-scale, §48, §50 and §55(a)(v) speak of a
// potential large-scale incident, one that could escalate.
const (
	LevelIncident            = "incident"
	LevelSignificant         = "significant"
	LevelPotentialLargeScale = "potential-large-scale"
	LevelLargeScale          = "large-scale"
	LevelCyberCrisis         = "cyber-crisis"
)

// Ladder returns the levels of the escalation ladder, lowest first.
func Ladder() []string {
	return []string{LevelIncident, LevelSignificant, LevelPotentialLargeScale, LevelLargeScale, LevelCyberCrisis}
}

// ladderRank is a level's position on the ladder, or -1. It is a switch,
// not a search of Ladder, because replay calls it for every event.
func ladderRank(level string) int {
	switch level {
	case LevelIncident:
		return 0
	case LevelSignificant:
		return 1
	case LevelPotentialLargeScale:
		return 2
	case LevelLargeScale:
		return 3
	case LevelCyberCrisis:
		return 4
	}
	return -1
}

// IPCR modes (§39, Annex II(3)): the kinds of "case.ipcr-decided".
// Deactivated returns the case to no mode.
const (
	IPCRMonitoring         = "monitoring"
	IPCRInformationSharing = "information-sharing"
	IPCRFull               = "full"
	IPCRDeactivated        = "deactivated"
)

// ipcrRank orders the modes: none (0) < monitoring < information-sharing <
// full. Deactivated ranks as none; anything else is -1.
func ipcrRank(mode string) int {
	switch mode {
	case IPCRDeactivated:
		return 0
	case IPCRMonitoring:
		return 1
	case IPCRInformationSharing:
		return 2
	case IPCRFull:
		return 3
	}
	return -1
}

// Event types the playbook reads from a case. The crisis package produces
// them; the future ones come from features not built yet.
const (
	EventOpened               = "case.opened"
	EventReportLinked         = "case.report-linked"   // kind: Member State code
	EventReportUnlinked       = "case.report-unlinked" // kind: Member State code
	EventSignalRecorded       = "case.signal-recorded" // kind: a signal, see below
	EventLevelDecided         = "case.level-decided"   // kind: a ladder level
	EventNetworkActivated     = "case.network-activated"
	EventNetworkDeactivated   = "case.network-deactivated"
	EventNetworkAdvice        = "case.network-advice"     // §50; kind: the advised level
	EventCyCLONeAssessment    = "case.cyclone-assessment" // §55(b)(iii); kind: the assessed level
	EventArrangementsRecorded = "case.arrangements-recorded"
	EventIPCRDecided          = "case.ipcr-decided" // kind: an IPCR mode
	EventRoundtableHeld       = "case.roundtable-held"
	EventClosed               = "case.closed"
	EventReopened             = "case.reopened"
	// EventSitrepPublished: a situation report version was published
	// (internal/publications); kind: technical, operational, isaa, lessons.
	EventSitrepPublished = "sitrep.published"
	// The Union response (internal/crisis response.go, reserve.go), in the
	// playbook's words; internal/cases names the case events so.
	EventMechanismRequested    = "mechanism.requested"    // an Annex II mechanism's activation requested
	EventReserveRequested      = "reserve.requested"      // Reserve services requested
	EventReserveDeployed       = "reserve.deployed"       // Reserve services deployed
	EventCommunicationRecorded = "communication.recorded" // public communication shared (§59–§61)
	EventDiplomacyDecided      = "diplomacy.decided"      // a Cyber Diplomacy Toolbox measure decided
	EventNATOContactSet        = "nato.contact-set"       // a point of contact with NATO (§65)
	EventEuropolContactSet     = "europol.contact-set"    // a point of contact with Europol (§55(a)(vi))
	EventMilitaryNotice        = "military.notice"        // military response capabilities used (§70)
	EventRecoveryRecorded      = "recovery.recorded"      // a core function's recovery status (§72)
	EventReviewRequested       = "review.requested"       // an incident review requested (§73)
)

// Kinds of "case.signal-recorded".
const (
	SignalHubAlert                 = "hub-alert"                  // §48
	SignalResponseCapacityExceeded = "response-capacity-exceeded" // §7(c)
	SignalInternalMarketHindered   = "internal-market-hindered"   // §7(d)
	SignalPublicSafetyRisk         = "public-safety-risk"         // §7(d)
)

// kindSet is what the kind of an event type may be.
type kindSet int

const (
	kindsNone        kindSet = iota // no kind
	kindsSignal                     // a signal
	kindsLadder                     // a ladder level
	kindsNetwork                    // a model network id
	kindsIPCR                       // an IPCR mode, deactivated included
	kindsMemberState                // a model Member State code
	kindsSitrep                     // a situation report kind
)

// eventType says whether an event type is known, and what its kind may be.
func eventType(t string) (kinds kindSet, ok bool) {
	switch t {
	case EventOpened, EventArrangementsRecorded, EventRoundtableHeld, EventClosed, EventReopened,
		EventMechanismRequested, EventReserveRequested, EventReserveDeployed, EventCommunicationRecorded,
		EventDiplomacyDecided, EventNATOContactSet, EventEuropolContactSet, EventMilitaryNotice,
		EventRecoveryRecorded, EventReviewRequested:
		return kindsNone, true
	case EventReportLinked, EventReportUnlinked:
		return kindsMemberState, true
	case EventSignalRecorded:
		return kindsSignal, true
	case EventLevelDecided, EventNetworkAdvice, EventCyCLONeAssessment:
		return kindsLadder, true
	case EventNetworkActivated, EventNetworkDeactivated:
		return kindsNetwork, true
	case EventIPCRDecided:
		return kindsIPCR, true
	case EventSitrepPublished:
		return kindsSitrep, true
	}
	return kindsNone, false
}

// EventTypes lists the event types a steps file may name.
func EventTypes() []string {
	return []string{
		EventOpened, EventReportLinked, EventReportUnlinked, EventSignalRecorded, EventLevelDecided,
		EventNetworkActivated, EventNetworkDeactivated, EventNetworkAdvice, EventCyCLONeAssessment,
		EventArrangementsRecorded, EventIPCRDecided, EventRoundtableHeld, EventClosed, EventReopened,
		EventSitrepPublished, EventMechanismRequested, EventReserveRequested, EventReserveDeployed,
		EventCommunicationRecorded, EventDiplomacyDecided, EventNATOContactSet, EventEuropolContactSet,
		EventMilitaryNotice, EventRecoveryRecorded, EventReviewRequested,
	}
}

// kindsText says in words what a kind set allows, for messages.
func kindsText(k kindSet, m *model.Model) string {
	switch k {
	case kindsSignal:
		return strings.Join([]string{SignalHubAlert, SignalResponseCapacityExceeded, SignalInternalMarketHindered, SignalPublicSafetyRisk}, ", ")
	case kindsLadder:
		return strings.Join(Ladder(), ", ")
	case kindsNetwork:
		ids := make([]string, len(m.Networks))
		for i, n := range m.Networks {
			ids[i] = n.ID
		}
		return strings.Join(ids, ", ")
	case kindsIPCR:
		return strings.Join([]string{IPCRMonitoring, IPCRInformationSharing, IPCRFull, IPCRDeactivated}, ", ")
	case kindsMemberState:
		return "a Member State code"
	case kindsSitrep:
		return "technical, operational, isaa, lessons"
	}
	return "no kind"
}

// kindValid reports whether kind may go with an event type of the kind set.
func kindValid(k kindSet, kind string, m *model.Model) bool {
	switch k {
	case kindsSignal:
		switch kind {
		case SignalHubAlert, SignalResponseCapacityExceeded, SignalInternalMarketHindered, SignalPublicSafetyRisk:
			return true
		}
	case kindsLadder:
		return ladderRank(kind) >= 0
	case kindsNetwork:
		_, ok := m.Network(kind)
		return ok
	case kindsIPCR:
		return ipcrRank(kind) >= 0
	case kindsMemberState:
		_, ok := m.MemberState(kind)
		return ok
	case kindsSitrep:
		switch kind {
		case "technical", "operational", "isaa", "lessons":
			return true
		}
	}
	return false
}

// checkEvent checks an event type and optional kind, adding problems under
// field.
func checkEvent(ps *problems, m *model.Model, e, field, typ, kind string) {
	kinds, ok := eventType(typ)
	if !ok {
		ps.add(e, field, "%q is not an event type the playbook knows", typ)
		return
	}
	if kind != "" && !kindValid(kinds, kind, m) {
		ps.add(e, field, "kind %q does not go with %s; it takes %s", kind, typ, kindsText(kinds, m))
	}
}

// compiled is a step's condition and completion in the form evaluation
// uses. Event types are positions in Playbook.types.
type compiled struct {
	level       int // ladder rank the decided level must reach; -1: any
	ipcr        int // IPCR rank the mode must reach; 0: any
	afterType   int // type of the event that must have happened; -1: none
	afterKind   string
	network     int // bit of the network that must be active; -1: none
	reports     bool
	perReport   bool
	significant bool
	doneType    int // type of the completing event; -1: a report completion
}

// typeIndex returns the position of an event type in p.types, adding it.
func (p *Playbook) typeIndex(t string) int {
	if i, ok := p.typeIdx[t]; ok {
		return i
	}
	p.typeIdx[t] = len(p.types)
	p.types = append(p.types, t)
	return len(p.types) - 1
}

// build validates a decoded file against the model and returns the playbook,
// or adds problems.
func build(f *fileData, m *model.Model, ps *problems) *Playbook {
	p := &Playbook{clockIdx: map[string]int{}, typeIdx: map[string]int{}}
	for _, n := range m.Networks {
		p.networks = append(p.networks, n.ID)
	}
	if len(f.Steps) == 0 {
		ps.add("", "steps", "holds no steps")
	}
	if len(f.Clocks) == 0 {
		ps.add("", "clocks", "holds no clocks")
	}
	p.buildClocks(f.Clocks, m, ps)
	used := map[string]bool{}
	ids := map[string]int{}
	for i, fs := range f.Steps {
		e := entryName("step", fs.ID, i)
		switch {
		case fs.ID == "":
			ps.add(e, "id", "is missing")
		case !kebab.MatchString(fs.ID):
			ps.add(e, "id", "%q is not in the expected form %s", fs.ID, kebab)
		}
		if first, dup := ids[fs.ID]; dup && fs.ID != "" {
			ps.add(e, "id", "is defined twice (also step #%d)", first+1)
		} else {
			ids[fs.ID] = i
		}
		if blank(fs.Title) {
			ps.add(e, "title", "is missing; say in plain language what the actor does")
		}
		checkRef(ps, e, fs.Ref)
		checkOwner(ps, m, e, fs)
		c := checkCondition(ps, m, e, fs.When, len(p.networks))
		c.network = slices.Index(p.networks, fs.When.NetworkActive)
		if fs.When.After != "" {
			typ, kind, _ := strings.Cut(fs.When.After, "/")
			c.afterType, c.afterKind = p.typeIndex(typ), kind
		}
		c.doneType = -1
		if fs.DoneBy.Event != "" {
			c.doneType = p.typeIndex(fs.DoneBy.Event)
		}
		checkCompletion(ps, m, e, fs)
		if fs.Clock != nil {
			p.checkClockRef(ps, e, fs)
			used[fs.Clock.ID] = true
		}
		p.steps = append(p.steps, Step{
			ID: fs.ID, Title: strings.TrimSpace(fs.Title), Ref: fs.Ref,
			Owner: fs.Owner, With: fs.With, Level: fs.Level, Optional: fs.Optional,
			When: fs.When, DoneBy: fs.DoneBy, Clock: fs.Clock,
			Note: strings.TrimSpace(fs.Note),
		})
		p.compiled = append(p.compiled, c)
	}
	for i, c := range f.Clocks {
		if c.ID != "" && !used[c.ID] {
			ps.add(entryName("clock", c.ID, i), "", "no step uses it; remove it or give it a step")
		}
	}
	return p
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// buildClocks checks the clocks and indexes them.
func (p *Playbook) buildClocks(cs []fileClock, m *model.Model, ps *problems) {
	for i, fc := range cs {
		e := entryName("clock", fc.ID, i)
		switch {
		case fc.ID == "":
			ps.add(e, "id", "is missing")
		case !kebab.MatchString(fc.ID):
			ps.add(e, "id", "%q is not in the expected form %s", fc.ID, kebab)
		}
		if _, dup := p.clockIdx[fc.ID]; dup && fc.ID != "" {
			ps.add(e, "id", "is defined twice")
			continue
		}
		if blank(fc.Name) {
			ps.add(e, "name", "is missing")
		}
		if blank(fc.Source) {
			ps.add(e, "source", "is missing; cite where the figure comes from, or say that the text gives none")
		}
		var d Duration
		switch {
		case fc.Duration != "" && fc.Months != 0:
			ps.add(e, "", "sets both duration and months; give one")
		case fc.Duration != "":
			span, err := time.ParseDuration(fc.Duration)
			if err != nil || span <= 0 {
				ps.add(e, "duration", "%q is not a positive Go duration such as 24h", fc.Duration)
			}
			d.Span = span
		case fc.Months != 0:
			if fc.Months < 0 || fc.Months > maxMonths {
				ps.add(e, "months", "%d is not from 1 to %d", fc.Months, maxMonths)
			}
			d.Months = fc.Months
		default:
			ps.add(e, "", "sets neither duration nor months")
		}
		for _, id := range fc.Model {
			checkModelClock(ps, m, e, id, d)
		}
		p.clockIdx[fc.ID] = len(p.clocks)
		p.clocks = append(p.clocks, Clock{
			ID: fc.ID, Name: fc.Name, Duration: d, Default: d,
			Source: strings.TrimSpace(fc.Source), Model: fc.Model,
		})
	}
}

// checkModelClock checks that a clock names a model clock and, where the
// model states a figure, agrees with it.
func checkModelClock(ps *problems, m *model.Model, e, id string, d Duration) {
	mc, ok := m.Clock(id)
	if !ok {
		ps.add(e, "model", "%q is not a clock of the model (internal/model/data/clocks.yaml)", id)
		return
	}
	dl := mc.Deadline
	switch {
	case dl.Duration != "":
		if span, ok := dl.Fixed(); !ok || d.Months != 0 || span != d.Span {
			ps.add(e, "duration", "%s disagrees with the model's clock %q (%s, %s)", d, id, dl, mc.Ref)
		}
	case dl.Months != 0:
		if d.Months != dl.Months {
			ps.add(e, "months", "%s disagrees with the model's clock %q (%s, %s)", d, id, dl, mc.Ref)
		}
	case dl.By != "" || dl.Date != "":
		ps.add(e, "model", "the model's clock %q runs to a calendar day (%s), which a case clock cannot give", id, dl)
	}
	// A bare "without undue delay" states no figure, so any default agrees.
}

// checkRef checks that a ref cites the Recommendation, its annexes or NIS2.
func checkRef(ps *problems, e, ref string) {
	if blank(ref) {
		ps.add(e, "ref", "is missing; every step cites its § (for example §51 or NIS2 art. 23(4)(a))")
		return
	}
	for part := range strings.SplitSeq(ref, "; ") {
		sm := refPart.FindStringSubmatch(part)
		if sm == nil {
			ps.add(e, "ref", "%q is not a citation such as §55(a)(iv), Annex II(3) or NIS2 art. 23(4)(a); separate several with \"; \"", part)
			continue
		}
		if sm[2] != "" {
			if n, err := strconv.Atoi(sm[2]); err != nil || n > lastParagraph {
				ps.add(e, "ref", "%q: the Recommendation has §1 to §%d", part, lastParagraph)
			}
		}
	}
}

// checkOwner checks the owner, the other actors and the level against the
// model: the level must be one the owner works at in Annex II(2).
func checkOwner(ps *problems, m *model.Model, e string, fs fileStep) {
	owner, ok := m.Actor(fs.Owner)
	switch {
	case fs.Owner == "":
		ps.add(e, "owner", "is missing; name the actor whose step it is")
	case !ok:
		ps.add(e, "owner", "%q is not an actor of the model", fs.Owner)
	}
	for _, a := range fs.With {
		if _, known := m.Actor(a); !known {
			ps.add(e, "with", "%q is not an actor of the model", a)
		} else if a == fs.Owner {
			ps.add(e, "with", "%q is the owner already", a)
		}
	}
	switch _, known := m.Level(fs.Level); {
	case fs.Level == "":
		ps.add(e, "level", "is missing; give technical, operational or political")
	case !known:
		ps.add(e, "level", "%q is not a level of the model", fs.Level)
	case ok && len(owner.Levels) > 0 && !slices.Contains(owner.Levels, fs.Level):
		ps.add(e, "level", "%q is not a level %s works at (Annex II(2): %s)", fs.Level, fs.Owner, strings.Join(owner.Levels, ", "))
	}
}

// checkCondition checks a when and compiles it (without the network bit).
func checkCondition(ps *problems, m *model.Model, e string, w Condition, nets int) compiled {
	c := compiled{level: -1, network: -1, afterType: -1, reports: w.Reports, perReport: w.PerReport, significant: w.Significant}
	if w.LevelAtLeast != "" {
		if c.level = ladderRank(w.LevelAtLeast); c.level < 0 {
			ps.add(e, "when.level_at_least", "%q is not a level of the ladder (%s)", w.LevelAtLeast, strings.Join(Ladder(), ", "))
		}
	}
	if w.IPCRAtLeast != "" {
		if c.ipcr = ipcrRank(w.IPCRAtLeast); c.ipcr <= 0 {
			ps.add(e, "when.ipcr_at_least", "%q is not monitoring, information-sharing or full", w.IPCRAtLeast)
		}
	}
	if w.After != "" {
		typ, kind, _ := strings.Cut(w.After, "/")
		checkEvent(ps, m, e, "when.after", typ, kind)
	}
	if w.NetworkActive != "" {
		if _, ok := m.Network(w.NetworkActive); !ok {
			ps.add(e, "when.network_active", "%q is not a network of the model", w.NetworkActive)
		} else if nets > 64 {
			ps.add(e, "when.network_active", "the model has more networks than the playbook can follow")
		}
	}
	if w.Significant && !w.PerReport {
		ps.add(e, "when.significant", "needs per_report: true; it is a property of each report")
	}
	return c
}

// checkCompletion checks a done_by.
func checkCompletion(ps *problems, m *model.Model, e string, fs fileStep) {
	d := fs.DoneBy
	switch {
	case d.Event == "" && d.Report == "":
		ps.add(e, "done_by", "is missing; name the event that completes the step")
	case d.Event != "" && d.Report != "":
		ps.add(e, "done_by", "sets both event and report; give one")
	case d.Report != "":
		switch d.Report {
		case ReportFiled, ReportAmended, ReportMitigating, ReportResolved:
		default:
			ps.add(e, "done_by.report", "%q is not filed, amended, mitigating or resolved", d.Report)
		}
		if !fs.When.PerReport {
			ps.add(e, "done_by.report", "needs when.per_report: true")
		}
		if d.Kind != "" || d.By != "" {
			ps.add(e, "done_by", "kind and by go with an event, not a report")
		}
	default:
		checkEvent(ps, m, e, "done_by.event", d.Event, d.Kind)
		if d.By != "" {
			if _, ok := m.Actor(d.By); !ok {
				ps.add(e, "done_by.by", "%q is not an actor of the model", d.By)
			}
		}
	}
}

// checkClockRef checks a step's clock.
func (p *Playbook) checkClockRef(ps *problems, e string, fs fileStep) {
	c := fs.Clock
	if _, ok := p.clockIdx[c.ID]; !ok {
		ps.add(e, "clock.id", "%q is not a clock of the file", c.ID)
	}
	switch c.From {
	case FromApplicable:
	case FromAware, FromFiled, FromNotified:
		if !fs.When.PerReport {
			ps.add(e, "clock.from", "%q is a time of a report; it needs when.per_report: true", c.From)
		}
	case "":
		ps.add(e, "clock.from", "is missing; give applicable, aware, filed or notified")
	default:
		ps.add(e, "clock.from", "%q is not applicable, aware, filed or notified", c.From)
	}
	if fs.Optional {
		ps.add(e, "clock", "an optional step (the text says may) has no deadline")
	}
}

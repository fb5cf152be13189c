package sitrep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/playbook"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Input is what the author may see of a case: their view of it, never more.
// The caller builds it through the TLP gate (internal/cases.View).
type Input struct {
	Case     crisis.Case
	Reports  []crisis.NationalReport
	Ladder   crisis.Ladder
	Playbook []playbook.Status
	// ReserveClocks are the Reserve requests' clocks at Now (cases.View).
	ReserveClocks []crisis.ReserveClock
	Model         *model.Model
	// Directory resolves audiences for the marking check (tlp.Combine).
	Directory tlp.Directory
	Author    Author
	// Marking is the marking the author chooses for the report.
	Marking tlp.Marking
	Now     time.Time
}

// noneRecorded is what a section without data says.
const noneRecorded = "none recorded"

// BuildDocument builds a draft of one kind. Each item whose marking the chosen
// audience may not see is left out and counted in Withheld with the reason.
func BuildDocument(kind Kind, in Input) (Build, error) {
	if err := in.Marking.Validate(); err != nil {
		return Build{}, failure.Field("marking", "%v", err)
	}
	if in.Marking.Exercise != in.Case.Marking.Exercise {
		return Build{}, failure.Field("marking", "the case belongs to %s: the report's marking must name the same exercise", exerciseName(in.Case.Marking.Exercise))
	}
	b := builder{in: in, withheld: map[string]int{}}
	d := Document{Case: in.Case.ID, CaseTitle: in.Case.Title, Kind: kind, BuiltAt: in.Now.UTC(), Author: in.Author,
		Marking: in.Marking, Exercise: in.Case.Marking.Exercise}
	switch kind {
	case Technical:
		d.Title, d.Ref = "CSIRTs Network technical situation report", "§55(a)(iv)"
		d.Addressees = []string{"EU-CyCLONe", "CSIRTs Network"}
		d.Sections = b.technical()
	case Operational:
		d.Title, d.Ref = "EU-CyCLONe operational situation report", "§55(b)(iii)"
		d.Addressees = []string{"Council (IPCR)", "EU-CyCLONe"}
		d.Sections = b.operational()
	case ISAA:
		d.Title, d.Ref = "Input for the ISAA report", "§55(c)(iv), §57"
		d.Addressees = []string{"Council Presidency (IPCR)", "Commission and EEAS (ISAA)"}
		d.Sections = b.isaa()
	case Lessons:
		d.Title, d.Ref = "Lessons-learned list", "§74"
		d.Addressees = []string{"CSIRTs Network", "NIS Cooperation Group", "Council"}
		d.Sections = b.lessons()
	default:
		return Build{}, failure.Field("kind", "%q is not a report kind (technical, operational, isaa, lessons)", kind)
	}
	return Build{Document: d, Withheld: b.report()}, nil
}

func exerciseName(e string) string {
	if e == "" {
		return "the real world"
	}
	return "exercise " + e
}

type builder struct {
	in       Input
	withheld map[string]int
}

// targetView narrows the author's view to what the report's audience may see,
// for the parts of the report that aggregate several sources (the ladder, the
// summary): a decided level, a criterion's reason or a count may only come
// from decisions, signals and reports the audience may see. The decided level
// is the latest admitted decision's.
func (b *builder) targetView() (crisis.Case, []crisis.NationalReport) {
	c := b.in.Case
	c.Decisions = slices.DeleteFunc(slices.Clone(c.Decisions), func(d crisis.Decision) bool { return !b.covers(d.Marking) })
	c.Signals = slices.DeleteFunc(slices.Clone(c.Signals), func(s crisis.Signal) bool { return !b.covers(s.Marking) })
	c.Level = crisis.LevelIncident
	for _, d := range c.Decisions {
		if !d.Closure && !d.Reopening {
			c.Level = d.Level
		}
	}
	reps := slices.DeleteFunc(slices.Clone(b.in.Reports), func(r crisis.NationalReport) bool { return !b.covers(r.Content.Marking) })
	c.Reports = slices.DeleteFunc(slices.Clone(c.Reports), func(l crisis.LinkedReport) bool {
		return !slices.ContainsFunc(reps, func(r crisis.NationalReport) bool { return r.ID == l.Report })
	})
	return c, reps
}

// covers reports whether an item with this marking may go into the report,
// without counting it.
func (b *builder) covers(m tlp.Marking) bool {
	combined, err := tlp.Combine(b.in.Directory, b.in.Marking, m)
	return err == nil && combined.TLP == b.in.Marking.TLP && sameAudience(combined.Audience, b.in.Marking.Audience)
}

// admit reports whether an item with this marking may go into the report; if
// not, it counts the reason. An item may go in when combining its marking with
// the report's leaves the report's marking unchanged: its label is no higher
// and its audience includes the report's.
func (b *builder) admit(m tlp.Marking) bool {
	target := b.in.Marking
	combined, err := tlp.Combine(b.in.Directory, target, m)
	switch {
	case err != nil && m.Exercise != target.Exercise:
		b.withheld["belongs to another exercise or to real-world data"]++
	case err != nil:
		b.withheld["shared with an audience that does not include the report's"]++
	case combined.TLP != target.TLP:
		b.withheld[fmt.Sprintf("marked %s, more restrictive than the report's %s", m.TLP, target.TLP)]++
	case !sameAudience(combined.Audience, target.Audience):
		b.withheld["shared with an audience narrower than the report's ("+describeAudience(m.Audience)+")"]++
	default:
		return true
	}
	return false
}

func sameAudience(a, b tlp.Audience) bool {
	if a.Kind != b.Kind {
		return false
	}
	x, y := slices.Clone(a.IDs), slices.Clone(b.IDs)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func describeAudience(a tlp.Audience) string {
	if len(a.IDs) == 0 {
		return string(a.Kind)
	}
	return string(a.Kind) + ": " + strings.Join(a.IDs, ", ")
}

func (b *builder) report() []Withheld {
	out := []Withheld{}
	for reason, n := range b.withheld {
		out = append(out, Withheld{Reason: reason, Count: n})
	}
	slices.SortFunc(out, func(x, y Withheld) int { return strings.Compare(x.Reason, y.Reason) })
	return out
}

// section assembles a section from candidate items, admitting each.
func (b *builder) section(id, heading, ref string, items ...Item) Section {
	s := Section{ID: id, Heading: heading, Ref: ref, Items: []Item{}}
	for _, it := range items {
		if b.admit(it.Marking) {
			s.Items = append(s.Items, it)
		}
	}
	if len(s.Items) == 0 {
		s.Empty = noneRecorded
	}
	return s
}

// empty is a section whose data the platform does not record yet (Union
// mechanisms, the Reserve, public communication): it says so.
func empty(id, heading, ref string) Section {
	return Section{ID: id, Heading: heading, Ref: ref, Items: []Item{}, Empty: noneRecorded}
}

func (b *builder) caseSource() Source {
	return Source{Kind: "case", ID: b.in.Case.ID, Version: b.in.Case.Version, Organisation: b.in.Case.Organisation, At: b.in.Case.OpenedAt}
}

func reportSource(r crisis.NationalReport) Source {
	return Source{Kind: "national-report", ID: r.ID, Version: r.Version, Organisation: r.Organisation, MemberState: r.MemberState, At: r.AmendedAt}
}

func eventSource(c crisis.Case, event, org string, at time.Time) Source {
	return Source{Kind: "case-event", ID: event, Organisation: org, At: at, Version: c.Version}
}

// ladderItem says where the case stands; it is marked like the case.
// aggregateMarking is the marking of an item built from several sources: the
// most restrictive of theirs (tlp.Combine), so its badge never claims less
// than what it holds. All sources are covered by the report's marking, so the
// report's marking is the fallback if their audiences do not intersect.
func (b *builder) aggregateMarking(c crisis.Case, reps []crisis.NationalReport) tlp.Marking {
	ms := []tlp.Marking{c.Marking}
	for _, d := range c.Decisions {
		ms = append(ms, d.Marking)
	}
	for _, s := range c.Signals {
		ms = append(ms, s.Marking)
	}
	for _, r := range reps {
		ms = append(ms, r.Content.Marking)
	}
	m, err := tlp.Combine(b.in.Directory, ms...)
	if err != nil {
		return b.in.Marking
	}
	return m
}

func (b *builder) ladderItem() Item {
	tc, treps := b.targetView()
	l := crisis.Suggest(tc, treps)
	facts := []Fact{{"Decided level", levelName(l.Decided) + decidedBy(l)}, {"Suggested level", levelName(l.Suggested)}}
	for _, c := range l.Criteria {
		if c.Met {
			facts = append(facts, Fact{"Criterion met (" + c.Ref + ")", c.Reason})
		}
	}
	return Item{Heading: "Escalation ladder", Facts: facts, Source: b.caseSource(), Marking: b.aggregateMarking(tc, treps)}
}

func decidedBy(l crisis.Ladder) string {
	if l.DecidedBy == nil {
		return " (no decision recorded)"
	}
	return fmt.Sprintf(" (%s, %s: %s)", l.DecidedBy.Authority, l.DecidedBy.At.UTC().Format(time.RFC3339), l.DecidedBy.Reason)
}

func levelName(l crisis.Level) string { return strings.ReplaceAll(string(l), "-", " ") }

func (b *builder) msName(code string) string {
	if code == crisis.UnionEntities {
		return "Union entities (EU)"
	}
	if ms, ok := b.in.Model.MemberState(code); ok {
		return ms.Name + " (" + code + ")"
	}
	return code
}

func (b *builder) sectorNames(ids []string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		if s, ok := b.in.Model.Sector(id); ok {
			names = append(names, s.Name)
		} else if sub, parent, ok := b.in.Model.Subsector(id); ok {
			names = append(names, parent.Name+" — "+sub.Name)
		} else {
			names = append(names, id)
		}
	}
	return strings.Join(names, "; ")
}

// reportsByMemberState orders reports by Member State, then filing time.
func (b *builder) reportsByMemberState() []crisis.NationalReport {
	rs := slices.Clone(b.in.Reports)
	slices.SortStableFunc(rs, func(x, y crisis.NationalReport) int {
		if c := strings.Compare(x.MemberState, y.MemberState); c != 0 {
			return c
		}
		return x.FiledAt.Compare(y.FiledAt)
	})
	return rs
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "not given"
	}
	return s
}

// nationalItem is one national report as the technical report shows it.
func (b *builder) nationalItem(r crisis.NationalReport) Item {
	c := r.Content
	facts := []Fact{
		{"Status", string(c.Status)},
		{"Severity", fmt.Sprintf("%d/100, %s", r.Severity.Score, r.Severity.Level)},
		{"Severity explained", r.Severity.Explanation},
		{"Significance (§7(b))", string(r.Significance.Outcome)},
		{"Sectors", b.sectorNames(c.Sectors)},
		{"Affected entities", strconv.Itoa(c.AffectedEntities) + relevance(c.EntityRelevance)},
		{"Classification (RSIT)", c.Classification},
		{"Root cause (nis2)", orDash(c.RootCause)},
		{"Outlook (nis2)", orDash(c.Outlook)},
		{"Indicators", noneRecorded},
		{"Technical mitigations", noneRecorded},
		{"Detected / aware", c.DetectedAt.UTC().Format(time.RFC3339) + " / " + c.AwareAt.UTC().Format(time.RFC3339)},
	}
	return Item{Heading: b.msName(r.MemberState) + " — " + c.Title, Facts: facts, Source: reportSource(r), Marking: c.Marking}
}

func relevance(s string) string {
	if s == "" {
		return ""
	}
	return " — " + s
}

// notReported names the Member States named as affected that filed no report
// the author may see: Elena's "who has not reported yet".
func (b *builder) notReported() []Item {
	reported := map[string]bool{}
	named := map[string]crisis.NationalReport{}
	for _, r := range b.in.Reports {
		reported[r.MemberState] = true
	}
	for _, r := range b.reportsByMemberState() {
		for _, ms := range r.Content.AffectedMemberStates {
			// Prefer a source the report's audience may see: the same fact
			// from a GREEN report need not be withheld for an AMBER one.
			if prev, seen := named[ms]; !reported[ms] && (!seen || (!b.covers(prev.Content.Marking) && b.covers(r.Content.Marking))) {
				named[ms] = r
			}
		}
	}
	var items []Item
	for _, ms := range sortedKeys(named) {
		r := named[ms]
		items = append(items, Item{Heading: b.msName(ms), Facts: []Fact{{"Named as affected by", b.msName(r.MemberState)}},
			Source: reportSource(r), Marking: r.Content.Marking})
	}
	return items
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// decisionItems lists the case's decisions, newest last.
func (b *builder) decisionItems(filter func(crisis.Decision) bool) []Item {
	var items []Item
	for _, d := range b.in.Case.Decisions {
		if !filter(d) {
			continue
		}
		what := string(d.Authority)
		switch {
		case d.Closure:
			what = "closure"
		case d.Reopening:
			what = "reopening"
		}
		items = append(items, Item{Heading: fmt.Sprintf("%s: %s → %s", what, levelName(d.Previous), levelName(d.Level)),
			Facts:  []Fact{{"Reason", d.Reason}, {"Recorded", d.At.UTC().Format(time.RFC3339) + " by " + d.Organisation}},
			Source: eventSource(b.in.Case, d.Event, d.Organisation, d.At), Marking: d.Marking})
	}
	return items
}

// networkItems lists the networks' activations and the §51 arrangements.
func (b *builder) networkItems() []Item {
	var items []Item
	for _, n := range b.in.Case.Networks {
		state := "active since " + n.ActivatedAt.UTC().Format(time.RFC3339)
		if !n.Active {
			state = "deactivated " + n.DeactivatedAt.UTC().Format(time.RFC3339)
		}
		items = append(items, Item{Heading: n.Network, Facts: []Fact{{"State", state}, {"Reason", n.Reason}},
			Source: eventSource(b.in.Case, n.Event, "", n.ActivatedAt), Marking: n.Marking})
	}
	for _, a := range b.in.Case.Arrangements {
		items = append(items, Item{Heading: "Procedural arrangements (§51)", Facts: []Fact{{"Agreed", a.Text}, {"Recorded", a.At.UTC().Format(time.RFC3339) + " by " + a.Organisation}},
			Source: eventSource(b.in.Case, a.Event, a.Organisation, a.At), Marking: a.Marking})
	}
	return items
}

func (b *builder) technical() []Section {
	var national []Item
	for _, r := range b.reportsByMemberState() {
		national = append(national, b.nationalItem(r))
	}
	return []Section{
		b.section("situation", "Situation", "§7, §50", b.ladderItem()),
		b.section("member-states", "National reports by Member State", "§55(a)(iii)–(iv)", national...),
		b.section("not-reported", "Member States named as affected without a report", "§49", b.notReported()...),
		b.section("networks", "Network activation and arrangements", "§49–§51", b.networkItems()...),
		b.section("advice", "CSIRTs Network advice to EU-CyCLONe", "§50",
			b.decisionItems(func(d crisis.Decision) bool { return d.Authority == crisis.AuthorityNetworkAdvice })...),
	}
}

// impactItems: per sector and Member State, the severity and the impact on
// other services (the cross-sector effect, §30).
func (b *builder) impactItems(crossSector bool) []Item {
	var items []Item
	for _, r := range b.reportsByMemberState() {
		var facts []Fact
		for _, c := range r.Severity.Contributions {
			if crossSector && c.Dimension != "other-services" {
				continue
			}
			facts = append(facts, Fact{c.Name, fmt.Sprintf("%d/%d — %s", c.Level, c.MaxLevel, c.Label)})
		}
		if crossSector && (len(facts) == 0 || strings.HasPrefix(facts[0].Value, "0/")) {
			continue
		}
		heading := b.sectorNames(r.Content.Sectors) + " — " + b.msName(r.MemberState)
		if !crossSector {
			facts = append([]Fact{{"Severity", fmt.Sprintf("%d/100, %s", r.Severity.Score, r.Severity.Level)}}, facts...)
		}
		items = append(items, Item{Heading: heading, Facts: facts, Source: reportSource(r), Marking: r.Content.Marking})
	}
	return items
}

func (b *builder) outlookItems() []Item {
	var items []Item
	for _, r := range b.reportsByMemberState() {
		items = append(items, Item{Heading: b.msName(r.MemberState), Facts: []Fact{{"Outlook (next 6 hours)", orDash(r.Content.Outlook)}, {"Status", string(r.Content.Status)}},
			Source: reportSource(r), Marking: r.Content.Marking})
	}
	return items
}

func (b *builder) ipcrItem() []Item {
	ip := b.in.Case.IPCR
	if len(ip.History) == 0 {
		return nil
	}
	last := ip.History[len(ip.History)-1]
	return []Item{{Heading: "IPCR", Facts: []Fact{{"Mode", string(ip.Mode)}, {"Since", ip.Since.UTC().Format(time.RFC3339)}, {"Reason", last.Reason}},
		Source: eventSource(b.in.Case, last.Event, last.Organisation, last.At), Marking: last.Marking}}
}

func (b *builder) operational() []Section {
	return []Section{
		b.section("situation", "Situation", "§7, §55(b)(iii)", b.ladderItem()),
		b.section("impact", "Impact per sector and Member State", "§55(b)(iii), §30", b.impactItems(false)...),
		b.section("cross-sector", "Cross-sector effects", "§55(b)(iv)", b.impactItems(true)...),
		b.section("assessments", "EU-CyCLONe assessments", "§55(b)(iii)",
			b.decisionItems(func(d crisis.Decision) bool { return d.Authority == crisis.AuthorityCyCLONe })...),
		empty("mitigations", "Proposed mitigation measures", "§55(b)(iii)"),
		b.section("mechanisms", "Union mechanisms engaged", "§55(b)(iv), Annex II(3)–(4)", b.mechanismItems()...),
		b.section("reserve", "EU Cybersecurity Reserve requests", "§55(b)(v)", b.reserveItems()...),
		b.section("communication", "Public communication", "§59–§61", b.communicationItems()...),
		b.section("coordination", "Networks and IPCR", "§49–§51, §39", append(b.networkItems(), b.ipcrItem()...)...),
		b.section("military", "Military response capabilities", "§70", b.militaryItems()...),
		b.section("recovery", "Recovery of core functions", "§72", b.recoveryItems()...),
		b.section("outlook", "Outlook", "§55(b)(iii)", b.outlookItems()...),
	}
}

// isaa is one page for the political level: how bad, how many countries,
// which sectors, what is being done, what ministers must decide.
func (b *builder) isaa() []Section {
	tc, reps := b.targetView()
	var msList, sectors []string
	worst := ""
	for _, r := range reps {
		msList = append(msList, b.msName(r.MemberState))
		sectors = append(sectors, r.Content.Sectors...)
		if severityRank(r.Severity.Level) > severityRank(worst) {
			worst = r.Severity.Level
		}
	}
	slices.Sort(msList)
	slices.Sort(sectors)
	summary := Item{Heading: "How bad, how wide", Facts: []Fact{
		{"Level", levelName(tc.Level)},
		{"Most severe national impact", orDash(worst)},
		{"Member States reporting", orDash(strings.Join(slices.Compact(msList), ", "))},
		{"Sectors", orDash(b.sectorNames(slices.Compact(sectors)))},
	}, Source: b.caseSource(), Marking: b.aggregateMarking(tc, reps)}
	var doing []Item
	doing = append(doing, b.networkItems()...)
	doing = append(doing, b.ipcrItem()...)
	doing = append(doing, b.mechanismItems()...)
	doing = append(doing, b.reserveItems()...)
	doing = append(doing, b.diplomacyItems()...)
	return []Section{
		b.section("summary", "Summary", "§57", summary),
		b.section("response", "What is being done", "§55, §58", doing...),
		b.section("decisions", "What the political level is asked to decide", "§55(c), §58", b.politicalSteps()...),
		b.section("gaps", "Gaps identified at IPCR roundtables", "§58(c)", b.gapItems()...),
	}
}

func severityRank(level string) int {
	return slices.Index([]string{"white", "green", "yellow", "red"}, level)
}

// politicalSteps lists the playbook's pending and overdue steps at political
// level: what ministers are expected to decide, by paragraph.
func (b *builder) politicalSteps() []Item {
	var items []Item
	for _, st := range b.in.Playbook {
		if st.Step.Level != "political" || (st.State != playbook.StatePending && st.State != playbook.StateOverdue) {
			continue
		}
		facts := []Fact{{"Expected of", st.Step.Owner}, {"Status", st.State}}
		if !st.Due.IsZero() {
			facts = append(facts, Fact{"Due", st.Due.UTC().Format(time.RFC3339)})
		}
		items = append(items, Item{Heading: st.Step.Title + " (" + st.Step.Ref + ")", Facts: facts, Source: b.caseSource(), Marking: b.in.Case.Marking})
	}
	return items
}

func (b *builder) gapItems() []Item {
	var items []Item
	for _, rt := range b.in.Case.Roundtables {
		for _, g := range rt.Gaps {
			state := "open"
			if g.ReportedAt != "" {
				state = "reported back at " + g.ReportedAt
			}
			facts := []Fact{{"Invited to close it", g.InvitedActor}, {"State", state}}
			if !g.Due.IsZero() {
				facts = append(facts, Fact{"Due", g.Due.UTC().Format(time.RFC3339)})
			}
			items = append(items, Item{Heading: g.Description, Facts: facts, Source: eventSource(b.in.Case, rt.Event, "", rt.HeldAt), Marking: rt.Marking})
		}
	}
	return items
}

// lessons draws what the record shows: steps done late or still overdue, and
// the gaps the roundtables found. Lessons entered by people come with the
// lessons feature (R13); until then that section says "none recorded".
func (b *builder) lessons() []Section {
	var late []Item
	for _, st := range b.in.Playbook {
		if !(st.Late || st.State == playbook.StateOverdue) {
			continue
		}
		what := "done late"
		if st.State == playbook.StateOverdue {
			what = "overdue"
		}
		facts := []Fact{{"Owner", st.Step.Owner}, {"Status", what}, {"Due", st.Due.UTC().Format(time.RFC3339)}}
		if !st.DoneAt.IsZero() {
			facts = append(facts, Fact{"Done", st.DoneAt.UTC().Format(time.RFC3339)})
		}
		if st.MemberState != "" {
			facts = append(facts, Fact{"Member State", b.msName(st.MemberState)})
		}
		late = append(late, Item{Heading: st.Step.Title + " (" + st.Step.Ref + ")", Facts: facts, Source: b.caseSource(), Marking: b.in.Case.Marking})
	}
	return []Section{
		b.section("timeline", "Decisions taken", "§7, §50, §55", b.decisionItems(func(crisis.Decision) bool { return true })...),
		b.section("clocks", "Steps done late or overdue", "R18", late...),
		b.section("gaps", "Gaps identified at IPCR roundtables", "§58(c)", b.gapItems()...),
		b.section("recovery", "Recovery of core functions", "§72", b.recoveryItems()...),
		b.section("reviews", "Incident reviews", "§73", b.reviewItems()...),
		empty("lessons", "Lessons recorded", "§74"),
	}
}

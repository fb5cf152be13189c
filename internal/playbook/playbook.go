package playbook

import (
	"fmt"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
)

// Step is one thing the Recommendation expects of an actor in a case.
type Step struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Ref cites the paragraph: "§51", "§55(a)(iv)", "NIS2 art. 23(4)(a)";
	// several are separated by "; ".
	Ref string `json:"ref"`
	// Owner is the model actor whose step it is; With are other actors the
	// text names beside it, shown only.
	Owner string   `json:"owner"`
	With  []string `json:"with,omitempty"`
	// Level is a model level id: technical, operational or political.
	Level string `json:"level"`
	// Optional marks a step the text says an actor "may" take: it is offered,
	// never clocked.
	Optional bool       `json:"optional,omitempty"`
	When     Condition  `json:"when"`
	DoneBy   Completion `json:"done_by"`
	// Clock is nil when the text gives the step no deadline.
	Clock *ClockRef `json:"clock,omitempty"`
	Note  string    `json:"note,omitempty"`
}

// Condition says when a step applies: every field set must hold. The zero
// Condition holds from the case's opening.
type Condition struct {
	LevelAtLeast  string `yaml:"level_at_least" json:"level_at_least,omitempty"`
	IPCRAtLeast   string `yaml:"ipcr_at_least" json:"ipcr_at_least,omitempty"`
	After         string `yaml:"after" json:"after,omitempty"` // "<event type>" or "<event type>/<kind>"
	NetworkActive string `yaml:"network_active" json:"network_active,omitempty"`
	Reports       bool   `yaml:"reports" json:"reports,omitempty"`
	PerReport     bool   `yaml:"per_report" json:"per_report,omitempty"`
	Significant   bool   `yaml:"significant" json:"significant,omitempty"`
}

// Completion names what completes a step: an event (Event, with optional Kind
// and By), or for per-report steps a point in the report's life (Report).
type Completion struct {
	Event  string `yaml:"event" json:"event,omitempty"`
	Kind   string `yaml:"kind" json:"kind,omitempty"`
	By     string `yaml:"by" json:"by,omitempty"`
	Report string `yaml:"report" json:"report,omitempty"`
}

// Points in a national report's life a per-report step can wait for.
const (
	ReportFiled      = "filed"      // the report is filed
	ReportAmended    = "amended"    // its first amendment that is not a withdrawal
	ReportMitigating = "mitigating" // its first amendment with status mitigating or resolved
	ReportResolved   = "resolved"   // its first amendment with status resolved
)

// String renders the completion for tables: "case.network-advice",
// "sitrep.published/technical by csirts-network", "report filed".
func (c Completion) String() string {
	if c.Report != "" {
		return "report " + c.Report
	}
	s := c.Event
	if c.Kind != "" {
		s += "/" + c.Kind
	}
	if c.By != "" {
		s += " by " + c.By
	}
	return s
}

// ClockRef starts one of the playbook's clocks for a step.
type ClockRef struct {
	ID   string `yaml:"id" json:"id"`
	From string `yaml:"from" json:"from"`
}

// Where a step's clock starts.
const (
	FromApplicable = "applicable" // when the step became applicable
	FromAware      = "aware"      // per report: when the entity became aware of the incident
	FromFiled      = "filed"      // per report: when the report was filed
	FromNotified   = "notified"   // per report: the incident notification (the report's first amendment, a withdrawal aside)
)

// Clock is a span a step's clock runs for.
type Clock struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Duration is what this playbook uses: Default unless an operator
	// overrode it.
	Duration Duration `json:"duration"`
	Default  Duration `json:"default"`
	// Source cites where the figure comes from, or says the text has none.
	Source string `json:"source"`
	// Model lists the internal/model clocks this gives a figure for.
	Model []string `json:"model,omitempty"`
}

// Overridden reports whether the node runs the clock with another span than
// its default.
func (c Clock) Overridden() bool { return c.Duration != c.Default }

// source is the clock's source as a status shows it: an override is said.
func (c Clock) source() string {
	if !c.Overridden() {
		return c.Source
	}
	return fmt.Sprintf("%s; this node uses %s (default %s)", c.Source, c.Duration, c.Default)
}

// Playbook is a validated set of steps and clocks. It is read-only once
// built, so one Playbook can serve every request of a node.
type Playbook struct {
	steps    []Step
	compiled []compiled
	clocks   []Clock
	clockIdx map[string]int
	// networks are the model's network ids; a case's active networks are
	// kept as a bit set in this order.
	networks []string
	// types are the event types the steps wait for or complete on; replay
	// indexes a case's events by their position here.
	types   []string
	typeIdx map[string]int
}

// Default returns the embedded playbook with its default clocks.
func Default() (*Playbook, error) { return New(nil) }

// New returns the embedded playbook with the given clock overrides (from
// ParseOverrides), checked against the model the binary embeds.
func New(overrides map[string]Duration) (*Playbook, error) {
	m, err := model.Load()
	if err != nil {
		return nil, fmt.Errorf("playbook.New: %w", err)
	}
	p, err := Parse(EmbeddedFile, embeddedSteps, m)
	if err != nil {
		return nil, fmt.Errorf("playbook.New: %w", err)
	}
	return p.WithClocks(overrides)
}

// WithClocks returns a copy of p whose clocks run for the given spans instead
// of their defaults. An unknown clock id or a span that is not positive is an
// Invalid error naming it.
func (p *Playbook) WithClocks(overrides map[string]Duration) (*Playbook, error) {
	q := *p
	q.clocks = append([]Clock(nil), p.clocks...)
	for id, d := range overrides {
		i, ok := p.clockIdx[id]
		if !ok {
			return nil, failure.New(failure.Invalid, "clock override %q: no such clock; known clocks: %s", id, joinIDs(p.clocks))
		}
		if !d.positive() {
			return nil, failure.New(failure.Invalid, "clock override %q: span %s must be positive", id, d)
		}
		q.clocks[i].Duration = d
	}
	return &q, nil
}

// Steps returns the steps in data order. Treat them as read-only.
func (p *Playbook) Steps() []Step { return p.steps }

// Clocks returns the clocks in data order, with the spans this playbook uses.
func (p *Playbook) Clocks() []Clock { return p.clocks }

// Clock returns the clock with the given id.
func (p *Playbook) Clock(id string) (Clock, bool) {
	i, ok := p.clockIdx[id]
	if !ok {
		return Clock{}, false
	}
	return p.clocks[i], true
}

func joinIDs(cs []Clock) string {
	s := ""
	for i, c := range cs {
		if i > 0 {
			s += ", "
		}
		s += c.ID
	}
	return s
}

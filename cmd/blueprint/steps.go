package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/playbook"
)

func newModelStepsCommand(e env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "steps [--json]",
		Short: "Print the Blueprint playbook: every step with its §, owner, level, completing event and clock",
		Long: `Steps prints the playbook (R18): every step the Recommendation expects of each actor
in a Union-level case, in the order of the text, with its paragraph (§), the actor
that owns it, its level, the event that completes it and its clock where the text
gives one. The steps are embedded in the binary; see internal/playbook/data/steps.yaml.

A completing event marked "(future)" comes from a feature the platform does not have
yet: the step is recorded outside the platform for now. An owner marked "(may)" is
offered an option the text leaves to it.

The clocks are the ones this node runs with: the defaults, changed by
--playbook-clocks (BLUEPRINT_PLAYBOOK_CLOCKS) as id=span pairs separated by commas,
where a span is a Go duration (12h, 90m) or calendar months (1mo).

  blueprint model steps                                  the table
  blueprint model steps --json                           steps, clocks and event types as JSON
  blueprint model steps --playbook-clocks undue-delay=12h  with a clock changed`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, e)
			if err != nil {
				return err
			}
			p, err := loadPlaybook(cfg)
			if err != nil {
				return err
			}
			if asJSON {
				return writeStepsJSON(e.stdout, p)
			}
			return writeStepsTable(e.stdout, p)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// writeStepsTable writes one row per step, aligned, with a header.
func writeStepsTable(w io.Writer, p *playbook.Playbook) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) {
		for i, c := range cells {
			// One value on one line of one column: a tab or newline would
			// break the alignment, and an empty cell would shift the eye.
			if cells[i] = strings.Join(strings.Fields(c), " "); cells[i] == "" {
				cells[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	row("ID", "REF", "OWNER", "LEVEL", "COMPLETES-ON", "CLOCK")
	for _, s := range p.Steps() {
		owner := s.Owner
		if s.Optional {
			owner += " (may)"
		}
		done := s.DoneBy.String()
		clock := ""
		if s.Clock != nil {
			if c, ok := p.Clock(s.Clock.ID); ok {
				clock = fmt.Sprintf("%s from %s [%s]", c.Duration.Words(), s.Clock.From, c.Source)
				if c.Overridden() {
					clock = fmt.Sprintf("%s from %s [%s; default %s]", c.Duration.Words(), s.Clock.From, c.Source, c.Default.Words())
				}
			}
		}
		row(s.ID, s.Ref, owner, s.Level, done, clock)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writeStepsTable: %w", err)
	}
	return nil
}

// writeStepsJSON writes the steps, the clocks they use and the event types a
// steps file may name.
func writeStepsJSON(w io.Writer, p *playbook.Playbook) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	err := enc.Encode(struct {
		Steps      []playbook.Step  `json:"steps"`
		Clocks     []playbook.Clock `json:"clocks"`
		EventTypes []string         `json:"event_types"`
	}{p.Steps(), p.Clocks(), playbook.EventTypes()})
	if err != nil {
		return fmt.Errorf("writeStepsJSON: %w", err)
	}
	return nil
}

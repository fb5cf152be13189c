package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/model"
)

func newModelCommand(e env) *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "model [--check] [" + strings.Join(model.Tables(), "|") + "]",
		Short: "Check or print the Recommendation as data (actors, networks, sectors, mechanisms, matrix, clocks)",
		Long: `Model prints the tables the node runs on: the Recommendation encoded as data,
every entry with its paragraph (§) or Annex reference. The data is embedded in the
binary; see internal/model/data.

  blueprint model --check      validate the data (duplicate ids, dangling references)
  blueprint model sectors      Annex II(4) sectors and their mechanisms
  blueprint model matrix       Annex II(1): who is involved in which phase

Tables: ` + strings.Join(model.Tables(), ", "),
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: model.Tables(),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := model.Load()
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("model check failed:\n%w", err)}
			}
			if check {
				fmt.Fprintf(e.stdout, "model OK: %d actors, %d networks, %d memberships, %d mechanisms, %d sectors, %d member states, %d clocks\n",
					len(m.Actors), len(m.Networks), len(m.Memberships), len(m.Mechanisms), len(m.Sectors), len(m.MemberStates), len(m.Clocks))
			}
			if len(args) == 1 {
				return m.WriteTable(e.stdout, args[0])
			}
			if !check {
				return fmt.Errorf("name a table (%s) or give --check", strings.Join(model.Tables(), ", "))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "validate the embedded model data and report what it holds")
	cmd.AddCommand(newModelStepsCommand(e))
	return cmd
}

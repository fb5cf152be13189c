package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/store/postgres"
	"github.com/eucyber/blueprint/internal/store/sqlite"
)

func newMigrateCommand(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations, then exit",
		Long: `Migrate brings the store's schema up to date with this binary and exits.
Serve does the same on start; run migrate on its own before starting several
replicas, or to check an upgrade. Migrations are forward-only: a database written
by a newer blueprint is refused, never changed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, e)
			if err != nil {
				return err
			}
			var applied []string
			if cfg.IsPostgres() {
				applied, err = postgres.Migrate(cmd.Context(), cfg.DB)
			} else {
				applied, err = sqlite.Migrate(cmd.Context(), cfg.SQLitePath())
			}
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintf(e.stdout, "%s: schema is up to date\n", storeName(cfg))
				return nil
			}
			for _, name := range applied {
				fmt.Fprintf(e.stdout, "%s: applied %s\n", storeName(cfg), name)
			}
			return nil
		},
	}
}

package main

import (
	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/config"
)

const rootLong = `blueprint runs a node of the EU Blueprint for cyber crisis management
(Council Recommendation 9794/25): national CSIRTs, cyber crisis management
authorities, the CSIRTs Network, EU-CyCLONe, ENISA, CERT-EU, the Commission and the
Council presidency share incident information under the Traffic Light Protocol and
follow the steps the Recommendation expects of them.

Start a node with the embedded store (nothing else to install):

  blueprint serve

then open http://127.0.0.1:8080/healthz. Every flag can also be set in the
environment as BLUEPRINT_<FLAG>, e.g. BLUEPRINT_DB=postgres://user@db:5432/blueprint.
A flag on the command line wins over the environment, which wins over the default.`

func newRootCommand(e env) *cobra.Command {
	root := &cobra.Command{
		Use:           "blueprint",
		Short:         "A node of the EU Blueprint for cyber crisis management",
		Long:          rootLong,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	config.Register(root.PersistentFlags(), nil)
	root.AddCommand(
		newServeCommand(e),
		newMigrateCommand(e),
		newVerifyCommand(e),
		newModelCommand(e),
		newVersionCommand(e),
		newConfigCommand(e),
		newUserCommand(e),
		newTokenCommand(e),
		newReportCommand(e),
		newExportCommand(e),
		newImportCommand(e),
	)
	return root
}

// loadConfig reads the effective configuration of cmd from its flags and the
// environment.
func loadConfig(cmd *cobra.Command, e env) (config.Config, error) {
	return config.Load(cmd.Flags(), e.getenv)
}

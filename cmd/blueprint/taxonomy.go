package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/eucyber/blueprint/internal/config"
	"github.com/eucyber/blueprint/internal/playbook"
	"github.com/eucyber/blueprint/internal/severity"
)

// loadTaxonomy returns the severity taxonomy the configuration names: the
// embedded default, or a file given with --severity-taxonomy, validated.
func loadTaxonomy(cfg config.Config) (*severity.Taxonomy, error) {
	if cfg.SeverityTaxonomy == "" {
		return severity.Default()
	}
	abs, err := filepath.Abs(cfg.SeverityTaxonomy)
	if err != nil {
		return nil, fmt.Errorf("--severity-taxonomy %s: %w", cfg.SeverityTaxonomy, err)
	}
	tax, err := severity.LoadFile(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
	if err != nil {
		return nil, fmt.Errorf("--severity-taxonomy: %w", err)
	}
	return tax, nil
}

// loadPlaybook returns the playbook with the clocks the configuration
// overrides (--playbook-clocks), validated.
func loadPlaybook(cfg config.Config) (*playbook.Playbook, error) {
	overrides, err := playbook.ParseOverrides(cfg.PlaybookClocks)
	if err != nil {
		return nil, fmt.Errorf("--playbook-clocks: %w", err)
	}
	pb, err := playbook.New(overrides)
	if err != nil {
		return nil, fmt.Errorf("--playbook-clocks: %w", err)
	}
	return pb, nil
}

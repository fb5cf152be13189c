package main

import (
	"os"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/config"
)

// TestREADMEConfigurationTable keeps the README's configuration table true to the
// option table: every option with its variable and default.
func TestREADMEConfigurationTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // environment variable → row
	for _, line := range strings.Split(string(readme), "\n") {
		if cells := strings.Split(line, "|"); len(cells) > 3 && strings.HasPrefix(strings.TrimSpace(cells[2]), "`BLUEPRINT_") {
			rows[strings.Trim(strings.TrimSpace(cells[2]), "`")] = line
		}
	}
	for _, o := range config.Options() {
		row, ok := rows[config.EnvName(o.Name)]
		if !ok {
			t.Errorf("README has no row for %s", config.EnvName(o.Name))
			continue
		}
		if flag := "`--" + o.Name + "`"; o.EnvOnly == strings.Contains(row, flag) {
			t.Errorf("README row for %s: flag %s shown = %v, but the option has a flag = %v", config.EnvName(o.Name), flag, !o.EnvOnly, !o.EnvOnly)
		}
		if o.Default != "" && !strings.Contains(row, "`"+o.Default+"`") {
			t.Errorf("README row for %s does not give the default %q", config.EnvName(o.Name), o.Default)
		}
	}
	if len(rows) != len(config.Options()) {
		t.Errorf("README lists %d options, the node has %d", len(rows), len(config.Options()))
	}
	for _, cmd := range []string{"go run ./cmd/blueprint serve", "go test ./..."} {
		if !strings.Contains(string(readme), cmd) {
			t.Errorf("README does not show %q", cmd)
		}
	}
}

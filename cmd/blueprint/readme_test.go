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
	rows := map[string]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| `--") {
			cells := strings.Split(line, "|")
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = line
		}
	}
	for _, o := range config.Options() {
		row, ok := rows["--"+o.Name]
		if !ok {
			t.Errorf("README has no row for --%s", o.Name)
			continue
		}
		if !strings.Contains(row, "`"+config.EnvName(o.Name)+"`") {
			t.Errorf("README row for --%s does not name %s", o.Name, config.EnvName(o.Name))
		}
		if o.Default != "" && !strings.Contains(row, "`"+o.Default+"`") {
			t.Errorf("README row for --%s does not give the default %q", o.Name, o.Default)
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

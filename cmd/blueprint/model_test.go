package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/model"
)

func TestModelCommand(t *testing.T) {
	out := MustRunCLI(t, nil, "model", "--check")
	if !strings.HasPrefix(out, "model OK: ") || !strings.Contains(out, "27 member states") {
		t.Fatalf("model --check: %s", out)
	}
	for _, table := range model.Tables() {
		out := MustRunCLI(t, nil, "model", table)
		if lines := strings.Count(out, "\n"); lines < 2 {
			t.Errorf("model %s printed %d lines:\n%s", table, lines, out)
		}
	}
	out = MustRunCLI(t, nil, "model", "sectors")
	if !strings.Contains(out, "eaccc") || !strings.Contains(out, "Annex II(4)") {
		t.Errorf("model sectors lacks the air transport mechanism or its reference:\n%s", out)
	}
	if _, err := runCLI(t, nil, "model", "no-such-table"); err == nil {
		t.Error("model no-such-table succeeded")
	}
	if _, err := runCLI(t, nil, "model"); err == nil || !strings.Contains(err.Error(), "--check") {
		t.Errorf("model without arguments: err = %v, want a hint", err)
	}
}

func TestVersionAndConfigCommands(t *testing.T) {
	if out := MustRunCLI(t, nil, "version"); !strings.HasPrefix(out, "blueprint ") {
		t.Errorf("version: %q", out)
	}
	out := MustRunCLI(t, map[string]string{"BLUEPRINT_DB": "postgres://alice:s3cret@db.example:5432/bp"}, "config")
	if strings.Contains(out, "s3cret") || !strings.Contains(out, "db.example:5432/bp") {
		t.Errorf("config must redact the password and keep the host:\n%s", out)
	}
	_, err := runCLI(t, nil, "verify", "--log-level", "loud")
	var ee *exitError
	if err == nil || errors.As(err, &ee) || !strings.Contains(err.Error(), "--log-level") {
		t.Errorf("bad --log-level: err = %v", err)
	}
}

package model

import (
	"bytes"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/failure"
)

func TestWriteTable(t *testing.T) {
	m := mustLoad(t)
	subsectors := 0
	for _, s := range m.Sectors {
		subsectors += len(s.Subsectors)
	}
	types, terms := 0, 0
	for _, c := range m.Classifications {
		types += len(c.Types)
	}
	for _, v := range m.Vocabularies {
		terms += len(v.Values)
	}
	entries := map[string]int{
		"actors":         len(m.Actors),
		"networks":       len(m.Networks),
		"sectors":        len(m.Sectors) + subsectors,
		"mechanisms":     len(m.Mechanisms),
		"matrix":         len(m.Matrix),
		"clocks":         len(m.Clocks),
		"memberships":    len(m.Memberships),
		"member-states":  len(m.MemberStates),
		"levels":         len(m.Levels),
		"phases":         len(m.Phases),
		"national-kinds": len(m.NationalActorKinds),
		"rsit":           len(m.Classifications) + types,
		"nis2":           len(m.Vocabularies) + terms,
	}
	names := Tables()
	if len(names) != len(entries) {
		t.Errorf("Tables() = %v; the test knows %d tables", names, len(entries))
	}
	for i, want := range []string{"actors", "networks", "sectors", "mechanisms", "matrix", "clocks"} {
		if i >= len(names) || names[i] != want {
			t.Errorf("Tables()[%d] = %v, want %q first as agreed", i, names, want)
			break
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := m.WriteTable(&buf, name); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			want, ok := entries[name]
			if !ok {
				t.Fatalf("table %q is not known to the test", name)
			}
			if len(lines) != want+1 {
				t.Errorf("%d lines, want a header and %d rows:\n%s", len(lines), want, buf.String())
			}
			header := strings.Fields(lines[0])
			if len(header) == 0 || header[len(header)-1] != "REF" {
				t.Errorf("header %q does not end with REF", lines[0])
			}
			for _, l := range lines[1:] {
				if strings.TrimSpace(l) == "" {
					t.Errorf("blank row in:\n%s", buf.String())
				}
			}
		})
	}
	// Spot checks that rows carry the data, not just the right count.
	var buf bytes.Buffer
	if err := m.WriteTable(&buf, "member-states"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Ελλάδα") || !strings.Contains(buf.String(), "TEU art. 52(1)") {
		t.Errorf("member-states table lacks Ελλάδα or its ref:\n%s", buf.String())
	}
	buf.Reset()
	if err := m.WriteTable(&buf, "matrix"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "response-operational") {
		t.Errorf("matrix header lacks the phase columns:\n%s", buf.String())
	}
}

func TestWriteTableUnknown(t *testing.T) {
	m := mustLoad(t)
	var buf bytes.Buffer
	err := m.WriteTable(&buf, "treaties")
	if err == nil {
		t.Fatal("WriteTable(treaties) succeeded")
	}
	if !failure.Is(err, failure.Invalid) {
		t.Errorf("kind = %q, want invalid", failure.KindOf(err))
	}
	for _, name := range Tables() {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not list %q", err, name)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q for an unknown table", buf.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) {
	return 0, failure.New(failure.Unavailable, "disk full")
}

func TestWriteTableWriteError(t *testing.T) {
	if err := mustLoad(t).WriteTable(failingWriter{}, "levels"); err == nil {
		t.Error("WriteTable to a failing writer returned nil")
	}
}

package model

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
)

// mustLoad loads the embedded data or stops the test.
func mustLoad(tb testing.TB) *Model {
	tb.Helper()
	m, err := Load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return m
}

// TestLoad is what "blueprint model --check" runs: the shipped data must load.
func TestLoad(t *testing.T) {
	m := mustLoad(t)
	for name, n := range map[string]int{
		"actors":               len(m.Actors),
		"national actor kinds": len(m.NationalActorKinds),
		"levels":               len(m.Levels),
		"phases":               len(m.Phases),
		"matrix":               len(m.Matrix),
		"networks":             len(m.Networks),
		"memberships":          len(m.Memberships),
		"mechanisms":           len(m.Mechanisms),
		"sectors":              len(m.Sectors),
		"clocks":               len(m.Clocks),
	} {
		if n == 0 {
			t.Errorf("%s: no entries", name)
		}
	}
	if got := len(m.MemberStates); got != 27 {
		t.Errorf("member states: got %d, want 27", got)
	}
	if got := len(m.Levels); got != 3 {
		t.Errorf("levels: got %d, want 3", got)
	}
	if got := len(m.Phases); got != 7 {
		t.Errorf("phases: got %d, want 7", got)
	}
}

func TestActorsOfBrief(t *testing.T) {
	m := mustLoad(t)
	for _, id := range []string{
		"member-states", "csirts-network", "cert-eu", "eu-cyclone", "enisa", "council",
		"presidency", "commission", "eeas", "europol-ec3", "iicb", "cross-border-cyber-hubs",
		"cyber-commanders-conference", "micnet", "eucdcc", "siac", "nis-cooperation-group",
	} {
		if _, ok := m.Actor(id); !ok {
			t.Errorf("actor %q missing", id)
		}
	}
	for _, id := range []string{
		"csirt", "cyber-crisis-management-authority", "national-crisis-authority",
		"sectoral-authority", "single-point-of-contact",
	} {
		if _, ok := m.NationalActorKind(id); !ok {
			t.Errorf("national actor kind %q missing", id)
		}
	}
	if a, _ := m.Actor("commission"); !slices.Equal(a.Levels, []string{LevelOperational, LevelPolitical}) {
		t.Errorf("commission levels = %v, want operational, political (Annex II(2))", a.Levels)
	}
}

func TestLookupsMiss(t *testing.T) {
	m := mustLoad(t)
	if _, ok := m.Actor("nobody"); ok {
		t.Error("Actor(nobody) found")
	}
	if _, ok := m.Mechanism("nothing"); ok {
		t.Error("Mechanism(nothing) found")
	}
	if _, ok := m.Sector("electricity"); ok {
		t.Error("Sector(electricity) found; it is a subsector")
	}
	if _, ok := m.MemberState("GR"); ok {
		t.Error("MemberState(GR) found; the EU code is EL")
	}
	if _, ok := m.Clock("never"); ok {
		t.Error("Clock(never) found")
	}
	if _, _, ok := m.Subsector("energy"); ok {
		t.Error("Subsector(energy) found; it is a sector")
	}
}

func TestSubsector(t *testing.T) {
	m := mustLoad(t)
	sub, sec, ok := m.Subsector("oil")
	if !ok || sec.ID != "energy" || sub.ID != "oil" {
		t.Fatalf("Subsector(oil) = %q, %q, %v; want oil in energy", sub.ID, sec.ID, ok)
	}
	h, _, ok := m.Subsector("transport-horizontal")
	if !ok || h.Taxonomy != "" || h.Note == "" {
		t.Errorf("transport-horizontal: found %v, taxonomy %q, note %q; want an invented id with a note", ok, h.Taxonomy, h.Note)
	}
}

func TestMemberStates(t *testing.T) {
	m := mustLoad(t)
	el, ok := m.MemberState("EL")
	if !ok || el.ISO3166 != "GR" || !slices.Contains(el.NativeNames, "Ελλάδα") {
		t.Errorf("EL = %+v, %v; want Greece with ISO GR and native name Ελλάδα", el, ok)
	}
	for code, native := range map[string]string{"BG": "България", "CZ": "Česko", "RO": "România", "PL": "Polska"} {
		s, ok := m.MemberState(code)
		if !ok || !slices.Contains(s.NativeNames, native) {
			t.Errorf("%s: native names %v, want %q", code, s.NativeNames, native)
		}
	}
}

// TestCommissionConditionalMembership: §20 makes the Commission an observer in
// EU-CyCLONe and a member when NIS2 services are, or may be, significantly hit.
func TestCommissionConditionalMembership(t *testing.T) {
	m := mustLoad(t)
	var observer, member *Membership
	for _, ms := range m.MembershipsOf("eu-cyclone") {
		if ms.Actor != "commission" {
			continue
		}
		switch ms.Role {
		case RoleObserver:
			observer = &ms
		case RoleMember:
			member = &ms
		}
	}
	if observer == nil || observer.Condition != nil {
		t.Errorf("Commission observer of EU-CyCLONe: %+v; want an unconditional observer", observer)
	}
	if member == nil || member.Condition == nil {
		t.Fatalf("Commission member of EU-CyCLONe: %+v; want a conditional member", member)
	}
	if member.Condition.ID != "significant-impact-on-nis2-services" || !strings.Contains(member.Condition.Text, "2022/2555") {
		t.Errorf("condition = %+v", member.Condition)
	}
	if !strings.Contains(member.Ref, "§20") {
		t.Errorf("ref = %q, want §20", member.Ref)
	}
}

func TestNetworks(t *testing.T) {
	m := mustLoad(t)
	type want struct {
		subject string
		role    Role
	}
	for network, wants := range map[string][]want{
		"csirts-network": {
			{"national_kind:csirt", RoleMember}, {"actor:cert-eu", RoleMember},
			{"actor:enisa", RoleSecretariat}, {"actor:commission", RoleObserver},
			{"national_kind:csirt", RoleChair},
		},
		"eu-cyclone": {
			{"national_kind:cyber-crisis-management-authority", RoleMember},
			{"actor:enisa", RoleSecretariat}, {"actor:commission", RoleObserver},
			{"national_kind:cyber-crisis-management-authority", RoleChair},
		},
	} {
		n, ok := m.Network(network)
		if !ok || n.Secretariat != "enisa" {
			t.Errorf("network %q: %+v, %v; want ENISA as secretariat", network, n, ok)
		}
		got := m.MembershipsOf(network)
		for _, w := range wants {
			if !slices.ContainsFunc(got, func(ms Membership) bool { return ms.Subject() == w.subject && ms.Role == w.role }) {
				t.Errorf("%s: no %s with role %s", network, w.subject, w.role)
			}
		}
	}
}

func TestMechanismsForSector(t *testing.T) {
	m := mustLoad(t)
	ids := func(ms []Mechanism) []string {
		var out []string
		for _, x := range ms {
			out = append(out, x.ID)
		}
		return out
	}
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"oil", []string{"oil-coordination-group", "euoag"}},
		{"hydrogen", nil},
		{"energy", []string{"electricity-coordination-group", "oil-coordination-group", "euoag", "gas-coordination-group"}},
		{"manufacturing", nil},
		{"research", nil},
		{"chemical", []string{"raschem"}},
		{"space", []string{"stra"}},
	} {
		got, err := m.MechanismsForSector(tc.id)
		if err != nil {
			t.Errorf("MechanismsForSector(%q): %v", tc.id, err)
			continue
		}
		if !slices.Equal(ids(got), tc.want) {
			t.Errorf("MechanismsForSector(%q) = %v, want %v", tc.id, ids(got), tc.want)
		}
	}
	_, err := m.MechanismsForSector("nuclear")
	if !failure.Is(err, failure.NotFound) {
		t.Errorf("MechanismsForSector(nuclear): err = %v, want not-found", err)
	}
}

// TestMechanismsForSectorNoDuplicates builds a sector whose subsectors share a
// mechanism with it, which the shipped data happens not to have.
func TestMechanismsForSectorNoDuplicates(t *testing.T) {
	fsys := embeddedFS(t)
	edit(t, fsys, fileSectors, `  mechanisms: []
  ref: "Annex II(4)"
  subsectors:
    - id: electricity`, `  mechanisms: [gas-coordination-group]
  ref: "Annex II(4)"
  subsectors:
    - id: electricity`)
	edit(t, fsys, fileMechanisms, "  sectors: [gas]\n  description: Coordination of Member States on security of gas supply.",
		"  sectors: [gas, energy]\n  description: Coordination of Member States on security of gas supply.")
	m, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.MechanismsForSector("energy")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range got {
		ids = append(ids, x.ID)
	}
	want := []string{"gas-coordination-group", "electricity-coordination-group", "oil-coordination-group", "euoag"}
	if !slices.Equal(ids, want) {
		t.Errorf("MechanismsForSector(energy) = %v, want %v", ids, want)
	}
}

func TestClocks(t *testing.T) {
	m := mustLoad(t)
	start := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		id   string
		due  time.Time
		ok   bool
		text string
	}{
		{"reserve-deployment", start.Add(24 * time.Hour), true, "within 24h"},
		{"hub-information", time.Time{}, false, "without undue delay"},
		{"procedural-arrangements", time.Time{}, false, "without undue delay"},
		{"first-exercise-programme", time.Date(2027, 1, 31, 10, 0, 0, 0, time.UTC), true, "within 12 months"},
		{"annual-exercise-programme", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), true, "by 03-31 each year"},
		{"severity-taxonomy", time.Date(2028, 1, 31, 10, 0, 0, 0, time.UTC), true, "within 24 months"},
		{"process-flow-diagrams", time.Date(2027, 1, 31, 10, 0, 0, 0, time.UTC), true, "within 12 months"},
		{"secure-comms-proposal", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), true, "by 2026-12-31"},
		{"secure-comms-agreement", time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), true, "by 2027-12-31"},
		{"evaluation", time.Date(2030, 1, 31, 10, 0, 0, 0, time.UTC), true, "every 48 months"},
		{"nis2-early-warning", start.Add(24 * time.Hour), true, "without undue delay, at the latest within 24h"},
		{"nis2-incident-notification", start.Add(72 * time.Hour), true, "without undue delay, at the latest within 72h"},
		// One month after 31 January is the last day of February, not 3 March.
		{"nis2-final-report", time.Date(2026, 2, 28, 10, 0, 0, 0, time.UTC), true, "within 1 month"},
	} {
		c, found := m.Clock(tc.id)
		if !found {
			t.Errorf("clock %q missing", tc.id)
			continue
		}
		due, ok := c.Deadline.Due(start)
		if ok != tc.ok || !due.Equal(tc.due) {
			t.Errorf("%s: Due = %v, %v; want %v, %v", tc.id, due, ok, tc.due, tc.ok)
		}
		if got := c.Deadline.String(); got != tc.text {
			t.Errorf("%s: String = %q, want %q", tc.id, got, tc.text)
		}
	}
	if c, _ := m.Clock("reserve-deployment"); c.Owner != "commission" || c.Ref != "§55(b)(v)" || c.Starts != "reserve request recorded" {
		t.Errorf("reserve-deployment = %+v", c)
	}
}

func TestDeadlineDueCalendar(t *testing.T) {
	yearly := Deadline{By: "03-31"}
	// After this year's day has passed, the next one is a year on.
	if due, _ := yearly.Due(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); !due.Equal(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("by 03-31 from 1 April 2026 = %v, want end of 31 March 2027", due)
	}
	leap := Deadline{By: "02-29"}
	if due, ok := leap.Due(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); !ok || !due.Equal(time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("by 02-29 from 2026 = %v, %v; want end of 29 February 2028", due, ok)
	}
	// Leap year: 31 January + 1 month = 29 February.
	if got := addMonths(time.Date(2028, 1, 31, 0, 0, 0, 0, time.UTC), 1); !got.Equal(time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("addMonths(2028-01-31, 1) = %v", got)
	}
	for _, bad := range []Deadline{
		{}, {Duration: "24h", Months: 1}, {Duration: "soon"}, {Duration: "-1h"}, {Months: -2},
		{By: "3-31"}, {By: "02-30"}, {Date: "2026-13-01"}, {UndueDelay: true, Date: "2026-12-31"},
		{Recurring: true, Duration: "24h"},
	} {
		if err := bad.check(); err == nil {
			t.Errorf("check(%+v) = nil, want an error", bad)
		}
	}
}

func TestJSONTags(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	for _, v := range []any{
		Actor{}, NationalActorKind{}, Level{}, Phase{}, MatrixRow{}, Network{}, Membership{},
		Condition{}, Mechanism{}, Sector{}, Subsector{}, MemberState{}, Clock{}, Deadline{}, Model{},
	} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			j, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !snake.MatchString(j) {
				t.Errorf("%s.%s: json tag %q is not snake_case", typ.Name(), f.Name, j)
			}
			if typ.Name() == "Model" {
				continue // built by Load, never decoded from YAML as a whole
			}
			if y, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); y != j {
				t.Errorf("%s.%s: yaml tag %q differs from json tag %q", typ.Name(), f.Name, y, j)
			}
		}
	}
	b, err := json.Marshal(mustLoad(t))
	if err != nil {
		t.Fatal(err)
	}
	// "none" must read as an empty list, not null, for API clients.
	if strings.Contains(string(b), `"mechanisms":null`) {
		t.Error(`JSON has "mechanisms":null`)
	}
	for _, key := range []string{`"native_names"`, `"national_actor_kinds"`, `"undue_delay":true`, `"condition":{"id":"significant-impact-on-nis2-services"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

// TestEveryEntryHasRef double-checks what validation enforces, on the shipped data.
func TestEveryEntryHasRef(t *testing.T) {
	m := mustLoad(t)
	refs := map[string]string{}
	for _, a := range m.Actors {
		refs["actor "+a.ID] = a.Ref
	}
	for _, s := range m.Sectors {
		refs["sector "+s.ID] = s.Ref
		for _, sub := range s.Subsectors {
			refs["subsector "+sub.ID] = sub.Ref
		}
	}
	for _, c := range m.Clocks {
		refs["clock "+c.ID] = c.Ref
	}
	for k, ref := range refs {
		if ref == "" {
			t.Errorf("%s has no ref", k)
		}
	}
}

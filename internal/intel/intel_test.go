package intel_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/tlp"
)

var (
	nl = intel.Actor{User: "u-nl", Organisation: "nl-ncsc"}
	be = intel.Actor{User: "u-be", Organisation: "be-ccb"}
)

func service(t *testing.T) *intel.Service {
	t.Helper()
	s, err := sqlite.Open(t.Context(), t.TempDir()+"/i.db", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &intel.Service{Store: s, Now: time.Now}
}

// object reads one indicator version through stix.ReadBundle, as an import does.
func object(t *testing.T, modified string, label tlp.Label) stix.Object {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": []any{map[string]any{
		"type": "indicator", "spec_version": "2.1", "id": "indicator--9b1a3f0e-2c4d-4e5f-8a6b-7c8d9e0f1a2b",
		"created": "2026-11-30T10:00:00.000Z", "modified": modified, "pattern": "[ipv4-addr:value = '198.51.100.7']",
		"pattern_type": "stix", "valid_from": "2026-11-30T10:00:00Z", "object_marking_refs": []string{stix.MarkingID(label)}}}})
	read, err := stix.ReadBundle(b)
	if err != nil || len(read.Objects) != 1 {
		t.Fatalf("%v %+v", err, read.Refused)
	}
	return read.Objects[0]
}

func marking(t *testing.T, l tlp.Label, who intel.Actor) tlp.Marking {
	t.Helper()
	m, err := intel.MarkingFor(l, who, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func everyone(tlp.Item) bool { return true }

// TestVersionsAreKeptNeverOverwritten: a duplicate changes nothing, an older
// version arriving late is kept but is not current, another organisation's
// copy of the same version is its own.
func TestVersionsAreKeptNeverOverwritten(t *testing.T) {
	s := service(t)
	ctx := t.Context()
	v2 := object(t, "2026-11-30T12:00:00.000Z", tlp.Amber)
	v1 := object(t, "2026-11-30T11:00:00.000Z", tlp.Amber)
	steps := []struct {
		who     intel.Actor
		obj     stix.Object
		outcome intel.Outcome
		current bool
	}{
		{nl, v2, intel.Added, true},
		{nl, v2, intel.Duplicate, true},
		{nl, v1, intel.Added, false}, // older: kept, v2 stays current
		{be, v2, intel.Added, true},  // BE's own copy, under BE's marking
	}
	for i, st := range steps {
		res, err := s.Add(ctx, st.who, st.obj, marking(t, tlp.Amber, st.who))
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != st.outcome || res.Current != st.current {
			t.Errorf("step %d: %+v, want %s current=%v", i, res, st.outcome, st.current)
		}
	}
	all, err := s.Versions(ctx, v1.ID, everyone)
	if err != nil || len(all) != 3 || all[0].Version != v1.Version || all[2].Version != v2.Version {
		t.Fatalf("versions: %v %+v", err, all)
	}
	// Each organisation sees its own copies only: AMBER stays with the sharer.
	seeAs := func(org string) func(tlp.Item) bool {
		return func(it tlp.Item) bool {
			return tlp.CanSee(tlp.Viewer{User: "u-" + org, Organisation: org}, it)
		}
	}
	if vs, _ := s.Versions(ctx, v1.ID, seeAs("be-ccb")); len(vs) != 1 || vs[0].Organisation != "be-ccb" {
		t.Errorf("BE sees %+v, want only its own copy", vs)
	}
	if _, err := s.Versions(ctx, v1.ID, seeAs("fi-ncsc")); !failure.Is(err, failure.NotFound) {
		t.Errorf("FI, who may see no version, got %v; want not found", err)
	}
}

func TestMarkingFor(t *testing.T) {
	for _, tt := range []struct {
		label tlp.Label
		kind  tlp.AudienceKind
		ids   []string
	}{
		{tlp.Clear, tlp.Public, nil},
		{tlp.Green, tlp.Community, nil},
		{tlp.Amber, tlp.Organisations, []string{"nl-ncsc"}},
		{tlp.AmberStrict, tlp.Organisations, []string{"nl-ncsc"}},
		{tlp.Red, tlp.Users, []string{"u-nl"}},
	} {
		m := marking(t, tt.label, nl)
		if m.Audience.Kind != tt.kind || len(m.Audience.IDs) != len(tt.ids) || (len(tt.ids) == 1 && m.Audience.IDs[0] != tt.ids[0]) {
			t.Errorf("%s: %+v", tt.label, m.Audience)
		}
	}
	if _, err := intel.MarkingFor(tlp.Amber, nl, &tlp.Audience{Kind: tlp.Community}); !failure.Is(err, failure.Invalid) {
		t.Errorf("AMBER for the whole community: %v, want refused", err)
	}
	m, err := intel.MarkingFor(tlp.Amber, nl, &tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}})
	if err != nil || m.Audience.IDs[0] != "csirts-network" {
		t.Errorf("AMBER for the CSIRTs Network: %+v %v", m, err)
	}
}

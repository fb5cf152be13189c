package stix_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/tlp"
)

const (
	tlp1Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
	tlp1White = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
)

// indicator is a valid indicator with the given marking refs.
func indicator(id string, refs ...string) map[string]any {
	o := map[string]any{"type": "indicator", "spec_version": "2.1", "id": id,
		"created": "2026-11-30T10:00:00.000Z", "modified": "2026-11-30T12:00:00.000Z",
		"name": "C2 of the hospital ransomware", "pattern": "[ipv4-addr:value = '198.51.100.7']", "pattern_type": "stix",
		"valid_from": "2026-11-30T10:00:00Z"}
	if len(refs) > 0 {
		o["object_marking_refs"] = refs
	}
	return o
}

func bundleOf(objs ...any) []byte {
	b, _ := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": objs})
	return b
}

// TestReadBundleAcceptsAndRefusesEachObject: each object is judged on its own,
// with a reason that says what is wrong and where.
func TestReadBundleAcceptsAndRefusesEachObject(t *testing.T) {
	amber2 := stix.MarkingID(tlp.Amber)
	red2 := stix.MarkingID(tlp.Red)
	statement := map[string]any{"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--1f8d9a41-6e0f-4e0d-9b8e-6f7a2c3d4e5f",
		"created": "2026-01-01T00:00:00.000Z", "definition_type": "statement", "definition": map[string]any{"statement": "RESTREINT UE/EU RESTRICTED"}}
	missingPattern := indicator("indicator--0b1c9e3a-7d6f-4f43-8a1b-1c2d3e4f5a6b", amber2)
	delete(missingPattern, "pattern")
	backwards := indicator("indicator--1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", amber2)
	backwards["modified"] = "2026-11-29T00:00:00.000Z"
	granular := indicator("indicator--2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", amber2)
	granular["granular_markings"] = []any{map[string]any{"selectors": []string{"pattern"}, "marking_ref": red2}}
	classifiedName := indicator("indicator--3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b", amber2)
	classifiedName["description"] = "Source: CONFIDENTIEL UE report"
	wrongPrefix := indicator("malware--4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c", amber2)

	read, err := stix.ReadBundle(bundleOf(
		stix.MarkingDefinition(tlp.Amber),                                       // 0 a definition the node knows
		indicator("indicator--9b1a3f0e-2c4d-4e5f-8a6b-7c8d9e0f1a2b", amber2),    // 1 accepted, AMBER
		indicator("indicator--8a0b2e1d-3c5e-4f6a-9b7c-8d9e0f1a2b3c", tlp1Amber), // 2 accepted, TLP 1.0 AMBER
		indicator("indicator--7f9a1d0c-4b6d-4e7f-8a8b-9c0d1e2f3a4b"),            // 3 unmarked
		missingPattern, backwards, granular, classifiedName, wrongPrefix, // 4-8
		statement, // 9 classified statement marking
		indicator("indicator--6e8f0c9b-5a7c-4d8e-9f9a-0b1c2d3e4f5a", statement["id"].(string)), // 10 marked classified
		indicator("indicator--5d7e9b8a-6f8b-4c9d-8e0f-1a2b3c4d5e6f", tlp1White),                // 11 TLP:WHITE → CLEAR
		"not an object", // 12
		map[string]any{"type": "x-custom-thing", "id": "x-custom-thing--5d7e9b8a-6f8b-4c9d-8e0f-1a2b3c4d5e6f"}, // 13
	))
	if err != nil {
		t.Fatal(err)
	}
	accepted := map[string]stix.Object{}
	for _, o := range read.Objects {
		accepted[o.ID] = o
	}
	if len(read.Objects) != 5 {
		t.Errorf("%d objects accepted, want 5: %+v", len(read.Objects), read.Objects)
	}
	if o := accepted[stix.MarkingID(tlp.Amber)]; !o.Definition {
		t.Error("the TLP 2.0 AMBER definition is not read as a known definition")
	}
	if o := accepted["indicator--9b1a3f0e-2c4d-4e5f-8a6b-7c8d9e0f1a2b"]; o.Label != tlp.Amber || o.Version != "2026-11-30T12:00:00.000Z" || o.Type != "indicator" {
		t.Errorf("the AMBER indicator: %+v", o)
	}
	if o := accepted["indicator--8a0b2e1d-3c5e-4f6a-9b7c-8d9e0f1a2b3c"]; o.Label != tlp.Amber {
		t.Errorf("the TLP 1.0 AMBER indicator: label %q", o.Label)
	}
	if o := accepted["indicator--2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a"]; o.Label != tlp.Red {
		t.Errorf("an indicator with a RED granular marking is %q, want RED: shown whole, at its strictest", o.Label)
	}
	if o := accepted["indicator--5d7e9b8a-6f8b-4c9d-8e0f-1a2b3c4d5e6f"]; o.Label != tlp.Clear {
		t.Errorf("TLP:WHITE is read as %q, want TLP:CLEAR", o.Label)
	}
	want := map[int]string{
		3:  "no TLP marking",
		4:  "/: missing property 'pattern'",
		5:  "modified 2026-11-29T00:00:00.000Z is before created",
		7:  "CONFIDENTIEL UE/EU CONFIDENTIAL",
		8:  `does not begin with its type "indicator"`,
		9:  "RESTREINT UE/EU RESTRICTED",
		10: "RESTREINT UE/EU RESTRICTED",
		12: "not a JSON object",
		13: `type "x-custom-thing" is not a STIX 2.1 object type`,
	}
	got := map[int]stix.Refusal{}
	for _, r := range read.Refused {
		got[r.Index] = r
	}
	for i, reason := range want {
		if r, ok := got[i]; !ok || !strings.Contains(r.Reason, reason) {
			t.Errorf("object %d: refusal %+v, want one saying %q", i, r, reason)
		}
	}
	if len(read.Refused) != len(want) {
		t.Errorf("%d refused, want %d: %+v", len(read.Refused), len(want), read.Refused)
	}
	if got[4].ID != "indicator--0b1c9e3a-7d6f-4f43-8a1b-1c2d3e4f5a6b" {
		t.Errorf("a refusal does not name the object: %+v", got[4])
	}
}

func TestReadBundleRefusesWhatIsNoBundle(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{`{"type":"indicator","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}`, `a STIX bundle has type "bundle"`},
		{`{"type":"bundle","id":"bundle-1"}`, "not a bundle identifier"},
		{`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":{}}`, "not a STIX bundle"},
		{`[1,2`, "not valid JSON"},
	} {
		if _, err := stix.ReadBundle([]byte(tt.body)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", tt.body, err, tt.want)
		}
	}
}

// TestExportReadsBack: what the node exports, it imports whole.
func TestExportReadsBack(t *testing.T) {
	ex, err := stix.ExportCase(fixture())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(ex.Bundle)
	read, err := stix.ReadBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Refused) != 0 {
		t.Errorf("the node refuses its own export: %+v", read.Refused)
	}
	if len(read.Objects) != len(objectsOf(t, ex.Bundle)) {
		t.Errorf("%d of %d objects read back", len(read.Objects), len(objectsOf(t, ex.Bundle)))
	}
}

// FuzzReadBundle: whatever arrives, reading never panics; an accepted object
// has an id of its type, a version STIX can order, and a TLP label unless it
// is a known definition.
func FuzzReadBundle(f *testing.F) {
	f.Add(bundleOf(indicator("indicator--9b1a3f0e-2c4d-4e5f-8a6b-7c8d9e0f1a2b", stix.MarkingID(tlp.Amber))))
	f.Add(bundleOf(stix.MarkingDefinition(tlp.Red), map[string]any{"type": "note", "id": "note--1"}))
	ex, _ := stix.ExportCase(fixture())
	b, _ := json.Marshal(ex.Bundle)
	f.Add(b)
	f.Add([]byte(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","granular_markings":[{"marking_ref":7}]},null,[],"x"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		read, err := stix.ReadBundle(body)
		if err != nil {
			return
		}
		for _, o := range read.Objects {
			if typ, ok := stix.TypeOf(o.ID); !ok || typ != o.Type {
				t.Fatalf("accepted %q of type %q", o.ID, o.Type)
			}
			if !o.Definition && !o.Label.Valid() {
				t.Fatalf("accepted %s with no TLP label", o.ID)
			}
			if o.Version != "" {
				if _, ok := stix.ParseTimestamp(o.Version); !ok {
					t.Fatalf("accepted %s with version %q", o.ID, o.Version)
				}
			}
		}
	})
}

package model

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// annexII4 is Annex II(4) as BLUEPRINT.md §15 gives it, by mechanism name, one
// entry per sector or subsector row ("—" is an empty list). It is written out
// by hand, independently of sectors.yaml, so that a slip in either shows.
//
// One row follows the Dutch source instead of the digest: BLUEPRINT.md §15
// shows the European financial stabilisation mechanism as a row of its own,
// "(finance)", and asks to check the source; there it continues the mechanisms
// cell of "Infrastructuur voor de financiële markt", so it is listed under
// financial market infrastructures.
var annexII4 = map[string][]string{
	// Energy
	"electricity":                  {"Electricity Coordination Group"},
	"district-heating-and-cooling": nil,
	"oil":                          {"Oil Coordination Group", "EU Offshore Oil and Gas Authorities Group (EUOAG)"},
	"gas":                          {"Gas Coordination Group"},
	"hydrogen":                     nil,
	// Transport
	"air":  {"European Aviation Crisis Coordination Cell (EACCC)"},
	"rail": nil,
	"water": {
		"European Fisheries Control Agency (EFCA)", "SafeSeaNet (SSN)", "Integrated Maritime Services (IMS)",
		"LRIT Data Centre", "EMSA maritime support services",
	},
	"road":                 nil,
	"transport-horizontal": {"Network of national transport contact points"},
	// Finance
	"banking":   {"EU Systemic Cyber Incident Coordination Framework (EU-SCICF)"},
	"financial": {"EU Systemic Cyber Incident Coordination Framework (EU-SCICF)", "European financial stabilisation mechanism"},
	"health": {
		"Early Warning and Response System (EWRS)",
		"Rapid alert for tissues and cells and for blood components (RATC/RAB)",
		"Health Emergency Operations Facility (HEOF)",
		"Public health emergency framework",
		"Rapid Alert System for chemical incidents (RASCHEM)",
		"European communicable disease surveillance portal",
		"Health emergency preparedness and response (HERA)",
		"Medical Intelligence System (MediSys)",
		"Executive Steering Group on Shortages of Medical Devices (MDSSG)",
		"Pharmacovigilance rapid alert system",
		"EU Health Task Force (EUHTF)",
		"Health Security Committee",
	},
	"drinking-water":         nil,
	"waste-water":            nil,
	"digital-infrastructure": nil,
	"ict-services":           nil,
	"public-administration":  nil,
	"space":                  {"Space Threat Response Architecture (STRA)"},
	"courier":                nil,
	"waste-management":       nil,
	"chemical":               {"Rapid Alert System for chemical incidents (RASCHEM)"},
	"food": {
		"European crop monitoring system and ASAP anomaly hotspots",
		"European network of plant health information systems (Europhyt)",
		"EU Veterinary Emergency Team (EUVET)",
		"Rapid Alert System for Food and Feed (RASFF)",
		"European Food Security Crisis preparedness and response Mechanism (EFSCM)",
		"Internal Market Emergency and Resilience Act (IMERA)",
	},
	// Manufacturing
	"medical-devices-subsector":           nil,
	"electronic-optical-subsector":        nil,
	"machine-tool-subsector":              nil,
	"vehicle-manufacturing-subsector":     nil,
	"other-transport-equipment-subsector": nil,
	"digital-providers":                   nil,
	"research":                            nil,
}

// annexII4Parents are the sectors of Annex II(4) whose rows are their
// subsectors; the sector itself has no mechanism of its own.
var annexII4Parents = map[string][]string{
	"energy":        {"electricity", "district-heating-and-cooling", "oil", "gas", "hydrogen"},
	"transport":     {"air", "rail", "water", "road", "transport-horizontal"},
	"manufacturing": {"medical-devices-subsector", "electronic-optical-subsector", "machine-tool-subsector", "vehicle-manufacturing-subsector", "other-transport-equipment-subsector"},
}

func TestAnnexII4(t *testing.T) {
	m := mustLoad(t)
	names := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			mech, ok := m.Mechanism(id)
			if !ok {
				t.Errorf("mechanism %q not found", id)
				continue
			}
			out = append(out, mech.Name)
		}
		return out
	}

	// Every data row is expected, and every expected row is in the data.
	rows := map[string][]string{}
	for _, s := range m.Sectors {
		if len(s.Subsectors) == 0 {
			rows[s.ID] = names(s.Mechanisms)
			continue
		}
		if len(s.Mechanisms) != 0 {
			t.Errorf("sector %q has subsectors and mechanisms of its own %v; Annex II(4) gives them per subsector", s.ID, s.Mechanisms)
		}
		want := annexII4Parents[s.ID]
		var got []string
		for _, sub := range s.Subsectors {
			rows[sub.ID] = names(sub.Mechanisms)
			got = append(got, sub.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("sector %q subsectors = %v, want %v", s.ID, got, want)
		}
	}
	for _, id := range sortedKeys(annexII4) {
		got, ok := rows[id]
		if !ok {
			t.Errorf("Annex II(4) row %q is missing from sectors.yaml", id)
			continue
		}
		want := annexII4[id]
		for _, n := range want {
			if !slices.Contains(got, n) {
				t.Errorf("%s: missing %q", id, n)
			}
		}
		for _, n := range got {
			if !slices.Contains(want, n) {
				t.Errorf("%s: unexpected %q", id, n)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d mechanisms, want %d", id, len(got), len(want))
		}
		// The lookup the suggestions use must agree with the table.
		via, err := m.MechanismsForSector(id)
		if err != nil {
			t.Errorf("MechanismsForSector(%q): %v", id, err)
		}
		var viaNames []string
		for _, x := range via {
			viaNames = append(viaNames, x.Name)
		}
		if !slices.Equal(viaNames, got) {
			t.Errorf("MechanismsForSector(%q) = %v, want %v", id, viaNames, got)
		}
	}
	for _, id := range sortedKeys(rows) {
		if _, ok := annexII4[id]; !ok {
			t.Errorf("sectors.yaml row %q is not in Annex II(4)", id)
		}
	}
}

// TestAnnexII4Refs: every Annex II(4) mechanism says so in its ref.
func TestAnnexII4Refs(t *testing.T) {
	m := mustLoad(t)
	for _, s := range m.Sectors {
		all, err := m.MechanismsForSector(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, mech := range all {
			if !strings.Contains(mech.Ref, "Annex II(4)") {
				t.Errorf("mechanism %q is listed in Annex II(4) but its ref is %q", mech.ID, mech.Ref)
			}
		}
	}
}

// TestAnnexII3 checks the Annex II(3) table: its sixteen mechanisms and types.
func TestAnnexII3(t *testing.T) {
	m := mustLoad(t)
	want := map[string]MechanismType{
		"Argus":                             MechanismHorizontal,
		"EEAS Crisis Response Centre (CRC)": MechanismHorizontal,
		"Critical Infrastructure Blueprint": MechanismHorizontal,
		"Cybersecurity Alert System":        MechanismCyberSpecific,
		"Cyber Diplomacy Toolbox":           MechanismCyberSpecific,
		"EU Cybersecurity Reserve":          MechanismCyberSpecific,
		"Network code on sector-specific rules for cybersecurity aspects of cross-border electricity flows": MechanismSectoral,
		"Hybrid Toolbox":                                               MechanismHorizontal,
		"EU Hybrid Rapid Response Teams (HRRT)":                        MechanismHorizontal,
		"Integrated Political Crisis Response (IPCR)":                  MechanismHorizontal,
		"EU Law Enforcement Emergency Response Protocol":               MechanismHorizontal,
		"PESCO Cyber Rapid Response Teams (CRRT)":                      MechanismCyberSpecific,
		"Space Threat Response Architecture (STRA)":                    MechanismSectoral,
		"EU Systemic Cyber Incident Coordination Framework (EU-SCICF)": MechanismSectoral,
		"Union Civil Protection Mechanism (UCPM)":                      MechanismHorizontal,
		"Common Information Sharing Environment (CISE)":                MechanismSectoral,
	}
	got := map[string]MechanismType{}
	for _, mech := range m.Mechanisms {
		if strings.Contains(mech.Ref, "Annex II(3)") {
			got[mech.Name] = mech.Type
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("Annex II(3) mechanisms:\n got %v\nwant %v", got, want)
	}
}

// annexII1 is the Annex II(1) matrix as BLUEPRINT.md §4 gives it, which the
// Dutch source confirms cell by cell. Columns: preparedness, detection,
// response technical, operational, political, public communication, recovery
// and lessons learned.
const annexII1 = `
member-states   X X X X X X X
commission      X . . X X X .
eeas            X . . X X X .
council         X . . . X X X
enisa           X . X X . . .
cert-eu         X X X X . X X
csirts-network  X X X . . . X
eu-cyclone      X . . X X . X
`

func TestAnnexII1Matrix(t *testing.T) {
	m := mustLoad(t)
	columns := []string{
		"preparedness", "detection", "response-technical", "response-operational",
		"response-political", "public-communication", "recovery-lessons",
	}
	var phaseIDs []string
	for _, p := range m.Phases {
		phaseIDs = append(phaseIDs, p.ID)
	}
	if !slices.Equal(phaseIDs, columns) {
		t.Fatalf("phases = %v, want the Annex II(1) columns %v", phaseIDs, columns)
	}
	var want []MatrixRow
	for _, line := range strings.Split(strings.TrimSpace(annexII1), "\n") {
		f := strings.Fields(line)
		row := MatrixRow{Actor: f[0], Phases: []string{}}
		for i, cell := range f[1:] {
			if cell == "X" {
				row.Phases = append(row.Phases, columns[i])
			}
		}
		want = append(want, row)
	}
	if len(m.Matrix) != len(want) {
		t.Errorf("matrix has %d rows, want %d", len(m.Matrix), len(want))
	}
	for i, w := range want {
		if i >= len(m.Matrix) {
			break
		}
		got := m.Matrix[i]
		if got.Actor != w.Actor {
			t.Errorf("row %d: actor %q, want %q", i+1, got.Actor, w.Actor)
			continue
		}
		// Order within a row is data order; the set is what the annex fixes.
		gs, ws := slices.Clone(got.Phases), slices.Clone(w.Phases)
		slices.Sort(gs)
		slices.Sort(ws)
		if !slices.Equal(gs, ws) {
			t.Errorf("%s: phases %v, want %v", w.Actor, got.Phases, w.Phases)
		}
		if got.Ref != "Annex II(1)" {
			t.Errorf("%s: ref %q", w.Actor, got.Ref)
		}
		if r, ok := m.MatrixRow(w.Actor); !ok || !slices.Equal(r.Phases, got.Phases) {
			t.Errorf("MatrixRow(%q) = %v, %v", w.Actor, r, ok)
		}
	}
}

func sortedKeys[V any](mp map[string]V) []string {
	return slices.Sorted(maps.Keys(mp))
}

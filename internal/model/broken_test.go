package model

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eucyber/blueprint/internal/failure"
)

// embeddedFS copies the shipped data files into a MapFS a test may corrupt.
func embeddedFS(tb testing.TB) fstest.MapFS {
	tb.Helper()
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		tb.Fatal(err)
	}
	out := fstest.MapFS{}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(sub, e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		out[e.Name()] = &fstest.MapFile{Data: b}
	}
	return out
}

// edit replaces the one occurrence of old in a file; a test whose old text no
// longer matches the data fails here rather than passing vacuously.
func edit(tb testing.TB, fsys fstest.MapFS, f dataFile, old, new string) {
	tb.Helper()
	name := string(f)
	s := string(fsys[name].Data)
	if n := strings.Count(s, old); n != 1 {
		tb.Fatalf("%s: %q occurs %d times, want 1", name, old, n)
	}
	fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

// problemsOf flattens the Problems in a LoadFS error.
func problemsOf(err error) []*Problem {
	var out []*Problem
	var walk func(error)
	walk = func(err error) {
		if p, ok := err.(*Problem); ok {
			out = append(out, p)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			if e := u.Unwrap(); e != nil {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

func TestBrokenData(t *testing.T) {
	for _, tc := range []struct {
		name    string
		corrupt func(testing.TB, fstest.MapFS)
		want    []string // substrings the error must contain
	}{
		{
			name: "duplicate id",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMechanisms, "- id: eeas-crc\n", "- id: argus\n")
			},
			want: []string{`mechanisms.yaml: mechanism "argus": is defined twice (also entry #1)`},
		},
		{
			name: "duplicate subsector id across sectors",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileSectors, "    - id: rail\n", "    - id: gas\n")
			},
			want: []string{`sectors.yaml: sector "transport": subsector "gas": id "gas" is also a subsector of sector "energy"`},
		},
		{
			name: "subsector id equal to a sector id",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileSectors, "    - id: road\n", "    - id: space\n")
			},
			want: []string{`sectors.yaml: sector "transport": subsector "space": id "space" is also a sector id`},
		},
		{
			name: "dangling mechanism in a sector",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileSectors, "    - ewrs\n", "    - ewrs-typo\n")
			},
			want: []string{`sectors.yaml: sector "health": mechanism "ewrs-typo" is not defined in mechanisms.yaml`},
		},
		{
			name: "dangling mechanism in a subsector",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileSectors, "[eaccc]", "[eaccc, nothing]")
			},
			want: []string{`sectors.yaml: sector "transport": subsector "air": mechanism "nothing" is not defined in mechanisms.yaml`},
		},
		{
			name: "dangling sector in a mechanism",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMechanisms, "  sectors: [air]\n", "  sectors: [air, aviation]\n")
			},
			want: []string{`mechanisms.yaml: mechanism "eaccc": sector "aviation" is not defined in sectors.yaml`},
		},
		{
			name: "mechanism does not name its sector back",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMechanisms, "  sectors: [air]\n", "  sectors: [rail]\n")
			},
			want: []string{`sectors.yaml: sector "transport": subsector "air": mechanism "eaccc" does not list "air" in its sectors in mechanisms.yaml`},
		},
		{
			name: "dangling actor level",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileActors, "  levels: [operational, political]\n", "  levels: [operational, strategic]\n")
			},
			want: []string{`actors.yaml: actor "commission": level "strategic" is not defined in levels.yaml`},
		},
		{
			name: "dangling matrix actor and phase",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMatrix, "- actor: council #", "- actor: parliament #")
				edit(tb, fsys, fileMatrix, "  phases: [preparedness, response-technical, response-operational]\n",
					"  phases: [preparedness, response-tech, response-operational]\n")
			},
			want: []string{
				`matrix.yaml: row "parliament": actor "parliament" is not defined in actors.yaml`,
				`matrix.yaml: row "enisa": phase "response-tech" is not defined in phases.yaml`,
			},
		},
		{
			name: "dangling membership subject and network",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMemberships, "  actor: cert-eu\n", "  actor: cert-xx\n")
				edit(tb, fsys, fileMemberships, "  national_kind: cyber-crisis-management-authority\n  role: member\n",
					"  national_kind: ccma\n  role: member\n")
				edit(tb, fsys, fileMemberships, "- id: csirts-network-commission\n  network: csirts-network\n",
					"- id: csirts-network-commission\n  network: csirt-network\n")
			},
			want: []string{
				`memberships.yaml: membership "csirts-network-cert-eu": actor "cert-xx" is not defined in actors.yaml`,
				`memberships.yaml: membership "eu-cyclone-national-ccmas": national_kind "ccma" is not defined in national_actor_kinds.yaml`,
				`memberships.yaml: membership "csirts-network-commission": network "csirt-network" is not defined in networks.yaml`,
				// The chair is no longer a member once the CCMAs' membership points elsewhere.
				`memberships.yaml: membership "eu-cyclone-chair": chair national_kind:cyber-crisis-management-authority is not an unconditional member of network "eu-cyclone"`,
			},
		},
		{
			name: "membership with two subjects, bad role",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMemberships, "  actor: cert-eu\n  role: member\n", "  actor: cert-eu\n  national_kind: csirt\n  role: president\n")
			},
			want: []string{
				`memberships.yaml: membership "csirts-network-cert-eu": names both actor "cert-eu" and national_kind "csirt"`,
				`memberships.yaml: membership "csirts-network-cert-eu": role "president" is not one of member, observer, secretariat, chair`,
			},
		},
		{
			name: "dangling network secretariat",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileNetworks, "  level: technical\n  secretariat: enisa\n", "  level: technical\n  secretariat: enisa-typo\n")
			},
			want: []string{`networks.yaml: network "csirts-network": secretariat "enisa-typo" is not defined in actors.yaml`},
		},
		{
			name: "dangling clock owner and participant",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileClocks, "  owner: cross-border-cyber-hubs\n", "  owner: hubs\n")
				edit(tb, fsys, fileClocks, "  participants: [commission, eeas, eu-cyclone, csirts-network]\n", "  participants: [commission, hr]\n")
			},
			want: []string{
				`clocks.yaml: clock "hub-information": owner "hubs" is not defined in actors.yaml`,
				`clocks.yaml: clock "secure-comms-agreement": participant "hr" is not defined in actors.yaml`,
			},
		},
		{
			name: "bad enums",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMechanisms, "- id: argus\n  name: Argus\n  type: horizontal\n", "- id: argus\n  name: Argus\n  type: vertical\n")
				edit(tb, fsys, fileActors, "  kind: board\n", "  kind: committee\n")
				edit(tb, fsys, fileLevels, "- id: political\n", "- id: strategic\n")
			},
			want: []string{
				`mechanisms.yaml: mechanism "argus": type "vertical" is not one of horizontal, cyber-specific, sectoral`,
				`actors.yaml: actor "iicb": kind "committee" is not one of`,
				`levels.yaml: level "strategic": is not one of the levels of §52`,
				`levels.yaml: level "political" of §52 is missing`,
			},
		},
		{
			name: "bad deadline",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileClocks, "  deadline: {duration: 24h}\n", "  deadline: {duration: 24 hours}\n")
				edit(tb, fsys, fileClocks, "  deadline: {by: \"03-31\"}\n", "  deadline: {by: \"31-03\"}\n")
			},
			want: []string{
				`clocks.yaml: clock "reserve-deployment": duration "24 hours"`,
				`clocks.yaml: clock "annual-exercise-programme": by "31-03" is not MM-DD`,
			},
		},
		{
			name: "missing id and ref",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileNationalKinds, "- id: sectoral-authority\n", "- id: \"\"\n")
				edit(tb, fsys, fileNationalKinds, "  ref: \"NIS2 art. 8(3)\"\n", "")
			},
			want: []string{
				`national_actor_kinds.yaml: national actor kind #4: has no id`,
				`national_actor_kinds.yaml: national actor kind "single-point-of-contact": has no ref`,
			},
		},
		{
			name: "id not kebab-case",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMechanisms, "- id: medisys\n", "- id: MediSys\n")
				edit(tb, fsys, fileSectors, "    - medisys\n", "    - MediSys\n")
			},
			want: []string{`mechanisms.yaml: mechanism "MediSys": id "MediSys" is not in the expected form`},
		},
		{
			name: "taxonomy tag does not match id",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileSectors, `taxonomy: 'nis2:impact-sectors-impacted="courier"'`, `taxonomy: 'nis2:impact-sectors-impacted="postal"'`)
			},
			want: []string{`sectors.yaml: sector "courier": taxonomy "nis2:impact-sectors-impacted=\"postal\"" does not match its id`},
		},
		{
			name: "unknown field",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileSectors, "- id: health\n", "- id: health\n  colour: red\n")
			},
			want: []string{`sectors.yaml: sector "health": line `, `field colour not found`},
		},
		{
			name: "unknown field in a nested entry",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMemberships, "    id: significant-impact-on-nis2-services\n", "    id: significant-impact-on-nis2-services\n    until: later\n")
			},
			want: []string{`memberships.yaml: membership "eu-cyclone-commission-member": line `, `field until not found`},
		},
		{
			name: "wrong type",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileClocks, "  deadline: {months: 24}\n", "  deadline: {months: two years}\n")
			},
			want: []string{`clocks.yaml: clock "severity-taxonomy": line `, `cannot unmarshal`},
		},
		{
			name: "26 member states",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMemberStates, "- {code: SE, iso_3166: SE, name: Sweden, native_names: [Sverige], ref: \"TEU art. 52(1)\"}\n", "")
			},
			want: []string{`member_states.yaml: has 26 member states, want 27`},
		},
		{
			name: "GR instead of EL",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMemberStates, "code: EL", "code: GR")
			},
			want: []string{`member_states.yaml: member state "GR": code "GR" is the ISO code; the EU code for Greece is "EL"`},
		},
		{
			name: "member state code not two upper-case letters",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileMemberStates, "code: PT", "code: Pt")
			},
			want: []string{`member_states.yaml: member state "Pt": code "Pt" is not in the expected form`},
		},
		{
			name: "two documents",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				fsys[string(fileLevels)].Data = append(fsys[string(fileLevels)].Data, "---\n- id: extra\n  ref: x\n"...)
			},
			want: []string{`levels.yaml: holds more than one YAML document`},
		},
		{
			name: "trailing junk",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				fsys[string(filePhases)].Data = append(fsys[string(filePhases)].Data, "...\n]]] {"...)
			},
			want: []string{`phases.yaml: trailing data after the first YAML document`},
		},
		{
			name: "syntax error",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				fsys[string(filePhases)].Data = append(fsys[string(filePhases)].Data, "]]] {"...)
			},
			want: []string{`phases.yaml: yaml: `},
		},
		{
			name: "empty file",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				fsys[string(fileNetworks)].Data = []byte("# nothing here\n")
			},
			want: []string{`networks.yaml: holds no YAML document`},
		},
		{
			name: "empty list",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				fsys[string(fileClocks)].Data = []byte("[]\n")
			},
			want: []string{`clocks.yaml: holds no entries`},
		},
		{
			name: "missing file",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				delete(fsys, string(fileClocks))
			},
			want: []string{`clocks.yaml: cannot read`},
		},
		{
			// Problems in several files are all reported, not just the first.
			name: "all errors collected",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileSectors, "    - ewrs\n", "    - ewrs-typo\n")
				edit(tb, fsys, fileMemberStates, "code: EL", "code: GR")
				edit(tb, fsys, fileClocks, "  owner: cross-border-cyber-hubs\n", "  owner: hubs\n")
			},
			want: []string{
				`sectors.yaml: sector "health": mechanism "ewrs-typo" is not defined in mechanisms.yaml`,
				`member_states.yaml: member state "GR": code "GR" is the ISO code`,
				`clocks.yaml: clock "hub-information": owner "hubs" is not defined in actors.yaml`,
			},
		},
		{
			name: "decoding problems in several files are all reported",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileSectors, "- id: health\n", "- id: health\n  colour: red\n")
				delete(fsys, string(fileClocks))
			},
			want: []string{`sectors.yaml: sector "health": line `, `clocks.yaml: cannot read`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := embeddedFS(t)
			tc.corrupt(t, fsys)
			m, err := LoadFS(fsys)
			if err == nil {
				t.Fatal("LoadFS succeeded on broken data")
			}
			if m != nil {
				t.Error("LoadFS returned a model with its error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q; got:\n%v", w, err)
				}
			}
			if !failure.Is(err, failure.Invalid) {
				t.Errorf("error kind = %q, want invalid", failure.KindOf(err))
			}
			ps := problemsOf(err)
			if len(ps) == 0 {
				t.Fatalf("no *Problem in %v", err)
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Error("errors.As(*Problem) fails")
			}
			for _, p := range ps {
				if !strings.HasSuffix(p.File, ".yaml") {
					t.Errorf("problem %q names no file", p)
				}
			}
		})
	}
}

// TestLoadFSShipped: LoadFS on an unchanged copy behaves as Load.
func TestLoadFSShipped(t *testing.T) {
	if _, err := LoadFS(embeddedFS(t)); err != nil {
		t.Fatal(err)
	}
}

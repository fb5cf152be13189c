package model

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// fuzzFiles are the files FuzzLoadFS may replace, by index.
func fuzzFiles() []dataFile {
	return []dataFile{
		fileSectors, fileMechanisms, fileActors, fileMemberships, fileNetworks, fileMatrix,
		fileClocks, fileMemberStates, fileLevels, filePhases, fileNationalKinds,
		fileRSIT, fileNIS2Vocabularies,
	}
}

// tinyFS is the smallest consistent data set: one or two entries per table
// (and the 27 Member States, which validation insists on). FuzzLoadFS builds on
// it rather than on the shipped data because each execution parses every file,
// and the fuzzer's minimiser runs the target quadratically often in the size of
// an input; with the shipped 45 KB a short -fuzztime goes on minimising alone.
func tinyFS() fstest.MapFS {
	var states strings.Builder
	for _, code := range strings.Fields("AT BE BG HR CY CZ DK EE FI FR DE EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE") {
		fmt.Fprintf(&states, "- {code: %s, iso_3166: %s, name: x, native_names: [x], ref: r}\n", code, code)
	}
	files := map[dataFile]string{
		fileLevels: `- {id: technical, name: T, description: d, ref: r}
- {id: operational, name: O, description: d, ref: r}
- {id: political, name: P, description: d, ref: r}
`,
		filePhases:        "- {id: p, name: P, level: technical, ref: r}\n",
		fileNationalKinds: "- {id: k, name: K, description: d, ref: r}\n",
		fileActors: `- {id: n, name: N, kind: network, levels: [technical], role: x, ref: r}
- {id: s, name: S, kind: union-entity, levels: [], role: x, ref: r}
`,
		fileMatrix:   "- {actor: n, phases: [p], ref: r}\n",
		fileNetworks: "- {id: n, name: N, level: technical, secretariat: s, ref: r}\n",
		fileMemberships: `- {id: m1, network: n, actor: s, role: secretariat, ref: r}
- {id: m2, network: n, national_kind: k, role: member, ref: r}
- {id: m3, network: n, national_kind: k, role: chair, ref: r}
- {id: m4, network: n, actor: s, role: member, condition: {id: c, text: t}, ref: r}
`,
		fileMechanisms: "- {id: x, name: X, type: sectoral, sectors: [b], description: d, ref: r}\n",
		fileSectors: `- id: a
  name: A
  taxonomy: 'nis2:impact-sectors-impacted="a"'
  mechanisms: []
  ref: r
  subsectors:
    - {id: b, name: B, taxonomy: 'nis2:impact-subsectors-impacted="b"', mechanisms: [x], ref: r}
`,
		fileMemberStates: states.String(),
		fileClocks:       "- {id: c, name: C, starts: s, owner: s, deadline: {undue_delay: true, duration: 1h}, ref: r}\n",
		fileRSIT:         "- {id: c, name: C, description: d, ref: r, types: [{id: t, name: T, description: d, ref: r}]}\n",
		fileNIS2Vocabularies: `- {id: nature-root-cause, name: N, description: d, ref: r, values: [{id: t, name: T, description: d, ref: r}]}
- {id: nature-severity, name: N, description: d, ref: r, values: [{id: t, name: T, description: d, ref: r}]}
- {id: impact-severity, name: N, description: d, ref: r, values: [{id: t, name: T, description: d, ref: r}]}
- {id: impact-outlook, name: N, description: d, ref: r, values: [{id: t, name: T, description: d, ref: r}]}
`,
	}
	out := fstest.MapFS{}
	for f, s := range files {
		out[string(f)] = &fstest.MapFile{Data: []byte(s)}
	}
	return out
}

func TestTinyFSLoads(t *testing.T) {
	if _, err := LoadFS(tinyFS()); err != nil {
		t.Fatalf("the fuzz base does not load: %v", err)
	}
}

// firstEntries cuts a data file after its first n top-level entries, keeping
// seeds small.
func firstEntries(b []byte, n int) []byte {
	s := string(b)
	at := 0
	for range n + 1 {
		i := strings.Index(s[at:], "\n- ")
		if i < 0 {
			return b
		}
		at += i + 1
	}
	return []byte(s[:at])
}

// FuzzLoadFS replaces one data file with arbitrary bytes. LoadFS must not
// panic, and must either succeed or fail with problems that each point at the
// replaced file: in their File, or as the file a dangling reference should be
// defined in. A problem blamed on an untouched file without naming the changed
// one would send a data editor to the wrong place.
//
// Each execution parses all thirteen files, so the fuzzer's minimiser (quadratic
// in the input size, up to a minute per new input by default) can take most of
// a short run; for time-boxed runs add -fuzzminimizetime=10x.
func FuzzLoadFS(f *testing.F) {
	base := tinyFS()
	shipped := embeddedFS(f)
	for i, name := range fuzzFiles() {
		f.Add(uint8(i), base[string(name)].Data)
		f.Add(uint8(i), firstEntries(shipped[string(name)].Data, 2))
	}
	for _, seed := range []string{
		"", "---", "[]", "null", "- {}", "- id: x\n", "{}", "- [1, 2]", "*a", "&a [*a]",
		"- id: a\n  ref: x\n  unknown: 1\n", "---\n---\n", "...\n]]]",
		"- id: a\n  name: E\n  taxonomy: ''\n  mechanisms: [x, x]\n  subsectors: [{id: a}]\n  ref: r\n",
	} {
		f.Add(uint8(0), []byte(seed))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		files := fuzzFiles()
		name := string(files[int(which)%len(files)])
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = v
		}
		fsys[name] = &fstest.MapFile{Data: data}
		m, err := LoadFS(fsys)
		if err == nil {
			if m == nil {
				t.Fatal("LoadFS returned nil model and nil error")
			}
			return
		}
		if m != nil {
			t.Error("LoadFS returned a model with its error")
		}
		if !strings.Contains(err.Error(), name) {
			t.Errorf("after changing %s, the error does not name it: %v", name, err)
		}
		ps := problemsOf(err)
		if len(ps) == 0 {
			t.Fatalf("error holds no *Problem: %v", err)
		}
		for _, p := range ps {
			if p.File != name && !strings.Contains(p.Message, name) {
				t.Errorf("after changing %s, problem does not name it: %v", name, p)
			}
		}
	})
}

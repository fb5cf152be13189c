package model

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eucyber/blueprint/internal/failure"
)

// The taxonomy versions the data cites; a test below holds the MISP files to them.
const (
	rsitNamespace = "rsit"
	rsitVersion   = 1003
	rsitSource    = "RSIT machinev1 (rsit v1003)"
	nis2Namespace = "nis2"
	nis2Version   = 5
	nis2Source    = "MISP nis2 v5"
)

// rsitWant transcribes RSIT v1003 (classification: types, in the taxonomy's
// order), so the tests mean something where the MISP files are absent.
var rsitWant = []struct {
	id    string
	types []string
}{
	{"abusive-content", []string{"spam", "harmful-speech", "violence"}},
	{"malicious-code", []string{"infected-system", "c2-server", "malware-distribution", "malware-configuration"}},
	{"information-gathering", []string{"scanner", "sniffing", "social-engineering"}},
	{"intrusion-attempts", []string{"ids-alert", "brute-force", "exploit"}},
	{"intrusions", []string{"privileged-account-compromise", "unprivileged-account-compromise", "application-compromise", "system-compromise", "burglary"}},
	{"availability", []string{"dos", "ddos", "misconfiguration", "sabotage", "outage"}},
	{"information-content-security", []string{"unauthorised-information-access", "unauthorised-information-modification", "data-loss", "data-leak"}},
	{"fraud", []string{"unauthorised-use-of-resources", "copyright", "masquerade", "phishing"}},
	{"vulnerable", []string{"weak-crypto", "ddos-amplifier", "potentially-unwanted-accessible", "information-disclosure", "vulnerable-system"}},
	{"other", []string{"other", "undetermined"}},
	{"test", []string{"test"}},
}

// nis2Want transcribes the four nis2 v5 scales: vocabulary, then term id and name.
var nis2Want = []struct {
	id     string
	values [][2]string
}{
	{VocabNatureRootCause, [][2]string{
		{"system-failures", "System failures"}, {"natural-phenomena", "Natural phenomena"}, {"human-errors", "Human errors"},
		{"malicious-actions", "Malicious actions"}, {"third-party-failures", "Third party failures"},
	}},
	{VocabNatureSeverity, [][2]string{{"high", "High"}, {"medium", "Medium"}, {"low", "Low"}}},
	{VocabImpactSeverity, [][2]string{{"red", "Red"}, {"yellow", "Yellow"}, {"green", "Green"}, {"white", "White"}}},
	{VocabImpactOutlook, [][2]string{{"improving", "Improving"}, {"stable", "Stable"}, {"worsening", "Worsening"}}},
}

// machinetag is the part of a MISP taxonomy file the tests compare.
type machinetag struct {
	Namespace  string     `json:"namespace"`
	Version    int        `json:"version"`
	Predicates []mtEntry  `json:"predicates"`
	Values     []mtValues `json:"values"`
}

// mtEntry is a predicate or a value of a machinetag.
type mtEntry struct {
	Value       string `json:"value"`
	Expanded    string `json:"expanded"`
	Description string `json:"description"`
}

// mtValues are the values of one predicate.
type mtValues struct {
	Predicate string    `json:"predicate"`
	Entry     []mtEntry `json:"entry"`
}

// readMachinetag reads ../shared/data/misp-taxonomies/<ns>/machinetag.json
// beside the clone, or skips the test: a clone on its own does not have it.
func readMachinetag(t *testing.T, ns string) machinetag {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "data", "misp-taxonomies", ns, "machinetag.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found: the MISP taxonomies live in ../shared beside the clone (CI has them); "+
			"only the transcribed expectation list was checked", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var mt machinetag
	if err := json.Unmarshal(b, &mt); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return mt
}

func TestRSITTranscription(t *testing.T) {
	m := mustLoad(t)
	var got []string
	for _, c := range m.Classifications {
		got = append(got, c.ID)
	}
	var want []string
	for _, w := range rsitWant {
		want = append(want, w.id)
		c, ok := m.Classification(w.id)
		if !ok {
			continue
		}
		var types []string
		for _, typ := range c.Types {
			types = append(types, typ.ID)
		}
		if !slices.Equal(types, w.types) {
			t.Errorf("classification %s: types %v, want %v", w.id, types, w.types)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("classifications %v, want %v", got, want)
	}
}

// TestRSITMatchesMISP: every classification and type of the MISP rsit file is
// in rsit.yaml with the same id, name and description, in the same order, and
// each ref cites the taxonomy version and its machine tag.
func TestRSITMatchesMISP(t *testing.T) {
	mt := readMachinetag(t, rsitNamespace)
	if mt.Namespace != rsitNamespace || mt.Version != rsitVersion {
		t.Fatalf("machinetag.json is %s v%d; rsit.yaml encodes %s v%d: update the data, its refs and this test",
			mt.Namespace, mt.Version, rsitNamespace, rsitVersion)
	}
	m := mustLoad(t)
	if len(m.Classifications) != len(mt.Predicates) {
		t.Errorf("%d classifications, the taxonomy has %d", len(m.Classifications), len(mt.Predicates))
	}
	entries := map[string]int{}
	for i, v := range mt.Values {
		entries[v.Predicate] = i
	}
	for i, p := range mt.Predicates {
		c, ok := m.Classification(p.Value)
		if !ok {
			t.Errorf("classification %q of the taxonomy is missing", p.Value)
			continue
		}
		if i < len(m.Classifications) && m.Classifications[i].ID != p.Value {
			t.Errorf("classification #%d is %q, the taxonomy has %q there", i+1, m.Classifications[i].ID, p.Value)
		}
		if c.Name != p.Expanded || c.Description != p.Description {
			t.Errorf("classification %s: name/description %q / %q, taxonomy %q / %q", c.ID, c.Name, c.Description, p.Expanded, p.Description)
		}
		if tag := "rsit:" + c.ID; c.Ref != rsitSource+": "+tag {
			t.Errorf("classification %s: ref %q does not cite %s and %s", c.ID, c.Ref, rsitSource, tag)
		}
		var want []string
		if k, ok := entries[p.Value]; ok {
			for _, e := range mt.Values[k].Entry {
				want = append(want, e.Value)
				typ, cl, ok := m.IncidentType(IncidentTypeID(p.Value, e.Value))
				if !ok || cl.ID != p.Value {
					t.Errorf("type %s:%s of the taxonomy is missing", p.Value, e.Value)
					continue
				}
				if typ.Name != e.Expanded || typ.Description != e.Description {
					t.Errorf("type %s:%s: name/description %q / %q, taxonomy %q / %q", p.Value, e.Value, typ.Name, typ.Description, e.Expanded, e.Description)
				}
				if tag := "rsit:" + p.Value + "=" + strconv.Quote(e.Value); typ.Ref != rsitSource+": "+tag {
					t.Errorf("type %s:%s: ref %q does not cite %s and %s", p.Value, e.Value, typ.Ref, rsitSource, tag)
				}
			}
		}
		var got []string
		for _, typ := range c.Types {
			got = append(got, typ.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("classification %s: types %v, the taxonomy has %v", c.ID, got, want)
		}
	}
	for _, v := range mt.Values {
		if _, ok := m.Classification(v.Predicate); !ok {
			t.Errorf("the taxonomy has values for %q, which is not a classification here", v.Predicate)
		}
	}
}

func TestNIS2VocabulariesTranscription(t *testing.T) {
	m := mustLoad(t)
	if len(m.Vocabularies) != len(nis2Want) {
		t.Errorf("%d vocabularies, want %d", len(m.Vocabularies), len(nis2Want))
	}
	for _, w := range nis2Want {
		v, ok := m.Vocabulary(w.id)
		if !ok {
			t.Errorf("vocabulary %q missing", w.id)
			continue
		}
		var got [][2]string
		for _, term := range v.Values {
			got = append(got, [2]string{term.ID, term.Name})
		}
		if !slices.Equal(got, w.values) {
			t.Errorf("vocabulary %s: %v, want %v", w.id, got, w.values)
		}
	}
	// The NIS CG meanings of the impact colours.
	for id, meaning := range map[string]string{"red": "Very large impact", "yellow": "Large impact", "green": "Minor impact", "white": "No impact"} {
		if term, _ := m.Term(VocabImpactSeverity, id); !strings.HasPrefix(term.Description, meaning) {
			t.Errorf("impact-severity %s: description %q, want %q", id, term.Description, meaning)
		}
	}
}

// TestNIS2VocabulariesMatchMISP: each vocabulary equals its predicate of the
// MISP nis2 file: the same values, names and descriptions, in the same order.
func TestNIS2VocabulariesMatchMISP(t *testing.T) {
	mt := readMachinetag(t, nis2Namespace)
	if mt.Namespace != nis2Namespace || mt.Version != nis2Version {
		t.Fatalf("machinetag.json is %s v%d; nis2_vocabularies.yaml encodes %s v%d: update the data, its refs and this test",
			mt.Namespace, mt.Version, nis2Namespace, nis2Version)
	}
	m := mustLoad(t)
	for _, v := range m.Vocabularies {
		pi := slices.IndexFunc(mt.Predicates, func(p mtEntry) bool { return p.Value == v.ID })
		if pi < 0 {
			t.Errorf("vocabulary %q is not a predicate of the taxonomy", v.ID)
			continue
		}
		if p := mt.Predicates[pi]; v.Name != p.Expanded || v.Description != p.Description {
			t.Errorf("vocabulary %s: name/description %q / %q, taxonomy %q / %q", v.ID, v.Name, v.Description, p.Expanded, p.Description)
		}
		if tag := "nis2:" + v.ID; v.Ref != nis2Source+": "+tag {
			t.Errorf("vocabulary %s: ref %q does not cite %s and %s", v.ID, v.Ref, nis2Source, tag)
		}
		vi := slices.IndexFunc(mt.Values, func(x mtValues) bool { return x.Predicate == v.ID })
		if vi < 0 {
			t.Errorf("the taxonomy has no values for %q", v.ID)
			continue
		}
		entry := mt.Values[vi].Entry
		if len(v.Values) != len(entry) {
			t.Errorf("vocabulary %s: %d values, the taxonomy has %d", v.ID, len(v.Values), len(entry))
		}
		for i, e := range entry {
			if i >= len(v.Values) {
				break
			}
			term := v.Values[i]
			if term.ID != e.Value || term.Name != e.Expanded || term.Description != e.Description {
				t.Errorf("vocabulary %s value #%d: %q %q %q, taxonomy %q %q %q", v.ID, i+1, term.ID, term.Name, term.Description, e.Value, e.Expanded, e.Description)
			}
			if tag := "nis2:" + v.ID + "=" + strconv.Quote(e.Value); term.Ref != nis2Source+": "+tag {
				t.Errorf("vocabulary %s value %s: ref %q does not cite %s and %s", v.ID, e.Value, term.Ref, nis2Source, tag)
			}
		}
	}
}

func TestVocabularyLookups(t *testing.T) {
	m := mustLoad(t)
	c, ok := m.Classification("malicious-code")
	if !ok || c.Name != "Malicious Code" || len(c.Types) != 4 {
		t.Errorf("Classification(malicious-code) = %+v, %v", c, ok)
	}
	typ, cl, ok := m.IncidentType("malicious-code:infected-system")
	if !ok || typ.ID != "infected-system" || typ.Name != "Infected System" || cl.ID != "malicious-code" {
		t.Errorf("IncidentType(malicious-code:infected-system) = %q, %q, %v", typ.ID, cl.ID, ok)
	}
	if id := IncidentTypeID("intrusion-attempts", "ids-alert"); id != "intrusion-attempts:ids-alert" {
		t.Errorf("IncidentTypeID = %q", id)
	}
	// A type id shared with a classification id is addressed unambiguously.
	if typ, cl, ok := m.IncidentType("other:other"); !ok || typ.Name != "Uncategorised" || cl.ID != "other" {
		t.Errorf("IncidentType(other:other) = %q, %q, %v; want Uncategorised in other", typ.Name, cl.ID, ok)
	}
	for _, miss := range []string{
		"infected-system", "malicious-code", "malicious-code:", ":infected-system", "fraud:infected-system",
		"malicious-code:infected-system:x", "Malicious-Code:infected-system", "",
	} {
		if _, _, ok := m.IncidentType(miss); ok {
			t.Errorf("IncidentType(%q) found", miss)
		}
	}
	for _, miss := range []string{"spam", "Abusive-Content", "rsit:fraud", ""} {
		if _, ok := m.Classification(miss); ok {
			t.Errorf("Classification(%q) found", miss)
		}
	}

	red, ok := m.Term(VocabImpactSeverity, "red")
	if !ok || red.Name != "Red" || red.Description != "Very large impact" {
		t.Errorf("Term(impact-severity, red) = %+v, %v", red, ok)
	}
	if term, ok := m.Term(VocabNatureRootCause, "third-party-failures"); !ok || term.Name != "Third party failures" {
		t.Errorf("Term(nature-root-cause, third-party-failures) = %+v, %v", term, ok)
	}
	if term, ok := m.Term(VocabImpactOutlook, "worsening"); !ok || !strings.Contains(term.Description, "6 hours") {
		t.Errorf("Term(impact-outlook, worsening) = %+v, %v", term, ok)
	}
	for _, miss := range [][2]string{
		{VocabNatureSeverity, "red"}, {VocabImpactSeverity, "high"}, {"impact-sectors-impacted", "energy"},
		{"", "red"}, {VocabImpactSeverity, ""}, {"impact-severity\x00red", ""},
	} {
		if _, ok := m.Term(miss[0], miss[1]); ok {
			t.Errorf("Term(%q, %q) found", miss[0], miss[1])
		}
	}
	if v, ok := m.Vocabulary(VocabNatureSeverity); !ok || v.Name != "Severity of the threat" || len(v.Values) != 3 {
		t.Errorf("Vocabulary(nature-severity) = %+v, %v", v, ok)
	}
	if _, ok := m.Vocabulary("test"); ok {
		t.Error("Vocabulary(test) found; the nis2 test predicate is not encoded")
	}
}

func TestVocabularyJSON(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	for _, v := range []any{Classification{}, IncidentType{}, Vocabulary{}, Term{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			f := typ.Field(i)
			j, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !snake.MatchString(j) {
				t.Errorf("%s.%s: json tag %q is not snake_case", typ.Name(), f.Name, j)
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
	for _, key := range []string{`"classifications":[{"id":"abusive-content"`, `"vocabularies":[{"id":"nature-root-cause"`, `"types":[{"id":"spam"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	if strings.Contains(string(b), `"types":null`) || strings.Contains(string(b), `"values":null`) {
		t.Error("JSON has a null list")
	}
}

func TestVocabularyTables(t *testing.T) {
	m := mustLoad(t)
	for name, want := range map[string][]string{
		"rsit": {`(?m)^CLASSIFICATION +TYPE +NAME +REF$`, `(?m)^malicious-code +infected-system +Infected System +` +
			regexp.QuoteMeta(`RSIT machinev1 (rsit v1003): rsit:malicious-code="infected-system"`) + `$`},
		"nis2": {`(?m)^VOCABULARY +TERM +NAME +DESCRIPTION +REF$`, `(?m)^impact-severity +red +Red +Very large impact +` +
			regexp.QuoteMeta(`MISP nis2 v5: nis2:impact-severity="red"`) + `$`,
			// Long descriptions are cut to keep the table readable.
			`(?m)^nature-root-cause +human-errors +Human errors +The incident is due to a human error, .*… +MISP`},
	} {
		var buf strings.Builder
		if err := m.WriteTable(&buf, name); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !regexp.MustCompile(w).MatchString(buf.String()) {
				t.Errorf("table %s does not match %s:\n%s", name, w, buf.String())
			}
		}
	}
}

// TestBrokenVocabularies checks the rsit and nis2 files are held to the same
// rules as the others: each problem names its file and entry.
func TestBrokenVocabularies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		corrupt func(testing.TB, fstest.MapFS)
		want    []string
	}{
		{
			name: "duplicate classification",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileRSIT, "- id: fraud\n", "- id: intrusions\n")
			},
			want: []string{`rsit.yaml: classification "intrusions": is defined twice (also entry #5)`},
		},
		{
			name: "duplicate type within a classification",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileRSIT, "    - id: ddos\n", "    - id: dos\n")
			},
			want: []string{`rsit.yaml: classification "availability": type "dos": is defined twice (also entry #1)`},
		},
		{
			name: "type without name, ref or id",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileRSIT, "      name: Phishing\n", "      name: \" \"\n")
				edit(tb, fsys, fileRSIT, "      ref: 'RSIT machinev1 (rsit v1003): rsit:vulnerable=\"weak-crypto\"'\n", "")
				edit(tb, fsys, fileRSIT, "    - id: sabotage\n", "    - id: \"\"\n")
			},
			want: []string{
				`rsit.yaml: classification "fraud": type "phishing": has no name`,
				`rsit.yaml: classification "vulnerable": type "weak-crypto": has no ref`,
				`rsit.yaml: classification "availability": type #4: has no id`,
			},
		},
		{
			name: "classification without id or name",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileRSIT, "\n- id: test\n", "\n- id: \"\"\n")
				edit(tb, fsys, fileRSIT, "  name: Fraud\n", "  name: \"\"\n")
			},
			want: []string{`rsit.yaml: classification #11: has no id`, `rsit.yaml: classification "fraud": has no name`},
		},
		{
			name: "type id not kebab-case",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileRSIT, "    - id: c2-server\n", "    - id: C2-Server\n")
			},
			want: []string{`rsit.yaml: classification "malicious-code": type "C2-Server": id "C2-Server" is not in the expected form`},
		},
		{
			name: "unknown field in a type",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileRSIT, "    - id: sabotage\n", "    - id: sabotage\n      colour: red\n")
			},
			want: []string{`rsit.yaml: classification "availability": line `, `field colour not found`},
		},
		{
			name: "empty rsit",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				fsys[string(fileRSIT)].Data = []byte("[]\n")
			},
			want: []string{`rsit.yaml: holds no entries`},
		},
		{
			name: "vocabulary with no values",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				fsys[string(fileNIS2Vocabularies)].Data = append(fsys[string(fileNIS2Vocabularies)].Data,
					"- {id: empty, name: Empty, description: d, ref: r, values: []}\n- {id: absent, name: Absent, description: d, ref: r}\n"...)
			},
			want: []string{
				`nis2_vocabularies.yaml: vocabulary "empty": has no values`,
				`nis2_vocabularies.yaml: vocabulary "absent": has no values`,
			},
		},
		{
			name: "duplicate term, vocabulary without name",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileNIS2Vocabularies, "    - id: medium\n", "    - id: high\n")
				edit(tb, fsys, fileNIS2Vocabularies, "  name: Outlook\n", "  name: \"\"\n")
			},
			want: []string{
				`nis2_vocabularies.yaml: vocabulary "nature-severity": term "high": is defined twice (also entry #1)`,
				`nis2_vocabularies.yaml: vocabulary "impact-outlook": has no name`,
			},
		},
		{
			name: "required vocabulary missing, duplicate vocabulary",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileNIS2Vocabularies, "- id: impact-outlook\n", "- id: nature-severity\n")
			},
			want: []string{
				`nis2_vocabularies.yaml: vocabulary "nature-severity": is defined twice (also entry #2)`,
				`nis2_vocabularies.yaml: vocabulary "impact-outlook" is missing`,
			},
		},
		{
			name: "unknown field in a term",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				edit(tb, fsys, fileNIS2Vocabularies, "    - id: medium\n", "    - id: medium\n      colour: '#FFC000'\n")
			},
			want: []string{`nis2_vocabularies.yaml: vocabulary "nature-severity": line `, `field colour not found`},
		},
		{
			name: "missing files",
			corrupt: func(tb testing.TB, fsys fstest.MapFS) {
				delete(fsys, string(fileRSIT))
				delete(fsys, string(fileNIS2Vocabularies))
			},
			want: []string{`rsit.yaml: cannot read`, `nis2_vocabularies.yaml: cannot read`},
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
			for _, p := range ps {
				if p.File != string(fileRSIT) && p.File != string(fileNIS2Vocabularies) {
					t.Errorf("problem %q blames another file", p)
				}
			}
		})
	}
}

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"Very large impact", 60, "Very large impact"},
		{"one two three", 13, "one two three"},
		{"one two three", 12, "one two…"},
		{"one, two three", 9, "one…"},
		{"unbreakable", 5, "unbr…"},
		{"  spaced\n out  ", 60, "spaced out"},
		{"Ελλάδα Ελλάδα", 8, "Ελλάδα…"},
	} {
		if got := shorten(tc.in, tc.n); got != tc.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
		if got := shorten(tc.in, tc.n); len([]rune(got)) > tc.n {
			t.Errorf("shorten(%q, %d) = %q is longer than %d runes", tc.in, tc.n, got, tc.n)
		}
	}
}

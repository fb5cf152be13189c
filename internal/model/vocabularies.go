package model

import (
	"strings"
)

// Incident vocabularies: the values the product needs at run time to classify
// an incident, encoded from published taxonomies and citing their version.
//
//	rsit.yaml               RSIT classifications and incident types (MISP rsit v1003)
//	nis2_vocabularies.yaml  nature and impact scales of the MISP nis2 taxonomy (v5)

// Vocabulary ids the loader requires in nis2_vocabularies.yaml, so code may
// name them. They are the predicates of the MISP nis2 taxonomy.
const (
	VocabNatureRootCause = "nature-root-cause" // system-failures, natural-phenomena, human-errors, malicious-actions, third-party-failures
	VocabNatureSeverity  = "nature-severity"   // high, medium, low: severity of the threat
	VocabImpactSeverity  = "impact-severity"   // red, yellow, green, white: severity of the impact
	VocabImpactOutlook   = "impact-outlook"    // improving, stable, worsening over the next 6 hours
)

// requiredVocabularies are the vocabularies nis2_vocabularies.yaml must define.
var requiredVocabularies = []string{VocabNatureRootCause, VocabNatureSeverity, VocabImpactSeverity, VocabImpactOutlook}

// Classification is an RSIT classification (the taxonomy's first column, e.g.
// malicious-code) with its incident types.
type Classification struct {
	ID          string         `yaml:"id" json:"id"`
	Name        string         `yaml:"name" json:"name"`
	Description string         `yaml:"description" json:"description"`
	Types       []IncidentType `yaml:"types" json:"types"`
	Ref         string         `yaml:"ref" json:"ref"`
}

// IncidentType is an RSIT incident type (the second column, e.g.
// infected-system). Its ID is unique only within its classification; address it
// as "<classification>:<type>" (see IncidentTypeID).
type IncidentType struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
	Ref         string `yaml:"ref" json:"ref"`
}

// Vocabulary is a closed list of terms, such as the nis2 impact severity scale.
// Its ID is the taxonomy predicate it encodes.
type Vocabulary struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
	Values      []Term `yaml:"values" json:"values"`
	Ref         string `yaml:"ref" json:"ref"`
}

// Term is one value of a Vocabulary.
type Term struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
	Ref         string `yaml:"ref" json:"ref"`
}

// IncidentTypeID returns the qualified id of an RSIT incident type,
// "<classification>:<type>", as IncidentType accepts it.
func IncidentTypeID(classification, typ string) string {
	return classification + ":" + typ
}

// Classification returns the RSIT classification with the given id.
func (m *Model) Classification(id string) (Classification, bool) {
	i, ok := m.classifications[id]
	if !ok {
		return Classification{}, false
	}
	return m.Classifications[i], true
}

// IncidentType returns the RSIT incident type with the qualified id
// "<classification>:<type>" (e.g. "malicious-code:infected-system") and its
// classification. A bare type id is not found.
func (m *Model) IncidentType(qualified string) (IncidentType, Classification, bool) {
	ix, ok := m.incidentTypes[qualified]
	if !ok {
		return IncidentType{}, Classification{}, false
	}
	c := m.Classifications[ix[0]]
	return c.Types[ix[1]], c, true
}

// Vocabulary returns the vocabulary with the given id (e.g. VocabImpactSeverity).
func (m *Model) Vocabulary(id string) (Vocabulary, bool) {
	i, ok := m.vocabularies[id]
	if !ok {
		return Vocabulary{}, false
	}
	return m.Vocabularies[i], true
}

// Term returns the term id of a vocabulary, e.g. Term(VocabImpactSeverity, "red").
func (m *Model) Term(vocabulary, id string) (Term, bool) {
	ix, ok := m.terms[vocabulary+"\x00"+id]
	if !ok {
		return Term{}, false
	}
	return m.Vocabularies[ix[0]].Values[ix[1]], true
}

func typeName(c Classification, i int, t IncidentType, j int) string {
	return entryName("classification", c.ID, i) + ": " + entryName("type", t.ID, j)
}

func termName(v Vocabulary, i int, t Term, j int) string {
	return entryName("vocabulary", v.ID, i) + ": " + entryName("term", t.ID, j)
}

// nested indexes the entries of one list inside an entry, reporting empty,
// malformed and duplicate ids, missing refs and missing names. add stores an
// entry under its id.
func nested(ps *problems, f dataFile, n int, get func(j int) (id, name, ref, e string), add func(id string, j int)) {
	seen := make(map[string]int, n)
	for j := range n {
		id, name, ref, e := get(j)
		if strings.TrimSpace(ref) == "" {
			ps.add(f, e, "has no ref; every entry cites its source")
		}
		required(ps, f, e, "name", name)
		switch {
		case id == "":
			ps.add(f, e, "has no id")
			continue
		case !kebab.MatchString(id):
			ps.add(f, e, "id %q is not in the expected form %s", id, kebab)
		}
		if first, dup := seen[id]; dup {
			ps.add(f, e, "is defined twice (also entry #%d)", first+1)
			continue
		}
		seen[id] = j
		add(id, j)
	}
}

// checkClassifications indexes and checks rsit.yaml.
func (m *Model) checkClassifications(ps *problems) {
	m.classifications = index(ps, fileRSIT, len(m.Classifications), func(i int) (string, string) {
		return m.Classifications[i].ID, m.Classifications[i].Ref
	}, kebab)
	m.incidentTypes = make(map[string][2]int)
	for i, c := range m.Classifications {
		required(ps, fileRSIT, entryName("classification", c.ID, i), "name", c.Name)
		if m.classifications[c.ID] != i || c.ID == "" {
			continue // a duplicate or id-less classification: its types have no address
		}
		nested(ps, fileRSIT, len(c.Types), func(j int) (string, string, string, string) {
			t := c.Types[j]
			return t.ID, t.Name, t.Ref, typeName(c, i, t, j)
		}, func(id string, j int) {
			m.incidentTypes[IncidentTypeID(c.ID, id)] = [2]int{i, j}
		})
	}
}

// checkVocabularies indexes and checks nis2_vocabularies.yaml.
func (m *Model) checkVocabularies(ps *problems) {
	m.vocabularies = index(ps, fileNIS2Vocabularies, len(m.Vocabularies), func(i int) (string, string) {
		return m.Vocabularies[i].ID, m.Vocabularies[i].Ref
	}, kebab)
	m.terms = make(map[string][2]int)
	for i, v := range m.Vocabularies {
		e := entryName("vocabulary", v.ID, i)
		required(ps, fileNIS2Vocabularies, e, "name", v.Name)
		if len(v.Values) == 0 {
			ps.add(fileNIS2Vocabularies, e, "has no values")
		}
		if m.vocabularies[v.ID] != i || v.ID == "" {
			continue
		}
		nested(ps, fileNIS2Vocabularies, len(v.Values), func(j int) (string, string, string, string) {
			t := v.Values[j]
			return t.ID, t.Name, t.Ref, termName(v, i, t, j)
		}, func(id string, j int) {
			m.terms[v.ID+"\x00"+id] = [2]int{i, j}
		})
	}
	for _, want := range requiredVocabularies {
		if _, ok := m.vocabularies[want]; !ok {
			ps.add(fileNIS2Vocabularies, "", "vocabulary %q is missing; the product names it", want)
		}
	}
}

// normaliseVocabularies replaces nil lists with empty ones for the JSON API.
func (m *Model) normaliseVocabularies() {
	for i := range m.Classifications {
		if m.Classifications[i].Types == nil {
			m.Classifications[i].Types = []IncidentType{}
		}
	}
	for i := range m.Vocabularies {
		if m.Vocabularies[i].Values == nil {
			m.Vocabularies[i].Values = []Term{}
		}
	}
}

// rsitRows is the rsit table: a row per classification, then one per type.
func (m *Model) rsitRows() [][]string {
	rows := [][]string{{"CLASSIFICATION", "TYPE", "NAME", "REF"}}
	for _, c := range m.Classifications {
		rows = append(rows, []string{c.ID, "", c.Name, c.Ref})
		for _, t := range c.Types {
			rows = append(rows, []string{c.ID, t.ID, t.Name, t.Ref})
		}
	}
	return rows
}

// nis2Rows is the nis2 table: a row per vocabulary, then one per term with its
// description, which is where the scale's meaning ("Very large impact") is.
func (m *Model) nis2Rows() [][]string {
	rows := [][]string{{"VOCABULARY", "TERM", "NAME", "DESCRIPTION", "REF"}}
	for _, v := range m.Vocabularies {
		rows = append(rows, []string{v.ID, "", v.Name, "", v.Ref})
		for _, t := range v.Values {
			rows = append(rows, []string{v.ID, t.ID, t.Name, shorten(t.Description, descriptionWidth), t.Ref})
		}
	}
	return rows
}

// descriptionWidth is the most of a description a table shows; the data files
// and the JSON API have the whole text.
const descriptionWidth = 70

// shorten cuts s to at most n runes at a word boundary, marking the cut with "…".
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

package model

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"go.yaml.in/yaml/v3"

	"github.com/eucyber/blueprint/internal/failure"
)

// The data ships inside the binary so that every node runs the same text of the
// Recommendation; changing it means a new release, reviewed like code.
//
//go:embed data/*.yaml
var embedded embed.FS

// dataFile is the name of one data file, one per table.
type dataFile string

const (
	fileActors        dataFile = "actors.yaml"
	fileNationalKinds dataFile = "national_actor_kinds.yaml"
	fileLevels        dataFile = "levels.yaml"
	filePhases        dataFile = "phases.yaml"
	fileMatrix        dataFile = "matrix.yaml"
	fileNetworks      dataFile = "networks.yaml"
	fileMemberships   dataFile = "memberships.yaml"
	fileMechanisms    dataFile = "mechanisms.yaml"
	fileSectors       dataFile = "sectors.yaml"
	fileMemberStates  dataFile = "member_states.yaml"
	fileClocks        dataFile = "clocks.yaml"

	fileRSIT             dataFile = "rsit.yaml"
	fileNIS2Vocabularies dataFile = "nis2_vocabularies.yaml"
)

// entry is what one entry of the file is called in messages.
func (f dataFile) entry() string {
	switch f {
	case fileActors:
		return "actor"
	case fileNationalKinds:
		return "national actor kind"
	case fileLevels:
		return "level"
	case filePhases:
		return "phase"
	case fileMatrix:
		return "row"
	case fileNetworks:
		return "network"
	case fileMemberships:
		return "membership"
	case fileMechanisms:
		return "mechanism"
	case fileSectors:
		return "sector"
	case fileMemberStates:
		return "member state"
	case fileClocks:
		return "clock"
	case fileRSIT:
		return "classification"
	case fileNIS2Vocabularies:
		return "vocabulary"
	}
	return "entry"
}

// key is the field that identifies an entry of the file.
func (f dataFile) key() string {
	switch f {
	case fileMatrix:
		return "actor"
	case fileMemberStates:
		return "code"
	}
	return "id"
}

// Problem is one thing wrong with the data files. Load returns all of them
// joined, so a data editor fixes everything in one pass.
type Problem struct {
	File    string // e.g. "sectors.yaml"
	Entry   string // e.g. `sector "health"`; empty for a problem with the whole file
	Message string
}

func (p *Problem) Error() string {
	if p.Entry == "" {
		return p.File + ": " + p.Message
	}
	return p.File + ": " + p.Entry + ": " + p.Message
}

// problems collects Problems in the order found.
type problems struct{ list []error }

func (ps *problems) add(f dataFile, entry, format string, args ...any) {
	ps.list = append(ps.list, &Problem{File: string(f), Entry: entry, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return failure.Wrap(failure.Invalid, errors.Join(ps.list...), "model data is invalid")
}

// Load parses and validates the embedded data files.
func Load() (*Model, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, fmt.Errorf("model.Load: %w", err)
	}
	return LoadFS(sub)
}

// LoadFS parses and validates the data files found at the root of fsys. The
// error, if any, holds every problem found, each naming its file and entry.
func LoadFS(fsys fs.FS) (*Model, error) {
	m := &Model{}
	var ps problems
	decode(fsys, fileActors, &m.Actors, &ps)
	decode(fsys, fileNationalKinds, &m.NationalActorKinds, &ps)
	decode(fsys, fileLevels, &m.Levels, &ps)
	decode(fsys, filePhases, &m.Phases, &ps)
	decode(fsys, fileMatrix, &m.Matrix, &ps)
	decode(fsys, fileNetworks, &m.Networks, &ps)
	decode(fsys, fileMemberships, &m.Memberships, &ps)
	decode(fsys, fileMechanisms, &m.Mechanisms, &ps)
	decode(fsys, fileSectors, &m.Sectors, &ps)
	decode(fsys, fileMemberStates, &m.MemberStates, &ps)
	decode(fsys, fileClocks, &m.Clocks, &ps)
	decode(fsys, fileRSIT, &m.Classifications, &ps)
	decode(fsys, fileNIS2Vocabularies, &m.Vocabularies, &ps)
	// Cross-references into a file that did not decode would all report as
	// dangling and bury the real problem, so stop at decoding problems.
	if err := ps.err(); err != nil {
		return nil, err
	}
	m.validate(&ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	m.normalise()
	m.normaliseVocabularies()
	return m, nil
}

// decode reads one file holding exactly one YAML document, a list of entries,
// rejecting fields the types do not have: a misspelt key would otherwise be
// dropped silently and the entry would lose, say, its condition.
func decode[T any](fsys fs.FS, f dataFile, out *[]T, ps *problems) {
	b, err := fs.ReadFile(fsys, string(f))
	if err != nil {
		ps.add(f, "", "cannot read: %v", err)
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(out); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.Is(err, io.EOF):
			ps.add(f, "", "holds no YAML document")
		case errors.As(err, &te):
			// The decoder names lines; name the entries too, which is what a
			// data editor searches for.
			var doc yaml.Node
			_ = yaml.Unmarshal(b, &doc) // it parsed once already; a failure only loses the entry names
			for _, msg := range te.Errors {
				ps.add(f, entryAtLine(&doc, f, msg), "%s", msg)
			}
		default:
			ps.add(f, "", "%v", err)
		}
		return
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		ps.add(f, "", "trailing data after the first YAML document: %v", err)
		return
	default:
		ps.add(f, "", "holds more than one YAML document; put all entries in one list")
		return
	}
	if len(*out) == 0 {
		ps.add(f, "", "holds no entries")
	}
}

// entryAtLine names the top-level entry that holds the line a yaml.TypeError
// message starts with ("line 12: ..."), or "" if there is none.
func entryAtLine(doc *yaml.Node, f dataFile, msg string) string {
	var line int
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err != nil {
		return ""
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.SequenceNode {
		return ""
	}
	items := doc.Content[0].Content
	found := -1
	for i, n := range items {
		if n.Line <= line {
			found = i
		}
	}
	if found < 0 {
		return ""
	}
	return entryName(f.entry(), scalarAt(items[found], f.key()), found)
}

// scalarAt returns the scalar value of key in a mapping node, or "".
func scalarAt(n *yaml.Node, key string) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == key && v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	return ""
}

// normalise replaces nil lists with empty ones so the JSON API shows [] rather
// than null for "none".
func (m *Model) normalise() {
	for i := range m.Actors {
		if m.Actors[i].Levels == nil {
			m.Actors[i].Levels = []string{}
		}
	}
	for i := range m.Matrix {
		if m.Matrix[i].Phases == nil {
			m.Matrix[i].Phases = []string{}
		}
	}
	for i := range m.Sectors {
		s := &m.Sectors[i]
		if s.Mechanisms == nil {
			s.Mechanisms = []string{}
		}
		for j := range s.Subsectors {
			if s.Subsectors[j].Mechanisms == nil {
				s.Subsectors[j].Mechanisms = []string{}
			}
		}
	}
	for i := range m.MemberStates {
		if m.MemberStates[i].NativeNames == nil {
			m.MemberStates[i].NativeNames = []string{}
		}
	}
}

package severity

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/eucyber/blueprint/internal/failure"
)

// The default ships inside the binary, so every node that has not chosen
// another taxonomy scores with the same one.
//
//go:embed data/default.yaml
var defaultYAML []byte

// DefaultFile is the name the embedded default goes by in messages.
const DefaultFile = "severity/data/default.yaml"

// Default returns the embedded default taxonomy, the project's own pending the
// taxonomy §30 asks EU-CyCLONe to agree. Each call returns a fresh copy.
func Default() (*Taxonomy, error) {
	return Parse(DefaultFile, defaultYAML)
}

// LoadFile reads and parses the taxonomy file at path in fsys (for
// --severity-taxonomy the caller passes os.DirFS of the file's directory).
func LoadFile(fsys fs.FS, path string) (*Taxonomy, error) {
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, failure.Wrap(failure.NotFound, err, "severity taxonomy %s does not exist", path)
		}
		return nil, fmt.Errorf("severity.LoadFile(%s): %w", path, err)
	}
	return Parse(path, b)
}

// Problem is one thing wrong with a taxonomy file. Parse returns all of them
// joined, so the editor of the file fixes everything in one pass.
type Problem struct {
	File    string // the name given to Parse
	Entry   string // e.g. `dimension "damage": level 2`; empty for the whole file
	Message string
}

func (p *Problem) Error() string {
	if p.Entry == "" {
		return p.File + ": " + p.Message
	}
	return p.File + ": " + p.Entry + ": " + p.Message
}

// problems collects Problems in the order found.
type problems struct {
	file string
	list []error
}

func (ps *problems) add(entry, format string, args ...any) {
	ps.list = append(ps.list, &Problem{File: ps.file, Entry: entry, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return failure.Wrap(failure.Invalid, errors.Join(ps.list...), "severity taxonomy %s is invalid", ps.file)
}

// Parse decodes and validates a taxonomy file (YAML). name is how messages
// call the file. Unknown fields are errors (a misspelt key would otherwise be
// dropped silently); the error holds every problem found, each naming the
// file and the entry at fault.
func Parse(name string, data []byte) (*Taxonomy, error) {
	ps := &problems{file: name}
	t := decode(data, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	t.validate(ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return t, nil
}

// goTypeInMessage matches the Go types the YAML decoder names in its
// messages, which mean nothing to the editor of a data file.
var goTypeInMessage = regexp.MustCompile(`( in type| into) severity\.\w+`)

// plainMessage rewrites a YAML decoder message in the data file's terms.
func plainMessage(msg string) string {
	return goTypeInMessage.ReplaceAllStringFunc(msg, func(m string) string {
		if strings.HasPrefix(m, " in type") {
			return ""
		}
		switch m[len(" into severity."):] {
		case "Taxonomy":
			return " into a taxonomy (the file must be a mapping of id, name, version, status, dimensions, bands…)"
		case "Dimension":
			return " into a dimension"
		case "Level":
			return " into a level"
		case "Band":
			return " into a band"
		case "Floor":
			return " into a floor"
		case "SignificanceRule":
			return " into the significance section"
		case "Threshold":
			return " into a threshold"
		}
		return ""
	})
}

// decode reads one YAML document into a Taxonomy, reporting decoding problems.
func decode(data []byte, ps *problems) *Taxonomy {
	if len(data) > maxFileBytes {
		ps.add("", "is %d bytes, more than the %d a taxonomy file may have", len(data), maxFileBytes)
		return nil
	}
	t := &Taxonomy{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(t); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.Is(err, io.EOF):
			ps.add("", "holds no YAML document")
		case errors.As(err, &te):
			var doc yaml.Node
			_ = yaml.Unmarshal(data, &doc) // it parsed once already; a failure only loses the entry names
			for _, msg := range te.Errors {
				ps.add(entryAtLine(&doc, msg), "%s", plainMessage(msg))
			}
		default:
			ps.add("", "%v", err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		ps.add("", "trailing data after the first YAML document: %v", err)
	default:
		ps.add("", "holds more than one YAML document; a taxonomy file holds one")
	}
	return t
}

// entryAtLine names the entry that holds the line a yaml.TypeError message
// starts with ("line 12: ..."), or "" if there is none: what a data editor
// searches for, beside the line number.
func entryAtLine(doc *yaml.Node, msg string) string {
	var line int
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err != nil {
		return ""
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return ""
	}
	key, val := pairAtLine(doc.Content[0], line)
	if key == nil {
		return ""
	}
	kind := map[string]string{"dimensions": "dimension", "bands": "band", "floors": "floor"}[key.Value]
	switch {
	case key.Value == "significance":
		return "significance"
	case kind == "" || val.Kind != yaml.SequenceNode:
		return ""
	}
	i, item := itemAtLine(val, line)
	if item == nil {
		return ""
	}
	name := entryName(kind, scalarAt(item, "id"), i)
	if kind != "dimension" || item.Kind != yaml.MappingNode {
		return name
	}
	if k, v := pairAtLine(item, line); k != nil && k.Value == "levels" && v.Kind == yaml.SequenceNode {
		if j, lv := itemAtLine(v, line); lv != nil {
			return name + ": " + levelName(scalarAt(lv, "level"), j)
		}
	}
	return name
}

// pairAtLine returns the last key/value pair of a mapping that starts at or
// before line.
func pairAtLine(m *yaml.Node, line int) (key, val *yaml.Node) {
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Line <= line {
			key, val = m.Content[i], m.Content[i+1]
		}
	}
	return key, val
}

// itemAtLine returns the last item of a sequence that starts at or before line.
func itemAtLine(s *yaml.Node, line int) (int, *yaml.Node) {
	found, item := -1, (*yaml.Node)(nil)
	for i, n := range s.Content {
		if n.Line <= line {
			found, item = i, n
		}
	}
	return found, item
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

// entryName is how messages name an entry: by id, or by position when it has
// none.
func entryName(kind, id string, i int) string {
	if id == "" {
		return fmt.Sprintf("%s #%d", kind, i+1)
	}
	return fmt.Sprintf("%s %q", kind, id)
}

// levelName names the level entry at position j whose level field reads n.
func levelName(n string, j int) string {
	if n == "" {
		return fmt.Sprintf("level entry #%d", j+1)
	}
	return "level " + n
}

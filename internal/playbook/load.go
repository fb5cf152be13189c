package playbook

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
)

// The steps ship inside the binary, so every node runs the same reading of
// the Recommendation; changing it means a new release, reviewed like code.
//
//go:embed data/steps.yaml
var embeddedSteps []byte

// EmbeddedFile is the name the embedded steps file goes by in messages.
const EmbeddedFile = "playbook/data/steps.yaml"

// maxFileBytes bounds a steps file: the embedded one is a few dozen KiB.
const maxFileBytes = 1 << 20

// Problem is one thing wrong with a steps file. Parse returns all of them
// joined, so the editor of the file fixes everything in one pass.
type Problem struct {
	File    string // the name given to Parse
	Entry   string // e.g. `step "procedural-arrangements"`; empty for the whole file
	Field   string // e.g. "owner", "when.level_at_least"; empty for the whole entry
	Message string
}

func (p *Problem) Error() string {
	parts := []string{p.File}
	for _, s := range []string{p.Entry, p.Field} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(append(parts, p.Message), ": ")
}

// problems collects Problems in the order found.
type problems struct {
	file string
	list []error
}

func (ps *problems) add(entry, field, format string, args ...any) {
	ps.list = append(ps.list, &Problem{File: ps.file, Entry: entry, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return failure.Wrap(failure.Invalid, errors.Join(ps.list...), "playbook %s is invalid", ps.file)
}

// fileData is the steps file as written.
type fileData struct {
	Clocks []fileClock `yaml:"clocks"`
	Steps  []fileStep  `yaml:"steps"`
}

type fileClock struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Duration string   `yaml:"duration"`
	Months   int      `yaml:"months"`
	Source   string   `yaml:"source"`
	Model    []string `yaml:"model"`
}

type fileStep struct {
	ID       string     `yaml:"id"`
	Title    string     `yaml:"title"`
	Ref      string     `yaml:"ref"`
	Owner    string     `yaml:"owner"`
	With     []string   `yaml:"with"`
	Level    string     `yaml:"level"`
	Optional bool       `yaml:"optional"`
	When     Condition  `yaml:"when"`
	DoneBy   Completion `yaml:"done_by"`
	Clock    *ClockRef  `yaml:"clock"`
	Note     string     `yaml:"note"`
}

// Parse decodes and validates a steps file (YAML) against the model: owners
// and levels must be the model's, event kinds the model's networks and Member
// States, and a clock's default must agree with the figure the model's clock
// states. name is how messages call the file. Unknown fields are errors (a
// misspelt "wen:" would otherwise make a step apply always); the error holds
// every problem found, each naming the file, the step or clock and the field.
func Parse(name string, data []byte, m *model.Model) (*Playbook, error) {
	if m == nil {
		return nil, errors.New("playbook.Parse: no model")
	}
	ps := &problems{file: name}
	f := decode(data, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	p := build(f, m, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// embeddedClockIDs returns the clock ids of the embedded file, for checking
// overrides before a whole playbook is built.
func embeddedClockIDs() (map[string]bool, error) {
	ps := &problems{file: EmbeddedFile}
	f := decode(embeddedSteps, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(f.Clocks))
	for _, c := range f.Clocks {
		ids[c.ID] = true
	}
	return ids, nil
}

// decode reads one YAML document into fileData, reporting decoding problems.
func decode(data []byte, ps *problems) *fileData {
	if len(data) > maxFileBytes {
		ps.add("", "", "is %d bytes, more than the %d a steps file may have", len(data), maxFileBytes)
		return nil
	}
	f := &fileData{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.Is(err, io.EOF):
			ps.add("", "", "holds no YAML document")
		case errors.As(err, &te):
			var doc yaml.Node
			_ = yaml.Unmarshal(data, &doc) // it parsed once already; a failure only loses the entry names
			for _, msg := range te.Errors {
				ps.add(entryAtLine(&doc, msg), "", "%s", plainMessage(msg))
			}
		default:
			ps.add("", "", "%v", err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		ps.add("", "", "trailing data after the first YAML document: %v", err)
	default:
		ps.add("", "", "holds more than one YAML document; a steps file holds one")
	}
	return f
}

// goTypeInMessage matches the Go types the YAML decoder names in its
// messages, which mean nothing to the editor of a data file.
var goTypeInMessage = regexp.MustCompile(`( in type| into) (\[\])?\*?playbook\.\w+`)

// plainMessage rewrites a YAML decoder message in the data file's terms.
func plainMessage(msg string) string {
	return goTypeInMessage.ReplaceAllStringFunc(msg, func(m string) string {
		if strings.HasPrefix(m, " in type") {
			return ""
		}
		switch m[strings.LastIndex(m, ".")+1:] {
		case "fileClock", "fileStep":
			if strings.Contains(m, "[]") {
				return " into a list of entries"
			}
		}
		switch m[strings.LastIndex(m, ".")+1:] {
		case "fileData":
			return " into a steps file (a mapping of clocks and steps)"
		case "fileClock":
			return " into a clock"
		case "fileStep":
			return " into a step"
		case "Condition":
			return " into a condition (when)"
		case "Completion":
			return " into a completion (done_by)"
		case "ClockRef":
			return " into a clock reference (clock)"
		}
		return ""
	})
}

// entryAtLine names the clock or step holding the line a yaml.TypeError
// message starts with ("line 12: ..."), or "" if there is none: what a data
// editor searches for, beside the line number.
func entryAtLine(doc *yaml.Node, msg string) string {
	var line int
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err != nil {
		return ""
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return ""
	}
	var key, val *yaml.Node
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Line <= line {
			key, val = root.Content[i], root.Content[i+1]
		}
	}
	if key == nil || val.Kind != yaml.SequenceNode {
		return ""
	}
	kind := map[string]string{"clocks": "clock", "steps": "step"}[key.Value]
	if kind == "" {
		return ""
	}
	found := -1
	for i, n := range val.Content {
		if n.Line <= line {
			found = i
		}
	}
	if found < 0 {
		return ""
	}
	return entryName(kind, scalarAt(val.Content[found], "id"), found)
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

package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/eucyber/blueprint/internal/tlp"
)

// Reading STIX from outside (R16): a bundle from MISP, OpenCTI or another
// node, or the objects of a TAXII envelope. Each object is accepted or refused
// on its own, with the reason, so one bad object does not cost the others:
// it must be a STIX 2.1 object of a type the OASIS schemas define and match
// its schema; it must carry a TLP marking (TLP 2.0 or 1.0) — unmarked input is
// refused, never defaulted (DESIGN §5); it may not be marked as, or contain, EU
// classified information (§5(d), §76).

// Object is one accepted object.
type Object struct {
	ID   string
	Type string
	// Version is its modified time, or created for an object without
	// versions (TAXII §5.8), as written.
	Version string
	// Label is the most restrictive TLP marking on it, object-level or
	// granular: the platform shows or hides an object whole.
	Label tlp.Label
	// Definition: a TLP or extension definition the node knows already; it
	// is read to resolve the others, and not stored.
	Definition bool
	Raw        json.RawMessage
}

// Refusal is one object refused, with why. Index is its position in the
// bundle's objects; ID is empty when the object has none that is valid.
type Refusal struct {
	Index int    `json:"index"`
	ID    string `json:"id,omitempty"`
	// Version is the refused object's modified (or created) as written, if it
	// has one.
	Version string `json:"version,omitempty"`
	Reason  string `json:"reason"`
}

// Read is what a bundle held.
type Read struct {
	Objects []Object
	Refused []Refusal
}

// maxObjects bounds one bundle, so one request cannot hold the node.
const maxObjects = 10_000

// ReadBundle reads a STIX 2.1 bundle. An error means the input is not a
// bundle at all; otherwise each object is in Objects or Refused.
func ReadBundle(b []byte) (Read, error) {
	var top struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := strictTop(b, &top); err != nil {
		return Read{}, err
	}
	if top.Type != "bundle" {
		return Read{}, fmt.Errorf("type is %q: a STIX bundle has type \"bundle\"", top.Type)
	}
	if t, ok := TypeOf(top.ID); !ok || t != "bundle" {
		return Read{}, fmt.Errorf("id %q is not a bundle identifier (bundle--<UUID>)", top.ID)
	}
	return ReadObjects(top.Objects)
}

// ReadObjects reads the objects of a bundle or a TAXII envelope.
func ReadObjects(raws []json.RawMessage) (Read, error) {
	if len(raws) > maxObjects {
		return Read{}, fmt.Errorf("%d objects: at most %d in one request; split the bundle", len(raws), maxObjects)
	}
	defs := definitionsIn(raws)
	var out Read
	for i, raw := range raws {
		obj, err := readObject(raw, defs)
		if err != nil {
			out.Refused = append(out.Refused, Refusal{Index: i, ID: obj.ID, Version: obj.Version, Reason: err.Error()})
			continue
		}
		out.Objects = append(out.Objects, obj)
	}
	return out, nil
}

func strictTop(b []byte, v any) error {
	if !json.Valid(b) {
		return errors.New("not valid JSON")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("not a STIX bundle: %w", err)
	}
	return nil
}

// definition is a marking definition a bundle brings: its TLP label, or the
// statement it makes.
type definition struct {
	label     tlp.Label
	statement string
}

// definitionsIn indexes the bundle's marking definitions by id, so objects may
// refer to them whatever their order.
func definitionsIn(raws []json.RawMessage) map[string]definition {
	defs := map[string]definition{}
	for _, raw := range raws {
		var md struct {
			Type           string `json:"type"`
			ID             string `json:"id"`
			DefinitionType string `json:"definition_type"`
			Definition     struct {
				Statement string `json:"statement"`
			} `json:"definition"`
		}
		if json.Unmarshal(raw, &md) != nil || md.Type != "marking-definition" {
			continue
		}
		if l, ok := LabelOf(md.ID); ok {
			defs[md.ID] = definition{label: l}
		} else if md.DefinitionType == "statement" {
			defs[md.ID] = definition{statement: md.Definition.Statement}
		}
	}
	return defs
}

func readObject(raw json.RawMessage, defs map[string]definition) (Object, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return Object{}, fmt.Errorf("not valid JSON: %v", err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return Object{}, errors.New("not a JSON object")
	}
	id, _ := m["id"].(string)
	stixType, _ := m["type"].(string)
	obj := Object{Type: stixType, Raw: raw}
	for _, prop := range []string{"modified", "created"} {
		if v, ok := m[prop].(string); ok && obj.Version == "" {
			if _, ok := ParseTimestamp(v); ok {
				obj.Version = v
			}
		}
	}
	if t, ok := TypeOf(id); ok {
		obj.ID = id
		if t != stixType {
			return obj, fmt.Errorf("id %q does not begin with its type %q", id, stixType)
		}
	}
	// Classified information is refused before anything else is said of it.
	if level, ok := classifiedIn(m); ok {
		return obj, fmt.Errorf("marked or containing %s: classified information may not be shared on this platform; use the accredited channels (§5(d), §76)", level)
	}
	if err := validateSchema(stixType, doc); err != nil {
		return obj, err
	}
	created, hasCreated := timeProp(m, "created")
	modified, hasModified := timeProp(m, "modified")
	if hasCreated && hasModified && modified.Before(created) {
		return obj, fmt.Errorf("modified %s is before created %s", m["modified"], m["created"])
	}
	if stixType == "marking-definition" || stixType == "extension-definition" {
		if _, known := LabelOf(id); known || id == TLP2ExtensionID || id == IncidentCoreID {
			obj.Definition = true
			return obj, nil
		}
	}
	label, err := objectLabel(m, defs)
	if err != nil {
		return obj, err
	}
	obj.Label = label
	return obj, nil
}

func timeProp(m map[string]any, name string) (time.Time, bool) {
	s, ok := m[name].(string)
	if !ok {
		return time.Time{}, false
	}
	return ParseTimestamp(s)
}

// objectLabel is the most restrictive TLP marking the object carries, at
// object level or on any of its properties.
func objectLabel(m map[string]any, defs map[string]definition) (tlp.Label, error) {
	var refs []string
	if list, ok := m["object_marking_refs"].([]any); ok {
		for _, r := range list {
			if s, ok := r.(string); ok {
				refs = append(refs, s)
			}
		}
	}
	if list, ok := m["granular_markings"].([]any); ok {
		for _, g := range list {
			if gm, ok := g.(map[string]any); ok {
				if s, ok := gm["marking_ref"].(string); ok {
					refs = append(refs, s)
				}
			}
		}
	}
	var label tlp.Label
	for _, ref := range refs {
		if level, ok := classifiedIn(defs[ref].statement); ok {
			return "", fmt.Errorf("marked %s by %s: classified information may not be shared on this platform; use the accredited channels (§5(d), §76)", level, ref)
		}
		l, ok := LabelOf(ref)
		if !ok {
			l = defs[ref].label
		}
		if l != "" && (label == "" || l.Rank() > label.Rank()) {
			label = l
		}
	}
	if label == "" {
		return "", errors.New("no TLP marking: unmarked input is refused; mark it with a TLP 2.0 (or 1.0) marking-definition in object_marking_refs")
	}
	return label, nil
}

// classifiedIn looks for an EU classification marking anywhere in the
// object's strings — its name, description, labels, a statement marking it
// carries — and returns the level found.
func classifiedIn(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		if err := tlp.CheckClassified(x); err != nil {
			var ce *tlp.ClassifiedError
			if errors.As(err, &ce) {
				return ce.Marking, true
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if level, ok := classifiedIn(x[k]); ok {
				return level, true
			}
		}
	case []any:
		for _, e := range x {
			if level, ok := classifiedIn(e); ok {
				return level, true
			}
		}
	}
	return "", false
}

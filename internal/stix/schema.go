package stix

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// english prints the schema library's messages.
var english = message.NewPrinter(language.English)

//go:embed schemas
var schemaFiles embed.FS

// schemaBase is the $id prefix of the OASIS schemas; each type's schema is
// <base><dir>/<type>.json.
const schemaBase = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema // by STIX type
	schemasErr  error
)

// loadSchemas compiles the embedded schemas once: every file is a resource
// under its own $id, so their relative $refs resolve among themselves.
func loadSchemas() (map[string]*jsonschema.Schema, error) {
	schemasOnce.Do(func() {
		c := jsonschema.NewCompiler()
		byType := map[string]string{}
		schemasErr = fs.WalkDir(schemaFiles, "schemas", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return err
			}
			b, err := schemaFiles.ReadFile(path)
			if err != nil {
				return err
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				return fmt.Errorf("schema %s: %w", path, err)
			}
			id := schemaBase + strings.TrimPrefix(path, "schemas/")
			if err := c.AddResource(id, doc); err != nil {
				return fmt.Errorf("schema %s: %w", path, err)
			}
			dir, file, _ := strings.Cut(strings.TrimPrefix(path, "schemas/"), "/")
			if dir != "common" {
				byType[strings.TrimSuffix(file, ".json")] = id
			}
			return nil
		})
		if schemasErr != nil {
			return
		}
		// The meta objects live among the common schemas.
		for _, t := range []string{"marking-definition", "extension-definition", "language-content", "bundle"} {
			byType[t] = schemaBase + "common/" + t + ".json"
		}
		schemas = map[string]*jsonschema.Schema{}
		for t, id := range byType {
			s, err := c.Compile(id)
			if err != nil {
				schemasErr = fmt.Errorf("schema of %s: %w", t, err)
				return
			}
			schemas[t] = s
		}
	})
	return schemas, schemasErr
}

// Types lists the STIX 2.1 object types the node reads and writes: those the
// OASIS schemas define.
func Types() ([]string, error) {
	s, err := loadSchemas()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(s))
	for t := range s {
		if t != "bundle" {
			out = append(out, t)
		}
	}
	return out, nil
}

// validateSchema checks one decoded object (or a bundle) against the OASIS
// schema of its type, and says in one line what is wrong and where.
func validateSchema(stixType string, doc any) error {
	all, err := loadSchemas()
	if err != nil {
		return err
	}
	s, ok := all[stixType]
	if !ok {
		return fmt.Errorf("type %q is not a STIX 2.1 object type this node reads", stixType)
	}
	if err := s.Validate(doc); err != nil {
		return schemaProblem(err)
	}
	return nil
}

// schemaProblem turns a validation error into one line: the deepest causes,
// each with the JSON pointer of the property at fault.
func schemaProblem(err error) error {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return err
	}
	var msgs []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			loc := "/" + strings.Join(e.InstanceLocation, "/")
			msgs = append(msgs, fmt.Sprintf("%s: %s", loc, e.ErrorKind.LocalizedString(english)))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(msgs) > 5 {
		msgs = append(msgs[:5], fmt.Sprintf("and %d more", len(msgs)-5))
	}
	return fmt.Errorf("does not match the OASIS STIX 2.1 schema: %s", strings.Join(msgs, "; "))
}

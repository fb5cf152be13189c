package stix_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sharedSchemas is where the OASIS STIX 2.1 JSON schemas are beside the clone
// (../shared, present in CI and on developer machines; .ci/run fails without it).
const sharedSchemas = "../../../shared/data/stix2-json-schemas/schemas"

const schemaBase = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

// oasis compiles the schemas from ../shared — not the package's embedded
// copy — so what the node writes is checked against the OASIS files
// themselves. It returns a validator for a STIX type.
func oasis(t *testing.T) func(stixType string, obj any) error {
	t.Helper()
	if _, err := os.Stat(sharedSchemas); err != nil {
		t.Skipf("the OASIS schemas are not at %s (../shared beside the clone): %v", sharedSchemas, err)
	}
	c := jsonschema.NewCompiler()
	byType := map[string]string{}
	err := filepath.WalkDir(sharedSchemas, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(sharedSchemas, path)
		rel = filepath.ToSlash(rel)
		byType[strings.TrimSuffix(filepath.Base(rel), ".json")] = schemaBase + rel
		return c.AddResource(schemaBase+rel, doc)
	})
	if err != nil {
		t.Fatal(err)
	}
	compiled := map[string]*jsonschema.Schema{}
	return func(stixType string, obj any) error {
		t.Helper()
		s, ok := compiled[stixType]
		if !ok {
			id, known := byType[stixType]
			if !known {
				t.Fatalf("no OASIS schema for type %q", stixType)
			}
			var err error
			if s, err = c.Compile(id); err != nil {
				t.Fatal(err)
			}
			compiled[stixType] = s
		}
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return s.Validate(doc)
	}
}

// TestEmbeddedSchemasAreOASIS: the copy the node validates imports with at run
// time is the OASIS files, unchanged.
func TestEmbeddedSchemasAreOASIS(t *testing.T) {
	if _, err := os.Stat(sharedSchemas); err != nil {
		t.Skipf("the OASIS schemas are not at %s: %v", sharedSchemas, err)
	}
	n := 0
	err := filepath.WalkDir(sharedSchemas, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(sharedSchemas, path)
		want, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join("schemas", rel))
		if err != nil {
			t.Errorf("%s is not embedded: %v", rel, err)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schemas/%s differs from the OASIS file", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("only %d schema files compared", n)
	}
}

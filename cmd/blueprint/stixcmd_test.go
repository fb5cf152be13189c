package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSTIXExportAndImportThroughTheAPI: an analyst exports a case as STIX with
// the CLI, imports a 250-object bundle (three batches, with progress), and is
// told which objects were refused and why.
func TestSTIXExportAndImportThroughTheAPI(t *testing.T) {
	vars, caseID := nodeWithCase(t)

	out := filepath.Join(t.TempDir(), "case.json")
	MustRunCLI(t, vars, "export", "stix", "--case", caseID, "--tlp", "TLP:GREEN", "--out", out)
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), `"type": "incident"`) || !strings.Contains(string(b), "Ransomware at hospitals") {
		t.Fatalf("the exported bundle: %v\n%.500s", err, b)
	}
	if _, err := runCLI(t, vars, "export", "stix", "--case", caseID, "--tlp", "TLP:PURPLE"); err == nil || !strings.Contains(err.Error(), "--tlp") {
		t.Errorf("a bad --tlp: %v", err)
	}

	// 250 indicators, two of them unmarked, with the AMBER definition.
	objs := []any{map[string]any{"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
		"created": "2022-10-01T00:00:00.000Z", "name": "TLP:AMBER", "extensions": map[string]any{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": map[string]any{"extension_type": "property-extension", "tlp_2_0": "amber"}}}}
	for i := range 250 {
		o := map[string]any{"type": "indicator", "spec_version": "2.1", "id": fmt.Sprintf("indicator--00000000-0000-4000-8000-%012d", i),
			"created": "2026-11-30T10:00:00.000Z", "modified": "2026-11-30T10:00:00.000Z", "pattern": fmt.Sprintf("[ipv4-addr:value = '198.51.100.%d']", i%250),
			"pattern_type": "stix", "valid_from": "2026-11-30T10:00:00Z", "object_marking_refs": []string{"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"}}
		if i == 7 || i == 180 {
			delete(o, "object_marking_refs")
		}
		objs = append(objs, o)
	}
	file := filepath.Join(t.TempDir(), "misp.json")
	raw, _ := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": objs})
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCLIBoth(t, vars, "import", "stix", file, "--audience", "networks:csirts-network")
	if err == nil || !strings.Contains(err.Error(), "2 of 250 objects were refused") {
		t.Errorf("import: %v, want it to fail naming the refused objects", err)
	}
	for _, want := range []string{"imported 100/250", "imported 200/250", "imported 250/250 objects: 248 added, 0 duplicates, 2 refused",
		"refused: object 8 indicator--00000000-0000-4000-8000-000000000007: no TLP marking", "refused: object 181 "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the progress lacks %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stdout, "250 objects: 248 added, 0 duplicates, 2 refused; 1 marking definitions read") {
		t.Errorf("the summary: %s", stdout)
	}
	// Again: duplicates, nothing new.
	if _, stderr, _ := runCLIBoth(t, vars, "import", "stix", file); !strings.Contains(stderr, "0 added, 248 duplicates") {
		t.Errorf("a second import: %s", stderr)
	}
	if _, err := runCLI(t, vars, "import", "stix", filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing file imported")
	}
}

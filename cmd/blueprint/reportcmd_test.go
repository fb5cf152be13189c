package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportBuildThroughTheAPI: ENISA's officer builds a draft and publishes a
// technical situation report of a case with the CLI, against a running node.
// nodeWithCase starts a node, adds ENISA's analyst Elena with an API token,
// and opens a GREEN case as her through the API. It returns the CLI's
// environment for her and the case id.
func nodeWithCase(t *testing.T) (vars map[string]string, caseID string) {
	t.Helper()
	dir, _ := MustNodeStore(t)
	MustRunCLIInput(t, "elena's long passphrase\n", "user", "add", "elena", "--org", "enisa", "--role", "analyst", "--name", "Elena", dir)
	token, _, err := runCLIInput(t, "", "token", "create", "elena", "--name", "cli", dir)
	if err != nil {
		t.Fatal(err)
	}
	token = strings.TrimSpace(token)
	n := MustStartNode(t, nil, dir)

	body := `{"title":"Ransomware at hospitals","marking":{"tlp":"TLP:GREEN","audience":{"kind":"community"}}}`
	req, _ := http.NewRequestWithContext(t.Context(), "POST", n.URL+"/api/v1/cases", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var opened struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&opened); err != nil || resp.StatusCode != 201 {
		t.Fatalf("open case: %d %v", resp.StatusCode, err)
	}
	return map[string]string{"BLUEPRINT_TOKEN": token, "BLUEPRINT_NODE": n.URL}, opened.Case.ID
}

func TestReportBuildThroughTheAPI(t *testing.T) {
	vars, caseID := nodeWithCase(t)
	md := MustRunCLI(t, vars, "report", "build", "--case", caseID, "--kind", "technical", "--tlp", "TLP:GREEN", "--format", "md")
	for _, want := range []string{"CSIRTs Network technical situation report", "TLP:GREEN", "none recorded"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown draft lacks %q:\n%.600s", want, md)
		}
	}

	out := filepath.Join(t.TempDir(), "sitrep.pdf")
	log := MustRunCLI(t, vars, "report", "build", "--case", caseID, "--kind", "technical", "--tlp", "TLP:GREEN", "--format", "pdf", "--out", out, "--publish")
	if !strings.Contains(log, "published technical report version 1") {
		t.Errorf("publish said: %s", log)
	}
	pdf, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("--out file: %v %.20q", err, pdf)
	}

	// What is wrong is named.
	for args, want := range map[string]string{
		"--kind weekly":                  "--kind",
		"--tlp TLP:AMBER":                "--audience",
		"--tlp TLP:PURPLE":               "--tlp",
		"--format docx":                  "--format",
		"--tlp TLP:GREEN --node ftp://x": "--node",
	} {
		a := append([]string{"report", "build", "--case", caseID, "--kind", "technical", "--tlp", "TLP:GREEN"}, strings.Fields(args)...)
		if _, err := runCLI(t, vars, a...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %s", args, err, want)
		}
	}
	if _, err := runCLI(t, map[string]string{"BLUEPRINT_NODE": vars["BLUEPRINT_NODE"]}, "report", "build", "--case", caseID, "--kind", "technical", "--tlp", "TLP:GREEN"); err == nil || !strings.Contains(err.Error(), "BLUEPRINT_TOKEN") {
		t.Errorf("without a token: %v", err)
	}
	// A case the user may not see, or that does not exist: the node's refusal is shown.
	if _, err := runCLI(t, vars, "report", "build", "--case", "0193d7c1-0000-7000-8000-000000000000", "--kind", "technical", "--tlp", "TLP:GREEN"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown case: %v", err)
	}
}

// FuzzReportMarking: --tlp and --audience never panic, and a marking they
// accept is valid.
func FuzzReportMarking(f *testing.F) {
	for _, seed := range [][2]string{{"TLP:GREEN", ""}, {"TLP:AMBER", "networks:csirts-network"}, {"TLP:RED", "users:"}, {"amber", "organisations:a,,b"}, {"TLP:CLEAR", "public"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, label, audience string) {
		m, err := reportMarking(label, audience)
		if err == nil {
			if verr := m.Validate(); verr != nil {
				t.Fatalf("accepted an invalid marking %+v: %v", m, verr)
			}
		}
	})
}

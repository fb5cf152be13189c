package web

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/publications"
	"github.com/eucyber/blueprint/internal/sitrep"
)

// sitrepCase: NL and BE file reports, linked to a case marked for the
// organisations of the scenario; ENISA (secretariat of both networks) sees them.
func sitrepCase(t *testing.T) (*scenario, string, string) {
	t.Helper()
	s := newScenario(t)
	nl := s.fileReport("nl.analyst", "NL")
	be := s.fileReport("be.coordinator", "BE")
	var opened struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	mustUnmarshal(t, s.as("nl.analyst", "POST", "/api/v1/cases", map[string]any{"title": "Hospital ransomware", "marking": json.RawMessage(amberCaseAudience)}, http.StatusCreated), &opened)
	s.caseID = opened.Case.ID
	s.as("nl.analyst", "POST", "/api/v1/cases/"+s.caseID+"/reports", map[string]string{"report": nl}, http.StatusOK)
	s.as("be.coordinator", "POST", "/api/v1/cases/"+s.caseID+"/reports", map[string]string{"report": be}, http.StatusOK)
	return s, nl, be
}

var amberCSIRTsNetwork = json.RawMessage(`{"tlp":"TLP:AMBER","audience":{"kind":"networks","ids":["csirts-network"]}}`)

func TestSitrepVersionsAreSignedWithTheirDelta(t *testing.T) {
	s, nl, _ := sitrepCase(t)
	base := "/api/v1/cases/" + s.caseID + "/sitreps"
	req := map[string]any{"kind": "technical", "marking": amberCSIRTsNetwork}

	// Anyone who sees the case may draft; only the issuers publish.
	s.as("nl.analyst", "POST", base+"/drafts", req, http.StatusOK)
	for _, who := range []string{"nl.analyst", "be.coordinator", "dk.chair", "presidency", "commission"} {
		s.as(who, "POST", base, req, http.StatusForbidden)
	}
	// The CSIRTs Network advises potential large-scale: §55(a)(v) expects it to
	// share the necessary information with EU-CyCLONe, which publishing does.
	s.as("fi.chair", "POST", "/api/v1/cases/"+s.caseID+"/decisions", map[string]string{"authority": "network-advice", "level": "potential-large-scale", "reason": "spreading"}, http.StatusOK)
	s.wantStep(s.view("enisa"), "escalation-information", "", "pending")
	var first struct {
		Published publications.Published `json:"published"`
	}
	mustUnmarshal(t, s.as("enisa", "POST", base, req, http.StatusCreated), &first)
	if st := s.wantStep(s.view("enisa"), "escalation-information", "", "done"); st.DoneBy == "" {
		t.Error("the step does not name the publication that did it")
	}
	if first.Published.Document.Version != 1 || first.Published.Document.Delta != nil {
		t.Fatalf("first version: %+v", first.Published.Document)
	}

	// NL's report changes; the second version says what changed.
	var rep map[string]any
	rec := s.people["nl.analyst"].json("GET", "/api/v1/reports/"+nl, nil, false)
	mustUnmarshal(t, rec.Body.Bytes(), &rep)
	content := rep["content"].(map[string]any)
	content["status"] = "mitigating"
	amend := s.people["nl.analyst"].do("PUT", "/api/v1/reports/"+nl, "application/json", mustMarshal(t, map[string]any{"content": content, "reason": "backups restored"}),
		map[string]string{"X-CSRF-Token": s.people["nl.analyst"].csrf, "If-Match": rec.Header().Get("ETag")})
	if amend.Code != http.StatusOK {
		t.Fatalf("amend: %d %s", amend.Code, amend.Body.String())
	}
	var second struct {
		Published publications.Published `json:"published"`
	}
	mustUnmarshal(t, s.as("fi.chair", "POST", base, req, http.StatusCreated), &second)
	d := second.Published.Document
	if d.Version != 2 || d.Delta == nil || d.Delta.Previous != 1 || !strings.Contains(strings.Join(d.Delta.Changed, "|"), "Netherlands (NL)") {
		t.Fatalf("second version's delta: %+v", d.Delta)
	}

	// Version 1 is unchanged, and its signature checks out with the node key.
	var v1 publications.Published
	mustUnmarshal(t, s.as("fi.chair", "GET", base+"/technical/1", nil, http.StatusOK), &v1)
	if v1.Digest != first.Published.Digest {
		t.Errorf("version 1 changed: digest %s, was %s", v1.Digest, first.Published.Digest)
	}
	if err := sitrep.VerifySignature(s.d.Publications.Verifier, v1.Document, v1.Signature); err != nil {
		t.Errorf("version 1's signature: %v", err)
	}
	// No route changes or deletes a published version.
	for _, method := range []string{"PUT", "PATCH", "DELETE"} {
		if rec := s.people["enisa"].json(method, base+"/technical/1", map[string]any{"kind": "technical"}, true); rec.Code < 400 {
			t.Errorf("%s on a published version answered %d", method, rec.Code)
		}
	}
	var list struct {
		Items []versionSummary `json:"items"`
	}
	mustUnmarshal(t, s.as("be.coordinator", "GET", base, nil, http.StatusOK), &list)
	if len(list.Items) != 2 || list.Items[1].Delta == nil {
		t.Fatalf("versions: %+v", list.Items)
	}
	// The Presidency and EU-CyCLONe's chair are not in the CSIRTs Network: the
	// AMBER versions for it are not theirs to read.
	s.as("dk.chair", "GET", base+"/technical/1", nil, http.StatusNotFound)
	mustUnmarshal(t, s.as("presidency", "GET", base, nil, http.StatusOK), &list)
	if len(list.Items) != 0 {
		t.Errorf("the Presidency lists %d AMBER versions for the CSIRTs Network", len(list.Items))
	}
	s.as("presidency", "GET", base+"/technical/1", nil, http.StatusNotFound)

	// Rendered: a real PDF, and HTML.
	rec = s.people["fi.chair"].json("GET", base+"/technical/2?format=pdf", nil, false)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(rec.Body.String(), "%PDF-") {
		t.Fatalf("pdf: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	s.as("fi.chair", "GET", base+"/technical/2?format=docx", nil, http.StatusUnprocessableEntity)
}

// TestGreenSitrepLeaksNothing: a TLP:GREEN report built from a case that
// holds TLP:AMBER and TLP:RED items contains none of their text, in any format.
func TestGreenSitrepLeaksNothing(t *testing.T) {
	s, _, _ := sitrepCase(t)
	enisaUser, _ := s.d.Auth.Dir.UserByUsername("enisa")
	// A GREEN report from NL, an AMBER one (above), and a RED one addressed to
	// ENISA's officer, all linked; ENISA drafts for the community.
	green := s.fileReportMarked("nl.analyst", "GREEN-VISIBLE", `{"tlp":"TLP:GREEN","audience":{"kind":"community"}}`)
	red := s.fileReportMarked("be.coordinator", "RED-SECRET-TITLE", `{"tlp":"TLP:RED","audience":{"kind":"users","ids":["`+enisaUser.ID+`"]}}`)
	amber := s.fileReportMarked("be.coordinator", "AMBER-SECRET-TITLE", `{"tlp":"TLP:AMBER","audience":{"kind":"networks","ids":["csirts-network"]}}`)
	for _, id := range []string{green, red, amber} {
		s.as("enisa", "POST", "/api/v1/cases/"+s.caseID+"/reports", map[string]string{"report": id}, http.StatusOK)
	}
	base := "/api/v1/cases/" + s.caseID + "/sitreps/drafts"
	for _, kind := range sitrep.Kinds() {
		req := map[string]any{"kind": kind, "marking": json.RawMessage(`{"tlp":"TLP:GREEN","audience":{"kind":"community"}}`)}
		var b struct {
			Withheld []sitrep.Withheld `json:"withheld"`
		}
		body := s.as("enisa", "POST", base, req, http.StatusOK)
		mustUnmarshal(t, body, &b)
		if kind == sitrep.Technical && len(b.Withheld) == 0 {
			t.Error("the author is not told what was withheld")
		}
		for _, format := range []string{"json", "md", "html", "pdf"} {
			rec := s.people["enisa"].json("POST", base+"?format="+format, req, true)
			if rec.Code != 200 {
				t.Fatalf("%s %s: %d %s", kind, format, rec.Code, rec.Body.String())
			}
			text := rec.Body.String()
			if format == "pdf" {
				text = pdfText(t, rec.Body.Bytes())
			}
			for _, secret := range []string{"RED-SECRET-TITLE", "AMBER-SECRET-TITLE", red, amber} {
				if strings.Contains(text, secret) {
					t.Errorf("%s %s: the GREEN report contains %q", kind, format, secret)
				}
			}
			if kind == sitrep.Technical && !strings.Contains(text, "GREEN-VISIBLE") {
				t.Errorf("%s %s: the GREEN report lacks the GREEN report's title", kind, format)
			}
		}
	}
}

func (s *scenario) fileReportMarked(who, title, marking string) string {
	s.t.Helper()
	body := reportBody(title, marking)
	body["affected_member_states"] = []string{}
	var rep struct {
		ID string `json:"id"`
	}
	mustUnmarshal(s.t, s.as(who, "POST", "/api/v1/reports", body, http.StatusCreated), &rep)
	return rep.ID
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils, installed by
// .ci/run).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = strings.NewReader(string(pdf))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext (install poppler-utils; .ci/run does): %v", err)
	}
	return string(out)
}

package crisis_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gowebpki/jcs"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/severity"
)

// FuzzReportContent decodes arbitrary bytes as the API does (unknown fields
// refused), then validates and files them. It must never panic; a refusal
// must be an Invalid *failure.Error naming the fields at fault; and a report
// that files must survive the trip through the event store: its payload
// encodes, folds, re-validates, and filing the folded content again gives
// the same event (normalising twice changes nothing).
func FuzzReportContent(f *testing.F) {
	m, tax := mustModel(f)
	valid := MustContent(f, tax)
	valid.OtherPersonsAffected = severity.Known(true)
	seed, err := json.Marshal(valid)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	// The valid report again, detected at a time whose UTC year is -1.
	var v map[string]any
	if err := json.Unmarshal(seed, &v); err != nil {
		f.Fatal(err)
	}
	v["detected_at"], v["aware_at"] = "0000-01-01T00:00:00+23:59", "0000-01-01T00:00:00+23:59"
	early, err := json.Marshal(v)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(early)
	// And with more entities than an IEEE double holds exactly.
	f.Add(bytes.Replace(seed, []byte(`"affected_entities":3`), []byte(`"affected_entities":9007199254740993`), 1))
	// A cloud provider's outage, with the entity impact of Regulation (EU)
	// 2024/2690; then with a duration in words, and figures out of bounds.
	outage := cloudOutage(f, tax)
	outage.EntityImpact.Slowdown = &severity.Slowdown{AverageResponse: severity.Span(12 * time.Second), Duration: severity.Span(2 * time.Hour)}
	outage.EntityImpact.DirectFinancialLoss = severity.Known[int64](120_000_00)
	withImpact, err := json.Marshal(outage)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(withImpact)
	f.Add(bytes.Replace(withImpact, []byte(`"5h0m0s"`), []byte(`"5 hours"`), 1))
	f.Add(bytes.Replace(withImpact, []byte(`"users":3000000`), []byte(`"users":9007199254740993,"ica_users":-1,"entity":"hospital"`), 1))
	for _, seed := range []string{
		``, `null`, `{}`, `[]`, `"report"`, `{"title":1}`, `{"nonsense":true}`, `{"title":"x"}{"title":"y"}`,
		`{"impact":{"service-delivery":-1,"affected-entities":4,"other-services":1e3,"damage":0}}`,
		`{"detected_at":"0000-01-01T00:00:00+23:59","aware_at":"0000-01-01T00:00:00+23:59"}`,
		`{"detected_at":"9999-12-31T23:59:59-23:59","aware_at":"2026-12-01T02:00:00+01:00"}`,
		`{"affected_member_states":["", "EU", "EL", "GR"],"sectors":[null,"health"],"affected_entities":-9223372036854775808}`,
		`{"marking":{"tlp":"RESTREINT UE","audience":{"kind":"community"}},"status":"withdrawn"}`,
		`{"classification":"malicious-code:","root_cause":"x","outlook":"","other_persons_affected":null}`,
		`{"entity_impact":{"entity":"trust-service-provider","unavailable_in_week":"169h","completely_unavailable_for":-1}}`,
		`{"entity_impact":null}`, `{"entity_impact":{}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c crisis.ReportContent
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return
		}
		if err := c.Validate(m, tax, now); err != nil {
			checkFieldError(t, err)
		}
		d, err := crisis.DecideFile(m, tax, nlCSIRT, "r-fuzz", c, now)
		if err != nil {
			// The reporter may file, so only the content can be at fault.
			checkFieldError(t, err)
			return
		}
		payload, err := json.Marshal(d.Payload)
		if err != nil {
			t.Fatalf("the payload of a filed report does not encode: %v", err)
		}
		r, err := crisis.ApplyReport(crisis.NationalReport{}, d.Type, payload, 1, nlCSIRT.User, now)
		if err != nil {
			t.Fatalf("the payload of a filed report does not fold: %v", err)
		}
		// The store keeps the payload in canonical form (RFC 8785); folding
		// that must give the report the snapshot holds.
		canon, err := jcs.Transform(payload)
		if err != nil {
			t.Fatalf("the payload of a filed report has no canonical form: %v", err)
		}
		stored, err := crisis.ApplyReport(crisis.NationalReport{}, d.Type, canon, 1, nlCSIRT.User, now)
		if err != nil || !reflect.DeepEqual(stored, r) {
			t.Fatalf("the stored form of the payload folds to another report (%v):\n%s\n%s", err, payload, canon)
		}
		if err := r.Content.Validate(m, tax, now); err != nil {
			t.Fatalf("a filed report does not re-validate: %v\npayload %s", err, payload)
		}
		if r.Severity.Level == "" || r.Significance.Outcome == "" || len(r.Significance.Reasons) == 0 {
			t.Fatalf("a filed report lacks its severity or suggestion: %s", payload)
		}
		if (r.Regulation != nil) != (r.Content.EntityImpact != nil) ||
			r.Regulation != nil && (len(r.Regulation.Reasons) == 0 || r.Regulation.Outcome == severity.OutcomeNotCovered) {
			t.Fatalf("a filed report's Regulation (EU) 2024/2690 suggestion does not follow its entity impact: %s", payload)
		}
		again, err := crisis.DecideFile(m, tax, nlCSIRT, "r-fuzz", r.Content, now)
		if err != nil {
			t.Fatalf("filing the filed content again: %v", err)
		}
		if p2 := mustJSON(t, again.Payload); !bytes.Equal(payload, p2) {
			t.Fatalf("filing the filed content again changed it:\n%s\n%s", payload, p2)
		}
	})
}

// checkFieldError checks that err is an Invalid *failure.Error that names
// the field at fault, or, for several, lists each as a field error.
func checkFieldError(t *testing.T, err error) {
	t.Helper()
	fe, ok := err.(*failure.Error)
	if !ok || fe.Kind != failure.Invalid {
		t.Fatalf("error %T %v is not an Invalid *failure.Error", err, err)
	}
	if fe.Field != "" {
		return
	}
	var fields crisis.FieldErrors
	if !errors.As(err, &fields) || len(fields) < 2 {
		t.Fatalf("error names no field: %v", err)
	}
	for _, e := range fields {
		var one *failure.Error
		if !errors.As(e, &one) || one.Field == "" || !strings.Contains(fe.Message, one.Field+": ") {
			t.Fatalf("error lists a problem without its field: %v", e)
		}
	}
}

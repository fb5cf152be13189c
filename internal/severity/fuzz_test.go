package severity

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
)

// FuzzParse feeds arbitrary bytes to Parse. It must not panic; it must fail
// with problems that each name the file, or succeed with a taxonomy on which
// an all-zero assessment scores 0, white.
func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	f.Add([]byte(smallTaxonomy))
	for _, seed := range []string{
		"", "---", "{}", "[]", "null", "id: x", "*a", "&a [*a]", "---\n---\n", "...\n]]]",
		"id: x\nversion: 1\nname: n\nstatus: s\ndimensions: [{id: a, name: A, weight: 1, ref: r, levels: [{level: 0, label: l, anchor: a}, {level: 1, label: l, anchor: a}]}]\n" +
			"bands: [{id: white, name: W, min: 0, max: 0}, {id: green, name: G, min: 1, max: 1}, {id: yellow, name: Y, min: 2, max: 2}, {id: red, name: R, min: 3, max: 100}]\n" +
			"floors: [{id: f, dimension: any, level: 1, at_least: red, explanation: e, ref: r}]\n" +
			"significance: {ref: r, severe_disruption: {dimension: a, level: 1}}\n",
		"dimensions: [{levels: [{level: 1}]}]\nbands: [{id: red, min: 50, max: 10}]\nfloors: [{level: max}]\n",
		"dimensions:\n  - id: a\n    weight: 9999999999999999999999\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tax, err := Parse("fuzz.yaml", data)
		if err != nil {
			if tax != nil {
				t.Error("Parse returned a taxonomy with its error")
			}
			ps := problemsOf(err)
			if len(ps) == 0 {
				t.Fatalf("error holds no *Problem: %v", err)
			}
			for _, p := range ps {
				if p.File != "fuzz.yaml" || !strings.HasPrefix(p.Error(), "fuzz.yaml: ") {
					t.Errorf("problem does not name the file: %v", p)
				}
			}
			return
		}
		zero := Assessment{}
		for _, d := range tax.Dimensions {
			zero[d.ID] = 0
		}
		r, err := tax.Score(zero)
		if err != nil {
			t.Fatalf("a valid taxonomy cannot score an all-zero assessment: %v", err)
		}
		if r.Score != 0 || r.Level != White || len(r.Contributions) != len(tax.Dimensions) || r.Explanation == "" {
			t.Errorf("all-zero assessment gave %+v", r)
		}
		_ = tax.SignificanceInput(zero)
	})
}

// FuzzScore scores arbitrary levels, on the default taxonomy with arbitrary
// weights. It must not panic; a result's score is 0–100, its level one of the
// bands and never below the score's own band; in-range levels always score;
// and raising one level never lowers the score or the level.
func FuzzScore(f *testing.F) {
	f.Add(0, 0, 0, 0, uint16(30), uint16(25), uint16(20), uint16(25), "")
	f.Add(3, 3, 3, 3, uint16(30), uint16(25), uint16(20), uint16(25), "")
	f.Add(3, 0, 0, 0, uint16(1), uint16(999), uint16(999), uint16(999), "")
	f.Add(1, 2, -1, 9, uint16(0), uint16(0), uint16(0), uint16(0), "reputation")
	f.Add(2, 1, 1, 2, uint16(7), uint16(1), uint16(1), uint16(1), "damage")
	base := mustDefault(f)
	f.Fuzz(func(t *testing.T, sd, ae, os, dmg int, w1, w2, w3, w4 uint16, extra string) {
		tax := *base
		tax.Dimensions = append([]Dimension(nil), base.Dimensions...)
		for i, w := range []uint16{w1, w2, w3, w4} {
			tax.Dimensions[i].Weight = 1 + int(w)%maxWeight
		}
		a := levels(sd, ae, os, dmg)
		if extra != "" {
			a[extra] = sd
		}
		r, err := tax.Score(a)
		inRange := true
		for _, d := range tax.Dimensions {
			if l := a[d.ID]; l < 0 || l > d.Max() {
				inRange = false
			}
		}
		_, known := tax.Dimension(extra)
		valid := inRange && (extra == "" || known)
		if err != nil {
			if valid {
				t.Fatalf("valid assessment %v rejected: %v", a, err)
			}
			return
		}
		if !valid {
			t.Fatalf("invalid assessment %v accepted: %+v", a, r)
		}
		checkResult(t, &tax, r)

		// Raising one level never lowers the score or the level.
		for _, d := range tax.Dimensions {
			if a[d.ID] == d.Max() {
				continue
			}
			up := Assessment{}
			for k, v := range a {
				up[k] = v
			}
			up[d.ID]++
			r2, err := tax.Score(up)
			if err != nil {
				t.Fatalf("raised assessment rejected: %v", err)
			}
			if r2.Score < r.Score || scaleRank(r2.Level) < scaleRank(r.Level) {
				t.Errorf("raising %s lowered %d %s to %d %s", d.ID, r.Score, r.Level, r2.Score, r2.Level)
			}
		}
	})
}

// checkResult checks the invariants of any result.
func checkResult(t *testing.T, tax *Taxonomy, r Result) {
	t.Helper()
	if r.Score < 0 || r.Score > 100 {
		t.Fatalf("score %d outside 0–100", r.Score)
	}
	band, ok := tax.Band(r.Level)
	if !ok || band.Name != r.LevelName {
		t.Fatalf("level %q (%q) is not a band", r.Level, r.LevelName)
	}
	own, ok := tax.bandFor(r.Score)
	if !ok || own.ID != r.ScoreLevel || scaleRank(r.Level) < scaleRank(r.ScoreLevel) {
		t.Fatalf("level %s, score level %s, band of the score %s", r.Level, r.ScoreLevel, own.ID)
	}
	if (r.Level != r.ScoreLevel) != (len(r.Floors) > 0) {
		t.Fatalf("level raised from %s to %s by floors %v", r.ScoreLevel, r.Level, r.Floors)
	}
	var sum float64
	for _, c := range r.Contributions {
		sum += c.Points
	}
	// Each contribution is rounded to a tenth, the score to a whole number.
	if diff := sum - float64(r.Score); diff > 0.5+0.05*float64(len(r.Contributions)) || diff < -0.5-0.05*float64(len(r.Contributions)) {
		t.Fatalf("contributions add up to %v, score %d", sum, r.Score)
	}
	if !strings.HasPrefix(r.Explanation, "Score ") || strings.Count(r.Explanation, " contributes ") != len(tax.Dimensions) {
		t.Fatalf("explanation %q", r.Explanation)
	}
}

// FuzzSpanJSON reads arbitrary text as a JSON duration string. It must not
// panic; a refusal is an Invalid error that leaves the span alone; a span
// read is not negative and writes back to text that reads as the same span.
func FuzzSpanJSON(f *testing.F) {
	for _, seed := range []string{"90m", "1h30m0s", "1.5h", "0", "5 hours", "-5m", "", "+1h", ".5s", "1h-1m", "9223372036ns", "2562047h47m16.854775808s", "1µs", "\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		b, err := json.Marshal(text)
		if err != nil {
			t.Fatal(err)
		}
		s := Span(time.Minute)
		if err := s.UnmarshalJSON(b); err != nil {
			if !failure.Is(err, failure.Invalid) || s != Span(time.Minute) {
				t.Fatalf("%q: refused with %v, span now %s", text, err, s)
			}
			return
		}
		if s < 0 {
			t.Fatalf("%q read as negative %s", text, s)
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%q read as %s, which does not write: %v", text, s, err)
		}
		var back Span
		if err := json.Unmarshal(out, &back); err != nil || back != s {
			t.Fatalf("%q read as %s, written %s, read back as %s (%v)", text, s, out, back, err)
		}
	})
}

// FuzzEntityImpactJSON decodes arbitrary bytes as an API would (unknown
// fields refused). It must not panic. What decodes either validates — and
// then writes to JSON that reads back equal and writes the same again, and
// gets a covered suggestion with reasons — or is refused with field errors
// only; and Regulation2024_2690 suggests something for anything decoded.
func FuzzEntityImpactJSON(f *testing.F) {
	for _, e := range EntityTypes() {
		f.Add(mustMarshal(f, quiet(e)))
	}
	for _, seed := range []string{
		`{"entity":"cloud-computing-service-provider","completely_unavailable_for":"5h","users":2000000}`,
		`{"entity":"dns-service-provider","slowdown":{"average_response":"12s","duration":"2h"},"ica_compromised":true,"ica_misconfiguration":true,"domain_names_affected":10,"domain_names_managed":5}`,
		`{"entity":"trust-service-provider","unavailable_in_week":"169h","ica_users":101,"users":100}`,
		`{"entity":"hospital","death":true}`, `{}`, `null`, `{"entity":""}`,
		`{"entity":"tld-name-registry","completely_unavailable_for":"5 hours"}`,
		`{"entity":"tld-name-registry","completely_unavailable_for":18000000000000}`,
		`{"entity":"tld-name-registry","completely_unavailable_for":"-1s","slowdown":null}`,
		`{"entity":"online-marketplace-provider","users":9007199254740993,"direct_financial_loss_cents":-9223372036854775808}`,
		`{"entity":"data-centre-service-provider","scheduled_interruption":true,"limited_availability_for":"1h0m0.000000001s"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in EntityImpact
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return
		}
		s := Regulation2024_2690(in)
		if s.Outcome == "" || len(s.Reasons) == 0 || s.Significant != (s.Outcome == OutcomeSignificant) {
			t.Fatalf("suggestion %+v for %s", s, data)
		}
		if err := in.Validate(); err != nil {
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var fe *failure.Error
				if !errors.As(e, &fe) || fe.Kind != failure.Invalid || fe.Field == "" || fe.Message == "" {
					t.Fatalf("refusal %v is not a field error", e)
				}
			}
			return
		}
		if s.Outcome == OutcomeNotCovered {
			t.Fatalf("a valid entity impact is not covered: %s", data)
		}
		out, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("a valid entity impact does not write: %v", err)
		}
		var back EntityImpact
		if err := json.Unmarshal(out, &back); err != nil || !reflect.DeepEqual(back, in) {
			t.Fatalf("%s reads back as %+v (%v), not %+v", out, back, err, in)
		}
		if again := mustMarshal(t, back); !bytes.Equal(again, out) {
			t.Fatalf("written twice differently:\n%s\n%s", out, again)
		}
	})
}

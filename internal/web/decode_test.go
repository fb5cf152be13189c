package web

import (
	"errors"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/tlp"
)

type markedInput struct {
	Title   string      `json:"title"`
	Marking tlp.Marking `json:"marking"`
}

// TestClassifiedMarkingRefused: input marked as EU classified information gets a
// 422 that points to the accredited channels (§5(d), §76), never stored.
func TestClassifiedMarkingRefused(t *testing.T) {
	for _, label := range []string{"RESTREINT UE/EU RESTRICTED", "EU RESTRICTED", "CONFIDENTIEL UE", "SECRET UE/EU SECRET", "TRÈS SECRET UE/EU TOP SECRET"} {
		var in markedInput
		err := decodeJSONBytes([]byte(`{"title":"x","marking":{"tlp":"`+label+`","audience":{"kind":"community"}}}`), &in)
		if !failure.Is(err, failure.Invalid) || problemStatus[failure.KindOf(err)].status != 422 {
			t.Errorf("%s: err = %v, want a 422 Invalid", label, err)
			continue
		}
		if msg := failure.PublicMessage(err); !strings.Contains(msg, "accredited") || !strings.Contains(msg, "§76") {
			t.Errorf("%s: message %q does not point to the accredited channels (§76)", label, msg)
		}
	}
}

func TestDecodeJSONNamesTheProblem(t *testing.T) {
	cases := map[string]string{
		`{"title":"x","marking":{"tlp":"TLP:PURPLE","audience":{"kind":"community"}}}`: "unknown TLP label",
		`{"title":"x","marking":{"tlp":"TLP: RED","audience":{"kind":"users"}}}`:       "space",
		`{"title":1}`:                "/title",
		`{"title":"x","colour":"r"}`: "/colour",
		`{"title":"x"`:               "ends before",
		`{"title":"x"} {}`:           "more than one",
		`   `:                        "empty",
		`{"title": x}`:               "line 1, column",
	}
	for body, want := range cases {
		var in markedInput
		err := decodeJSONBytes([]byte(body), &in)
		if !failure.Is(err, failure.Invalid) {
			t.Errorf("%s: err = %v, want Invalid", body, err)
			continue
		}
		var fe *failure.Error
		msg := failure.PublicMessage(err)
		if errors.As(err, &fe) && fe.Field != "" {
			msg = fe.Field + " " + msg
		}
		if !strings.Contains(msg, want) {
			t.Errorf("%s: message %q does not contain %q", body, msg, want)
		}
	}
	var in markedInput
	if err := decodeJSONBytes([]byte(`{"title":"x","marking":{"tlp":"TLP:WHITE","audience":{"kind":"public"}}}`), &in); err != nil || in.Marking.TLP != tlp.Clear {
		t.Errorf("TLP:WHITE: %v, %q; want TLP:CLEAR", err, in.Marking.TLP)
	}
}

// FuzzDecodeJSON: request bodies come from anyone; decoding never panics and any
// failure is an Invalid error with a message.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"title":"x","marking":{"tlp":"TLP:AMBER","audience":{"kind":"networks","ids":["eu-cyclone"]}}}`))
	f.Add([]byte(`{"marking":{"tlp":"RESTREINT UE"}}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in markedInput
		err := decodeJSONBytes(body, &in)
		if err != nil && (!failure.Is(err, failure.Invalid) || failure.PublicMessage(err) == "") {
			t.Fatalf("decode error %v is not an Invalid error with a message", err)
		}
	})
}

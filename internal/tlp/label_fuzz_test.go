package tlp_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/eucyber/blueprint/internal/tlp"
)

// FuzzParseLabel checks ParseLabel on arbitrary text: it never panics; what it
// accepts is one of the five labels and reads back as itself; and text with white
// space is always refused (TLP 2.0: labels MUST NOT contain spaces).
func FuzzParseLabel(f *testing.F) {
	for _, l := range tlp.Labels() {
		f.Add(string(l))
		f.Add(strings.ToLower(string(l)))
	}
	for _, s := range []string{"", "TLP:WHITE", "TLP: RED", "TLP:AMBER STRICT", "RED", "TLP:PURPLE", "tlp:amber+strict\n", "TLP:\u00a0RED", "TLP:CLEAR\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := tlp.ParseLabel(s)
		if err != nil {
			if l != "" {
				t.Fatalf("ParseLabel(%q) returned %q with error %v; want no label with an error", s, l, err)
			}
			return
		}
		if !slices.Contains(tlp.Labels(), l) || !l.Valid() {
			t.Fatalf("ParseLabel(%q) = %q, which is not one of %v", s, l, tlp.Labels())
		}
		again, err := tlp.ParseLabel(l.String())
		if err != nil || again != l {
			t.Fatalf("ParseLabel(%q) = %q, but ParseLabel(%q) = %q, %v", s, l, l.String(), again, err)
		}
		if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
			t.Fatalf("ParseLabel(%q) = %q, but the input contains white space", s, l)
		}
	})
}

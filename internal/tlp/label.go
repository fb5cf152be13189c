package tlp

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Label is one TLP 2.0 label, written exactly as FIRST writes it.
type Label string

// The five TLP 2.0 labels. TLP:AMBER+STRICT is the AMBER qualifier that limits
// sharing to the recipient's own organisation.
const (
	Clear       Label = "TLP:CLEAR"
	Green       Label = "TLP:GREEN"
	Amber       Label = "TLP:AMBER"
	AmberStrict Label = "TLP:AMBER+STRICT"
	Red         Label = "TLP:RED"
)

// Labels lists the labels from least to most restrictive.
func Labels() []Label { return []Label{Clear, Green, Amber, AmberStrict, Red} }

// ParseLabel reads a label as FIRST writes it. TLP 2.0 says the label SHOULD be in
// capitals and MUST NOT contain spaces, so lower case is accepted but spaces are
// not. TLP:WHITE, the TLP 1.0 name, is read as TLP:CLEAR, which replaced it.
//
// An EU classification marking (RESTREINT UE/EU RESTRICTED and above) given
// instead of a label is refused with a *ClassifiedError: such information belongs
// on accredited channels, and the sender must be told so rather than merely that
// the label is unknown (§76).
func ParseLabel(s string) (Label, error) {
	if s == "" {
		return "", fmt.Errorf("TLP label is missing: unmarked input is refused; use one of %s", labelList())
	}
	// Before the space check, since "RESTREINT UE" is written with one.
	if err := CheckClassified(s); err != nil {
		return "", err
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return "", fmt.Errorf("TLP label %q contains a space: TLP 2.0 labels are written without spaces, e.g. TLP:AMBER+STRICT", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			// strings.ToUpper would map look-alikes (ſ, ı) onto ASCII letters.
			return "", fmt.Errorf("unknown TLP label %q: use one of %s", s, labelList())
		}
	}
	up := strings.ToUpper(s)
	if up == "TLP:WHITE" {
		return Clear, nil
	}
	for _, l := range Labels() {
		if up == string(l) {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown TLP label %q: use one of %s", s, labelList())
}

// Valid reports whether l is one of the five TLP 2.0 labels.
func (l Label) Valid() bool {
	for _, known := range Labels() {
		if l == known {
			return true
		}
	}
	return false
}

// Rank orders labels by restriction: 0 for CLEAR up to 4 for RED, -1 if invalid.
func (l Label) Rank() int {
	for i, known := range Labels() {
		if l == known {
			return i
		}
	}
	return -1
}

func (l Label) String() string { return string(l) }

func labelList() string {
	names := make([]string, 0, len(Labels()))
	for _, l := range Labels() {
		names = append(names, string(l))
	}
	return strings.Join(names, ", ")
}

// UnmarshalJSON reads a label through ParseLabel, so every JSON input refuses
// unmarked, unknown and classified markings the same way.
func (l *Label) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a TLP label must be a JSON string such as \"TLP:AMBER\"")
	}
	parsed, err := ParseLabel(s)
	if err != nil {
		return err
	}
	*l = parsed
	return nil
}

package tlp

import (
	"strings"
	"unicode"
)

// ClassifiedError is returned for input marked as EU classified information.
// Marking holds the classification level found, in its canonical bilingual form
// (e.g. "RESTREINT UE/EU RESTRICTED"), never the input itself: the input may be
// a free-text field holding the classified content, and this error's text can
// reach logs.
type ClassifiedError struct{ Marking string }

func (e *ClassifiedError) Error() string {
	const msg = "classified information (EU RESTRICTED and above) may not be entered on this platform; use the channels accredited for it (§76 of the Blueprint; Council Decision 2013/488/EU security rules)"
	if e.Marking == "" {
		return msg
	}
	return "input marked " + e.Marking + ": " + msg
}

// IsClassifiedMarking reports whether s carries an EU classification marking
// (RESTREINT UE/EU RESTRICTED or higher), in any case, with spaces, hyphens,
// underscores or slashes between the words, and with or without the accent of
// TRÈS. Ordinary words such as "secret", "restricted" or "Secretariat" alone
// are not markings.
func IsClassifiedMarking(s string) bool {
	_, ok := classificationLevel(s)
	return ok
}

// CheckClassified returns a *ClassifiedError if s carries an EU classification
// marking, and nil otherwise, so every parser refuses classified input with the
// same message.
func CheckClassified(s string) error {
	if level, ok := classificationLevel(s); ok {
		return &ClassifiedError{Marking: level}
	}
	return nil
}

// classificationLevel returns the canonical name of the highest EU
// classification level s is marked with.
func classificationLevel(s string) (string, bool) {
	// Highest level first, so that TRÈS SECRET UE is reported as itself rather
	// than as the SECRET UE it contains. French phrases are matched anywhere:
	// "RESTREINT UE", "CONFIDENTIEL UE" and "SECRET UE" occur in no ordinary
	// text. English phrases are matched as whole words only, since "EU SECRET"
	// begins "EU Secretariat", a phrase this platform uses every day.
	levels := [...]struct{ canonical, french, english string }{
		{"TRÈS SECRET UE/EU TOP SECRET", "TRES SECRET UE", "EU TOP SECRET"},
		{"SECRET UE/EU SECRET", "SECRET UE", "EU SECRET"},
		{"CONFIDENTIEL UE/EU CONFIDENTIAL", "CONFIDENTIEL UE", "EU CONFIDENTIAL"},
		{"RESTREINT UE/EU RESTRICTED", "RESTREINT UE", "EU RESTRICTED"},
	}
	norm := normaliseMarking(s)
	words := " " + norm + " "
	for _, l := range levels {
		if strings.Contains(norm, l.french) || strings.Contains(words, " "+l.english+" ") {
			return l.canonical, true
		}
	}
	return "", false
}

// normaliseMarking upper-cases s, drops accents from E and combining marks,
// and turns every run of characters that are neither letters nor digits into
// one space, so "Très_Secret-UE / EU top secret" reads "TRES SECRET UE EU TOP
// SECRET".
func normaliseMarking(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == 'È' || r == 'É' || r == 'Ê' || r == 'Ë':
			r = 'E'
		case unicode.Is(unicode.Mn, r):
			// A decomposed È is E followed by a combining grave accent.
			continue
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

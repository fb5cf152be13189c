package sitrep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gowebpki/jcs"
	"golang.org/x/mod/sumdb/note"
)

// Versions. A published version is immutable: it is an event, and events are
// never updated. Its signature binds the case, the kind, the version number
// and the SHA-256 of the document's canonical JSON (RFC 8785) to the node key,
// so a copy found anywhere — a PDF forwarded by mail, a JSON export — can be
// checked against the node's published key.

// Digest is "sha256:<hex>" of the document's canonical JSON.
func Digest(d Document) (string, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("digest: %w", err)
	}
	canon, err := jcs.Transform(raw)
	if err != nil {
		return "", fmt.Errorf("digest: canonical form: %w", err)
	}
	sum := sha256.Sum256(canon)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

func signedText(d Document, digest string) string {
	return fmt.Sprintf("blueprint situation report\ncase %s\nkind %s\nversion %d\n%s\n", d.Case, d.Kind, d.Version, digest)
}

// Sign returns the signed note over the document's identity and digest.
func Sign(signer note.Signer, d Document) (signature, digest string, err error) {
	digest, err = Digest(d)
	if err != nil {
		return "", "", err
	}
	msg, err := note.Sign(&note.Note{Text: signedText(d, digest)}, signer)
	if err != nil {
		return "", "", fmt.Errorf("sign situation report: %w", err)
	}
	return string(msg), digest, nil
}

// VerifySignature checks a signature made by Sign against the document.
func VerifySignature(verifier note.Verifier, d Document, signature string) error {
	n, err := note.Open([]byte(signature), note.VerifierList(verifier))
	if err != nil {
		return fmt.Errorf("situation report signature: %w", err)
	}
	digest, err := Digest(d)
	if err != nil {
		return err
	}
	if n.Text != signedText(d, digest) {
		return fmt.Errorf("situation report signature: it was made for another document or version")
	}
	return nil
}

// Diff lists what changed from prev to next, item by item. Items are matched
// by section and item heading; an item whose facts or marking differ changed.
func Diff(prev, next Document) *Delta {
	before, after := itemsByKey(prev), itemsByKey(next)
	d := &Delta{Previous: prev.Version, Added: []string{}, Removed: []string{}, Changed: []string{}}
	for k, it := range after {
		old, ok := before[k]
		switch {
		case !ok:
			d.Added = append(d.Added, k)
		case !sameItem(old, it):
			d.Changed = append(d.Changed, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			d.Removed = append(d.Removed, k)
		}
	}
	for _, l := range [][]string{d.Added, d.Removed, d.Changed} {
		slices.Sort(l)
	}
	return d
}

func itemsByKey(d Document) map[string]Item {
	out := map[string]Item{}
	for _, s := range d.Sections {
		for _, it := range s.Items {
			k := s.Heading + " — " + it.Heading
			// Two items with the same heading in one section (two reports of
			// one Member State with the same title) keep apart by source.
			if _, dup := out[k]; dup {
				k += " [" + it.Source.ID + "]"
			}
			out[k] = it
		}
	}
	return out
}

func sameItem(a, b Item) bool {
	x, _ := json.Marshal(struct {
		F []Fact
		M any
	}{a.Facts, a.Marking})
	y, _ := json.Marshal(struct {
		F []Fact
		M any
	}{b.Facts, b.Marking})
	return string(x) == string(y)
}

package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/eucyber/blueprint/internal/failure"
)

// maxBodyBytes bounds a JSON request body.
const maxBodyBytes = 1 << 20

// decodeJSON reads one JSON object from the request into v, refusing unknown
// fields, trailing data and oversized bodies, and naming where the body is wrong.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return failure.New(failure.Invalid, "the body must be JSON (Content-Type: application/json), not %q", ct)
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return failure.Wrap(failure.Invalid, err, "could not read the request body")
	}
	return decodeJSONBytes(body, v)
}

func decodeJSONBytes(body []byte, v any) error {
	if len(body) > maxBodyBytes {
		return failure.New(failure.Invalid, "the body is larger than %d bytes", maxBodyBytes)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return failure.New(failure.Invalid, "the body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeJSONError(body, err)
	}
	if dec.More() {
		return failure.New(failure.Invalid, "the body holds more than one JSON value")
	}
	return nil
}

func describeJSONError(body []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(body, syn.Offset)
		return failure.New(failure.Invalid, "the body is not valid JSON at line %d, column %d: %v", line, col, syn)
	case errors.As(err, &typ):
		field := "/" + strings.ReplaceAll(typ.Field, ".", "/")
		return &failure.Error{Kind: failure.Invalid, Field: field, Message: fmt.Sprintf("must be a JSON %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &failure.Error{Kind: failure.Invalid, Field: "/" + name, Message: "is not a field of this request"}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return failure.New(failure.Invalid, "the body ends before the JSON object does")
	}
	// What is left comes from a field's own decoder (a TLP label, for one): its
	// message is written for the client, and names the problem — including the
	// pointer to accredited channels for classified markings (§76).
	return failure.New(failure.Invalid, "%s", err.Error())
}

func position(body []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < offset && i < int64(len(body)); i++ {
		if body[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	}
	return "number"
}

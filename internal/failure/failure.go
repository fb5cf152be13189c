// Package failure is the project's small vocabulary of error kinds. Domain and
// storage code wrap errors with one of these kinds; each surface (JSON API, HTML,
// TAXII, CLI) maps a kind to its own response in exactly one place. An error of no
// known kind is internal: its text is logged, never shown to a client.
package failure

import (
	"errors"
	"fmt"
)

// Kind categorises an error for the surfaces that report it.
type Kind string

const (
	Invalid         Kind = "invalid"         // the input is wrong; the message says where
	NotFound        Kind = "not-found"       // no such thing (or not visible to the caller)
	Conflict        Kind = "conflict"        // the state changed under the caller; retry
	Forbidden       Kind = "forbidden"       // authenticated but not allowed
	Unauthenticated Kind = "unauthenticated" // who the caller is is unknown
	Throttled       Kind = "throttled"       // too many attempts; wait and retry
	Unavailable     Kind = "unavailable"     // a dependency is down; try later
	Internal        Kind = "internal"
)

// Error carries a kind and a message safe to show to the caller.
type Error struct {
	Kind    Kind
	Message string
	// Field names the input at fault, as a JSON pointer or flag name, if any.
	Field string
	Err   error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind with a caller-safe message.
func New(kind Kind, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Field returns an Invalid error naming the input field at fault.
func Field(field, format string, args ...any) error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap gives err a kind and a caller-safe message while keeping it for logs.
func Wrap(kind Kind, err error, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), Err: err}
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return Internal
}

// Is reports whether err is of the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// PublicMessage is the text a client may see: the kind's message for known kinds,
// a generic sentence for internal errors (whose detail may hold SQL or paths).
func PublicMessage(err error) string {
	var fe *Error
	if errors.As(err, &fe) && fe.Kind != Internal {
		if fe.Field != "" {
			return fe.Field + ": " + fe.Message
		}
		return fe.Message
	}
	return "internal error; the operator can find the details in the node's log"
}

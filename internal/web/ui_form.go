package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
)

// A form that fails comes back as the officer left it: every value kept (a
// form that loses her text is what Sanne fears), each message next to its
// field, and a summary at the top linking to the fields.

// fieldError is one message of a failed form. Field is "" for a message about
// the whole form (a refusal: "only the CSIRTs Network's chair …").
type fieldError struct {
	Field   string
	Label   string
	Anchor  string // the id of the input the summary links to
	Message string
}

type formErrors struct{ list []fieldError }

func (e formErrors) Any() bool          { return len(e.list) > 0 }
func (e formErrors) List() []fieldError { return e.list }

// Has reports whether the field has a message.
func (e formErrors) Has(field string) bool {
	return slices.ContainsFunc(e.list, func(fe fieldError) bool { return fe.Field == field })
}

// For is the field's messages, one sentence after another.
func (e formErrors) For(field string) string {
	var msgs []string
	for _, fe := range e.list {
		if fe.Field == field {
			msgs = append(msgs, fe.Message)
		}
	}
	return strings.Join(msgs, " ")
}

func (e *formErrors) add(fe fieldError) { e.list = append(e.list, fe) }

// inOrder sorts the messages as the form lists its fields, so the summary
// reads top to bottom like the form; messages about the whole form come
// first.
func (e formErrors) inOrder(fields []string) formErrors {
	out := formErrors{list: slices.Clone(e.list)}
	rank := func(fe fieldError) int {
		if fe.Field == "" {
			return -1
		}
		if i := slices.Index(fields, fe.Field); i >= 0 {
			return i
		}
		return len(fields)
	}
	slices.SortStableFunc(out.list, func(a, b fieldError) int { return rank(a) - rank(b) })
	return out
}

// fieldInfo names a field in the error summary and the input it links to.
type fieldInfo struct{ Label, Anchor string }

// fieldLabels maps the fields a domain error may name to the form's inputs.
type fieldLabels map[string]fieldInfo

// errorsOf splits a domain error into per-field messages: crisis.FieldErrors
// when validation found several, else the error's own field. A message for a
// field the form does not have goes to the summary, with the field named.
func errorsOf(err error, labels fieldLabels) formErrors {
	var out formErrors
	parts := []error{err}
	var fes crisis.FieldErrors
	if errors.As(err, &fes) {
		parts = fes
	}
	for _, e := range parts {
		var fe *failure.Error
		if !errors.As(e, &fe) || fe.Field == "" {
			out.add(fieldError{Message: failure.PublicMessage(e)})
			continue
		}
		info, ok := labels[fe.Field]
		if !ok {
			out.add(fieldError{Message: fe.Field + ": " + fe.Message})
			continue
		}
		out.add(fieldError{Field: fe.Field, Label: info.Label, Anchor: info.Anchor, Message: fe.Message})
	}
	return out
}

// merge adds b's messages, leaving out those about fields a already names:
// a value the form could not even read says more than what validating its
// zero value found.
func (e formErrors) merge(b formErrors) formErrors {
	out := formErrors{list: slices.Clone(e.list)}
	for _, fe := range b.list {
		if fe.Field == "" || !e.Has(fe.Field) {
			out.add(fe)
		}
	}
	return out
}

// shownInForm says whether a failed command is the officer's to correct, so
// the form comes back with the message; anything else is an error page.
func shownInForm(err error) (status int, ok bool) {
	switch failure.KindOf(err) {
	case failure.Invalid:
		return http.StatusUnprocessableEntity, true
	case failure.Forbidden:
		return http.StatusForbidden, true
	case failure.Conflict:
		return http.StatusConflict, true
	}
	return 0, false
}

// uiForm is a submitted form as the page shows it again: its values and
// messages. ID names the form, so a page with several forms shows them only
// in the one that was sent.
type uiForm struct {
	ID     string
	Values url.Values
	Errors formErrors
}

// For returns the form if it is the one with that id, else an empty one.
func (f uiForm) For(id string) uiForm {
	if f.ID == id {
		return f
	}
	return uiForm{ID: id}
}

// Get is the value the officer entered.
func (f uiForm) Get(name string) string { return f.Values.Get(name) }

// Has reports whether the officer chose value for the field (selects,
// multi-selects).
func (f uiForm) Has(name, value string) bool { return slices.Contains(f.Values[name], value) }

// Describe is an input's aria-describedby: its help text, if any, and its
// message when it has one.
func (f uiForm) Describe(help, field string) string {
	var ids []string
	if help != "" {
		ids = append(ids, help)
	}
	if f.Errors.Has(field) {
		ids = append(ids, "error-"+field)
	}
	return strings.Join(ids, " ")
}

// postedForm reads a submitted form. The CSRF check has parsed it already;
// this reads the same values.
func postedForm(r *http.Request, id string) (uiForm, error) {
	if err := r.ParseForm(); err != nil {
		return uiForm{}, failure.Wrap(failure.Invalid, err, "the form could not be read; reload the page and send it again")
	}
	return uiForm{ID: id, Values: r.PostForm}, nil
}

// splitIDs reads a list typed into one text field: commas, spaces or new
// lines between the ids.
func splitIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// fieldMessage is what the "fielderror" partial shows next to an input.
type fieldMessage struct{ Field, Message string }

// ErrorFor is the field's message for the "fielderror" partial.
func (f uiForm) ErrorFor(field string) fieldMessage {
	return fieldMessage{Field: field, Message: f.Errors.For(field)}
}

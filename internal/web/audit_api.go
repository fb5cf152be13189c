package web

import (
	"net/http"
	"strconv"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
)

// The audit trail (R19): logins, failed logins, token creation and use, and reads
// of AMBER+STRICT and RED items. Each record is marked for the operator and the
// organisations concerned, and listed through the TLP gate like any item.

const (
	auditPurpose     = "audit"
	defaultPageLimit = 50
	maxPageLimit     = 500
	// scanBudget bounds how many stored events one page may look at, so a caller
	// who may see little cannot make one request scan the whole log.
	scanBudget = 5000
)

// eventPage is one page of a listing. Next is absent on the last page.
type eventPage struct {
	Items []event.Event `json:"items"`
	Next  string        `json:"next,omitempty"`
}

func parseLimit(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return defaultPageLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxPageLimit {
		return 0, &failure.Error{Kind: failure.Invalid, Field: "limit", Message: "must be a whole number from 1 to " + strconv.Itoa(maxPageLimit)}
	}
	return n, nil
}

// pageRequest reads a listing's limit and its opaque cursor (sealed for
// purpose), naming the parameter at fault.
func (d Deps) pageRequest(r *http.Request, purpose string) (limit int, start int64, err error) {
	if limit, err = parseLimit(r); err != nil {
		return 0, 0, err
	}
	if c := r.URL.Query().Get("cursor"); c != "" {
		if start, err = d.Cursors.open(purpose, c); err != nil {
			return 0, 0, &failure.Error{Kind: failure.Invalid, Field: "cursor", Message: err.Error()}
		}
	}
	return limit, start, nil
}

func handleAudit(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		limit, after, err := d.pageRequest(r, auditPurpose)
		if err != nil {
			return err
		}
		page := eventPage{Items: []event.Event{}}
		scanned, more := 0, true
		for len(page.Items) < limit && scanned < scanBudget && more {
			batch := min(limit*4, scanBudget-scanned)
			recs, err := d.Store.ReadKindAfter(r.Context(), "audit", after, batch)
			if err != nil {
				return err
			}
			more = len(recs) == batch
			for i, rec := range recs {
				scanned++
				after = rec.Position
				page.Items = append(page.Items, d.visible(r, recs[i:i+1])...)
				if len(page.Items) == limit {
					more = more || i < len(recs)-1
					break
				}
			}
		}
		if more {
			page.Next = d.Cursors.seal(auditPurpose, after)
		}
		if err := d.recordReads(r, page.Items); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, page)
	}
}

package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/tlp"
)

// LogReader is the part of the store the directory follows.
type LogReader interface {
	ReadAfter(ctx context.Context, after int64, limit int) ([]event.Record, error)
}

// Directory is the current state of every organisation and user: the fold of
// their events. It follows the log by position, so on several replicas each one
// catches up with the others' changes at its next Refresh.
type Directory struct {
	mu         sync.RWMutex
	position   int64
	orgs       map[string]Organisation
	users      map[string]User
	byUsername map[string]string // normalised username → user id
}

// NewDirectory returns an empty directory; call Refresh to load it.
func NewDirectory() *Directory {
	return &Directory{orgs: map[string]Organisation{}, users: map[string]User{}, byUsername: map[string]string{}}
}

const refreshBatch = 1000

// Refresh applies every event committed since the last refresh.
func (d *Directory) Refresh(ctx context.Context, src LogReader) error {
	// One refresh at a time keeps positions in order; readers are not blocked
	// while the store is read.
	for {
		d.mu.RLock()
		after := d.position
		d.mu.RUnlock()
		recs, err := src.ReadAfter(ctx, after, refreshBatch)
		if err != nil {
			return fmt.Errorf("refresh directory: %w", err)
		}
		if len(recs) == 0 {
			return nil
		}
		d.mu.Lock()
		for _, r := range recs {
			if r.Position <= d.position {
				continue // another refresh applied it meanwhile
			}
			if err := d.apply(r.Event); err != nil {
				d.mu.Unlock()
				return fmt.Errorf("refresh directory: event %s at position %d: %w", r.Event.ID, r.Position, err)
			}
			d.position = r.Position
		}
		d.mu.Unlock()
		if len(recs) < refreshBatch {
			return nil
		}
	}
}

func (d *Directory) apply(e event.Event) error {
	switch {
	case strings.HasPrefix(e.Stream, "organisation-"):
		id := strings.TrimPrefix(e.Stream, "organisation-")
		o, err := applyOrganisation(d.orgs[id], e)
		if err != nil {
			return err
		}
		d.orgs[id] = o
	case strings.HasPrefix(e.Stream, "user-"):
		id := strings.TrimPrefix(e.Stream, "user-")
		u, err := applyUser(d.users[id], e)
		if err != nil {
			return err
		}
		d.users[id] = u
		d.byUsername[u.Username] = id
	}
	return nil
}

// Organisation returns one organisation.
func (d *Directory) Organisation(id string) (Organisation, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.orgs[id]
	return o, ok
}

// ActorOf names the model actor an organisation acts as — its Union actor, or
// "member-states" for a national one — and its Member State, for the
// playbook's step owners. Unknown organisations get empty strings.
func (d *Directory) ActorOf(id string) (actor, memberState string) {
	o, ok := d.Organisation(id)
	switch {
	case !ok:
		return "", ""
	case o.Actor != "":
		return o.Actor, o.MemberState
	}
	return "member-states", o.MemberState
}

// Organisations lists all organisations by id.
func (d *Directory) Organisations() []Organisation {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Organisation, 0, len(d.orgs))
	for _, o := range d.orgs {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Organisation) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// User returns one user by id.
func (d *Directory) User(id string) (User, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	u, ok := d.users[id]
	return u, ok
}

// UserByUsername returns one user by (normalised) username.
func (d *Directory) UserByUsername(username string) (User, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	id, ok := d.byUsername[NormaliseUsername(username)]
	if !ok {
		return User{}, false
	}
	return d.users[id], true
}

// Users lists the users of one organisation ("" for all), by username.
func (d *Directory) Users(org string) []User {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []User
	for _, u := range d.users {
		if org == "" || u.Organisation == org {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Username, b.Username) })
	return out
}

// OrganisationNetworks implements tlp.Directory: the networks-audience ids that
// reach the organisation (Organisation.Audiences).
func (d *Directory) OrganisationNetworks(org string) []string {
	o, _ := d.Organisation(org)
	return o.Audiences()
}

// UserOrganisation implements tlp.Directory.
func (d *Directory) UserOrganisation(user string) (string, bool) {
	u, ok := d.User(user)
	return u.Organisation, ok
}

// Viewer is the TLP gate's view of a user (the zero Viewer when unknown or
// disabled, which sees only what is public).
func (d *Directory) Viewer(userID, exercise string) tlp.Viewer {
	u, ok := d.User(userID)
	if !ok || u.Disabled {
		return tlp.Viewer{}
	}
	return tlp.Viewer{User: u.ID, Organisation: u.Organisation, Networks: d.OrganisationNetworks(u.Organisation), Exercise: exercise}
}

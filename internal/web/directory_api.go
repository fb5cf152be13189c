package web

import (
	"context"
	"net/http"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/failure"
)

// The directory of organisations is shared with every user of the node (R1,
// TLP:GREEN for the community); users are listed to their own organisation, and
// to the platform operator's admins.

func handleListOrganisations(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, d.Auth.Dir.Organisations())
	}
}

func handleGetOrganisation(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		o, ok := d.Auth.Dir.Organisation(r.PathValue("id"))
		if !ok {
			return &failure.Error{Kind: failure.NotFound, Field: "id", Message: "no organisation " + quote(r.PathValue("id"))}
		}
		return writeJSON(w, http.StatusOK, o)
	}
}

func handleRegisterOrganisation(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var req auth.OrganisationRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		o, err := d.Auth.RegisterOrganisation(r.Context(), c.User, req)
		if err != nil {
			return err
		}
		w.Header().Set("Location", apiPrefix+"/organisations/"+o.ID)
		return writeJSON(w, http.StatusCreated, o)
	}
}

// membershipChange is GrantMembership or RevokeMembership.
type membershipChange func(ctx context.Context, actor auth.User, org string, m auth.Membership) (auth.Organisation, error)

func handleMembership(change membershipChange) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var m auth.Membership
		if err := decodeJSON(r, &m); err != nil {
			return err
		}
		if m.Condition != "" {
			return &failure.Error{Kind: failure.Invalid, Field: "/condition", Message: "conditional memberships come from the model (§20), not from an admin"}
		}
		o, err := change(r.Context(), c.User, r.PathValue("id"), m)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, o)
	}
}

func handleListUsers(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		org := r.URL.Query().Get("organisation")
		if !c.User.IsPlatformAdmin() {
			if org != "" && org != c.User.Organisation {
				return &failure.Error{Kind: failure.Forbidden, Field: "organisation", Message: "you may list the users of your own organisation only"}
			}
			org = c.User.Organisation
		}
		users := d.Auth.Dir.Users(org)
		if users == nil {
			users = []auth.User{}
		}
		return writeJSON(w, http.StatusOK, users)
	}
}

func handleCreateUser(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var req auth.UserRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		u, err := d.Auth.CreateUser(r.Context(), c.User, req)
		if err != nil {
			return err
		}
		w.Header().Set("Location", apiPrefix+"/users/"+u.ID)
		return writeJSON(w, http.StatusCreated, u)
	}
}

// userInReach returns a user of the caller's organisation (any, for platform
// admins). A user of another organisation answers like a missing one, so user
// ids cannot be probed.
func (d Deps) userInReach(c caller, id string) (auth.User, error) {
	u, ok := d.Auth.Dir.User(id)
	if !ok || (u.Organisation != c.User.Organisation && !c.User.IsPlatformAdmin()) {
		return auth.User{}, &failure.Error{Kind: failure.NotFound, Field: "id", Message: "no user " + quote(id)}
	}
	return u, nil
}

func handleGetUser(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		u, err := d.userInReach(c, r.PathValue("id"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, u)
	}
}

type disableRequest struct {
	Reason string `json:"reason"`
}

func handleDisableUser(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var req disableRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		target, err := d.userInReach(c, r.PathValue("id"))
		if err != nil {
			return err
		}
		u, err := d.Auth.DisableUser(r.Context(), c.User, target.ID, req.Reason)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, u)
	}
}

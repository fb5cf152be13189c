package auth

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/eucyber/blueprint/internal/event"
)

// Event types of this package.
const (
	EventOrganisationRegistered = "organisation.registered"
	EventMembershipGranted      = "organisation.membership_granted"
	EventMembershipRevoked      = "organisation.membership_revoked"
	EventUserRegistered         = "user.registered"
	EventUserRoleChanged        = "user.role_changed"
	EventUserDisabled           = "user.disabled"
	EventUserEnabled            = "user.enabled"
	EventPasswordChanged        = "user.password_changed"
	EventTokenCreated           = "user.token_created"
	EventTokenRevoked           = "user.token_revoked"
	EventLoginSucceeded         = "audit.login_succeeded"
	EventLoginFailed            = "audit.login_failed"
	EventTokenUsed              = "audit.token_used"
)

type organisationRegistered struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Actor        string       `json:"actor,omitempty"`
	NationalKind string       `json:"national_kind,omitempty"`
	MemberState  string       `json:"member_state,omitempty"`
	Memberships  []Membership `json:"memberships"`
}

type membershipChanged struct {
	Membership
}

type userRegistered struct {
	ID           string `json:"id"`
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Organisation string `json:"organisation"`
	Role         Role   `json:"role"`
}

type userRoleChanged struct {
	Role Role `json:"role"`
}

type userDisabled struct {
	Reason string `json:"reason,omitempty"`
}

type tokenCreated struct {
	TokenID   string    `json:"token_id"`
	Name      string    `json:"name"`
	ExpiresAt time.Time `json:"expires_at"`
}

type tokenRevoked struct {
	TokenID string `json:"token_id"`
}

// loginAudit records a login attempt. The username is recorded as typed only for
// failures, so that guessing at accounts is visible to the operator.
type loginAudit struct {
	UserID   string `json:"user_id,omitempty"`
	Username string `json:"username,omitempty"`
	Client   string `json:"client"`
	Method   string `json:"method"` // password | token
	Reason   string `json:"reason,omitempty"`
}

// applyOrganisation folds one event into an organisation.
func applyOrganisation(o Organisation, e event.Event) (Organisation, error) {
	switch e.Type {
	case EventOrganisationRegistered:
		var p organisationRegistered
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return o, fmt.Errorf("%s: %w", e.Type, err)
		}
		o = Organisation{ID: p.ID, Name: p.Name, Actor: p.Actor, NationalKind: p.NationalKind, MemberState: p.MemberState, Memberships: p.Memberships}
	case EventMembershipGranted:
		var p membershipChanged
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return o, fmt.Errorf("%s: %w", e.Type, err)
		}
		if !slices.ContainsFunc(o.Memberships, sameMembership(p.Membership)) {
			o.Memberships = append(slices.Clone(o.Memberships), p.Membership)
		}
	case EventMembershipRevoked:
		var p membershipChanged
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return o, fmt.Errorf("%s: %w", e.Type, err)
		}
		o.Memberships = slices.DeleteFunc(slices.Clone(o.Memberships), sameMembership(p.Membership))
	default:
		return o, nil
	}
	o.Version = e.Version
	return o, nil
}

func sameMembership(m Membership) func(Membership) bool {
	return func(x Membership) bool {
		return x.Network == m.Network && x.Role == m.Role && x.Condition == m.Condition
	}
}

// applyUser folds one event into a user.
func applyUser(u User, e event.Event) (User, error) {
	switch e.Type {
	case EventUserRegistered:
		var p userRegistered
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return u, fmt.Errorf("%s: %w", e.Type, err)
		}
		u = User{ID: p.ID, Username: p.Username, DisplayName: p.DisplayName, Organisation: p.Organisation, Role: p.Role}
	case EventUserRoleChanged:
		var p userRoleChanged
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return u, fmt.Errorf("%s: %w", e.Type, err)
		}
		u.Role = p.Role
	case EventUserDisabled:
		u.Disabled = true
	case EventUserEnabled:
		u.Disabled = false
	}
	u.Version = e.Version
	return u, nil
}

// EventItemsRead records that a user was shown items marked TLP:AMBER+STRICT or
// TLP:RED (R15, R19): who saw what, when.
const EventItemsRead = "audit.items_read"

type itemsRead struct {
	UserID string   `json:"user_id"`
	Items  []string `json:"items"`
	Via    string   `json:"via"` // the route that showed them
}

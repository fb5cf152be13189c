package auth

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/eucyber/blueprint/internal/failure"
)

// Role is what a user may do on behalf of their organisation.
type Role string

const (
	// RoleViewer reads what their organisation may see.
	RoleViewer Role = "viewer"
	// RoleAnalyst also records and amends information (reports, indicators).
	RoleAnalyst Role = "analyst"
	// RoleCoordinator also records decisions on behalf of the organisation
	// (a network's activation, advice, an IPCR decision).
	RoleCoordinator Role = "coordinator"
	// RoleAdmin also manages the organisation's users; in the operator
	// organisation, every organisation and user of the node.
	RoleAdmin Role = "admin"
)

// Roles lists the roles from least to most privileged.
func Roles() []Role { return []Role{RoleViewer, RoleAnalyst, RoleCoordinator, RoleAdmin} }

// AtLeast reports whether r includes every right of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() >= 0 }

func (r Role) rank() int {
	for i, known := range Roles() {
		if r == known {
			return i
		}
	}
	return -1
}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if r.rank() < 0 {
		return "", failure.Field("role", "%q is not a role; use viewer, analyst, coordinator or admin", s)
	}
	return r, nil
}

// User is one person with an account.
type User struct {
	ID           string `json:"id"`
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Organisation string `json:"organisation"`
	Role         Role   `json:"role"`
	Disabled     bool   `json:"disabled"`
	Version      int64  `json:"version"`
}

// IsPlatformAdmin reports whether u administers the whole node.
func (u User) IsPlatformAdmin() bool {
	return u.Role == RoleAdmin && u.Organisation == OperatorOrganisation && !u.Disabled
}

// CanManage reports whether u may manage users of organisation org.
func (u User) CanManage(org string) bool {
	return !u.Disabled && u.Role == RoleAdmin && (u.Organisation == org || u.Organisation == OperatorOrganisation)
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// UserRequest is what an admin gives to create a user.
type UserRequest struct {
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Organisation string `json:"organisation"`
	Role         string `json:"role"`
	Password     string `json:"password"`
}

// NormaliseUsername folds a username to the form it is stored and looked up in.
func NormaliseUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the request's own fields; the organisation is checked against
// the directory by the service.
func (r UserRequest) Validate() error {
	var errs []error
	if !usernamePattern.MatchString(NormaliseUsername(r.Username)) {
		errs = append(errs, failure.Field("username", "must be 2-64 characters of a-z, 0-9, '.', '_', '@' or '-' (e.g. sanne.devries)"))
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(r.DisplayName)); n == 0 || n > 200 {
		errs = append(errs, failure.Field("display_name", "must be 1-200 characters"))
	}
	if r.Organisation == "" {
		errs = append(errs, failure.Field("organisation", "is missing"))
	}
	if _, err := ParseRole(r.Role); err != nil {
		errs = append(errs, err)
	}
	if err := CheckPassword(r.Password); err != nil {
		errs = append(errs, err)
	}
	return joinInvalid(errs)
}

// MinPasswordLength follows NIST SP 800-63B's minimum for memorised secrets
// chosen by the user, with room for passphrases.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// CheckPassword applies the password policy: length only, as NIST SP 800-63B
// advises, since composition rules push people to predictable patterns.
func CheckPassword(p string) error {
	n := utf8.RuneCountInString(p)
	if n < MinPasswordLength {
		return failure.Field("password", "must be at least %d characters; a passphrase of several words is easiest", MinPasswordLength)
	}
	if len(p) > MaxPasswordLength {
		return failure.Field("password", "must be at most %d bytes", MaxPasswordLength)
	}
	return nil
}

func userStream(id string) string { return "user-" + id }

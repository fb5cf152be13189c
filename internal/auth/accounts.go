package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
)

// CreateUser creates an account in an organisation; admins of that organisation
// or of the platform operator only.
func (s *Service) CreateUser(ctx context.Context, actor User, req UserRequest) (User, error) {
	if err := req.Validate(); err != nil {
		return User{}, err
	}
	if !actor.CanManage(req.Organisation) {
		return User{}, failure.New(failure.Forbidden, "only an admin of organisation %s (or of the platform operator) creates its users", req.Organisation)
	}
	return s.createUser(ctx, actorOf(actor), req)
}

// BootstrapAdmin creates the first admin, in the operator organisation, when the
// node has no user at all. It returns created=false when users exist already.
func (s *Service) BootstrapAdmin(ctx context.Context, username, password string) (created bool, err error) {
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return false, err
	}
	if len(s.Dir.Users("")) > 0 {
		return false, nil
	}
	_, err = s.createUser(ctx, SystemActor, UserRequest{Username: username, DisplayName: "Platform administrator",
		Organisation: OperatorOrganisation, Role: string(RoleAdmin), Password: password})
	var fe *failure.Error
	if errors.As(err, &fe) && fe.Kind == failure.Conflict {
		return false, nil // another replica bootstrapped at the same moment
	}
	return err == nil, err
}

func (s *Service) createUser(ctx context.Context, actor event.Actor, req UserRequest) (User, error) {
	if err := req.Validate(); err != nil {
		return User{}, err
	}
	if _, ok := s.Dir.Organisation(req.Organisation); !ok {
		return User{}, failure.Field("organisation", "no organisation %q; list them with GET /api/v1/organisations", req.Organisation)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return User{}, err
	}
	username := NormaliseUsername(req.Username)
	hash, err := s.Hasher.Hash(req.Password)
	if err != nil {
		return User{}, err
	}
	// The username is claimed before the event is appended: the unique key in the
	// credential store decides between two replicas creating the same name.
	if err := s.Creds.ClaimUsername(ctx, username, id.String()); err != nil {
		return User{}, err
	}
	if err := s.Creds.SetPasswordHash(ctx, id.String(), hash, s.Now()); err != nil {
		return User{}, err
	}
	p := userRegistered{ID: id.String(), Username: username, DisplayName: strings.TrimSpace(req.DisplayName), Organisation: req.Organisation, Role: Role(req.Role)}
	if err := s.appendOne(ctx, userStream(p.ID), "user", 0, EventUserRegistered, actor, directoryMarking, p); err != nil {
		return User{}, err
	}
	u, _ := s.Dir.User(p.ID)
	return u, nil
}

// SetPassword changes a user's password: the user themself (who must give the
// current one) or an admin who manages them. Every session of the user ends.
func (s *Service) SetPassword(ctx context.Context, actor User, userID, current, next string) error {
	target, ok := s.Dir.User(userID)
	if !ok {
		return failure.New(failure.NotFound, "no user %s", userID)
	}
	self := actor.ID == target.ID
	if !self && !actor.CanManage(target.Organisation) {
		return failure.New(failure.Forbidden, "only the user or an admin of their organisation changes a password")
	}
	if self {
		if ok, err := s.checkPassword(ctx, target.ID, current); err != nil {
			return err
		} else if !ok {
			return failure.Field("current_password", "is not your current password")
		}
	}
	if err := CheckPassword(next); err != nil {
		return err
	}
	return s.setPassword(ctx, actorOf(actor), target, next)
}

// ResetPassword is the operator's way in from the host (blueprint user passwd).
func (s *Service) ResetPassword(ctx context.Context, username, next string) error {
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return err
	}
	target, ok := s.Dir.UserByUsername(username)
	if !ok {
		return failure.New(failure.NotFound, "no user %q", username)
	}
	if err := CheckPassword(next); err != nil {
		return err
	}
	return s.setPassword(ctx, SystemActor, target, next)
}

func (s *Service) setPassword(ctx context.Context, actor event.Actor, target User, next string) error {
	hash, err := s.Hasher.Hash(next)
	if err != nil {
		return err
	}
	if err := s.Creds.SetPasswordHash(ctx, target.ID, hash, s.Now()); err != nil {
		return err
	}
	if err := s.Creds.DeleteUserSessions(ctx, target.ID); err != nil {
		return err
	}
	return s.retry(ctx, func() error {
		u, _ := s.Dir.User(target.ID)
		return s.appendOne(ctx, userStream(u.ID), "user", u.Version, EventPasswordChanged, actor, directoryMarking, struct{}{})
	})
}

// DisableUser stops an account: its sessions end and its tokens stop working.
func (s *Service) DisableUser(ctx context.Context, actor User, userID, reason string) (User, error) {
	return s.disable(ctx, actorOf(actor), &actor, userID, reason)
}

// DisableUserByName is the operator's way from the host (blueprint user disable).
func (s *Service) DisableUserByName(ctx context.Context, username, reason string) (User, error) {
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return User{}, err
	}
	u, ok := s.Dir.UserByUsername(username)
	if !ok {
		return User{}, failure.New(failure.NotFound, "no user %q", username)
	}
	return s.disable(ctx, SystemActor, nil, u.ID, reason)
}

func (s *Service) disable(ctx context.Context, actor event.Actor, by *User, userID, reason string) (User, error) {
	target, ok := s.Dir.User(userID)
	if !ok {
		return User{}, failure.New(failure.NotFound, "no user %s", userID)
	}
	if by != nil {
		if !by.CanManage(target.Organisation) {
			return User{}, failure.New(failure.Forbidden, "only an admin of organisation %s disables its users", target.Organisation)
		}
		if by.ID == target.ID {
			return User{}, failure.New(failure.Invalid, "you cannot disable your own account; ask another admin")
		}
	}
	if target.Disabled {
		return target, nil
	}
	if err := s.Creds.DeleteUserSessions(ctx, target.ID); err != nil {
		return User{}, err
	}
	err := s.retry(ctx, func() error {
		u, _ := s.Dir.User(target.ID)
		return s.appendOne(ctx, userStream(u.ID), "user", u.Version, EventUserDisabled, actor, directoryMarking, userDisabled{Reason: reason})
	})
	if err != nil {
		return User{}, err
	}
	u, _ := s.Dir.User(target.ID)
	return u, nil
}

// dummyHash returns a hash made with the service's own parameters, verified
// against when the username is unknown, so that a login for a missing account
// takes as long as one with a wrong password.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		h, err := s.Hasher.Hash("not a password anyone has")
		if err == nil {
			s.dummy = h
		}
	})
	return s.dummy
}

// ErrBadCredentials is the one answer to a failed login, whatever the cause, so
// that the response does not reveal whether an account exists.
var ErrBadCredentials = failure.New(failure.Unauthenticated, "unknown username or wrong password")

// ThrottledError says how long to wait before trying again.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed logins; try again in %s", e.RetryAfter.Round(time.Second))
}

// Unwrap makes throttling a failure.Throttled for the surfaces that report it.
func (e *ThrottledError) Unwrap() error {
	return &failure.Error{Kind: failure.Throttled, Message: e.Error()}
}

// RetryAfterSeconds is the wait to announce in a Retry-After header.
func (e *ThrottledError) RetryAfterSeconds() int { return int(e.RetryAfter.Seconds()) + 1 }

// Authenticate checks a username and password from client (an address).
func (s *Service) Authenticate(ctx context.Context, username, password, client string) (User, error) {
	name := NormaliseUsername(username)
	now := s.Now()
	if ok, wait := s.Throttle.Allow(name, client, now); !ok {
		return User{}, &ThrottledError{RetryAfter: wait}
	}
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return User{}, err
	}
	u, found := s.Dir.UserByUsername(name)
	ok := false
	var err error
	if found {
		ok, err = s.checkPassword(ctx, u.ID, password)
		if err != nil {
			return User{}, err
		}
	} else {
		Verify(s.dummyHash(), password) //nolint:errcheck // timing only
	}
	if !found || !ok || u.Disabled {
		s.Throttle.Fail(name, client, now)
		reason := "wrong password"
		switch {
		case !found:
			reason = "unknown username"
		case u.Disabled && ok:
			reason = "account disabled"
		}
		if aerr := s.appendAudit(ctx, EventLoginFailed, SystemActor, u.Organisation,
			loginAudit{UserID: u.ID, Username: truncate(name, 64), Client: client, Method: "password", Reason: reason}); aerr != nil {
			return User{}, aerr
		}
		return User{}, ErrBadCredentials
	}
	s.Throttle.Succeed(name)
	if err := s.appendAudit(ctx, EventLoginSucceeded, actorOf(u), u.Organisation, loginAudit{UserID: u.ID, Client: client, Method: "password"}); err != nil {
		return User{}, err
	}
	return u, nil
}

func (s *Service) checkPassword(ctx context.Context, userID, password string) (bool, error) {
	hash, err := s.Creds.PasswordHash(ctx, userID)
	if failure.Is(err, failure.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return Verify(hash, password)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

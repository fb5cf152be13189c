package auth

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
)

// The operator's methods: what the person with shell access to the node does
// from the host (blueprint user …, blueprint token …). They act as SystemActor,
// the platform operator, so they need no account and check no role; the events
// they append record SystemActor as the one who acted. Each refreshes the
// directory first, because the CLI runs beside nodes that change it.

// AddUser creates a user in any existing organisation.
func (s *Service) AddUser(ctx context.Context, req UserRequest) (User, error) {
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return User{}, err
	}
	// Every problem at once: the request's own fields, then the organisation.
	invalid := req.Validate()
	if _, ok := s.Dir.Organisation(req.Organisation); !ok && req.Organisation != "" {
		orgErr := failure.Field("organisation", "no organisation %q on this node; it has %s", req.Organisation, s.organisationIDs())
		if invalid == nil {
			return User{}, orgErr
		}
		return User{}, joinInvalid([]error{invalid, orgErr})
	}
	if invalid != nil {
		return User{}, invalid
	}
	return s.createUser(ctx, SystemActor, req)
}

// organisationIDs lists the organisations for a message, the first few only.
func (s *Service) organisationIDs() string {
	const most = 20
	orgs := s.Dir.Organisations()
	ids := make([]string, 0, min(len(orgs), most))
	for _, o := range orgs[:min(len(orgs), most)] {
		ids = append(ids, o.ID)
	}
	if len(orgs) == 0 {
		return "none yet"
	}
	if len(orgs) > most {
		return fmt.Sprintf("%s and %d more", strings.Join(ids, ", "), len(orgs)-most)
	}
	return strings.Join(ids, ", ")
}

// userNamed returns the current state of the user with username.
func (s *Service) userNamed(ctx context.Context, username string) (User, error) {
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return User{}, err
	}
	u, ok := s.Dir.UserByUsername(username)
	if !ok {
		return User{}, failure.New(failure.NotFound, "no user %q", strings.TrimSpace(username))
	}
	return u, nil
}

// CreateTokenFor makes an API token for the user with username and returns its
// secret, shown once. A disabled user gets none: it would not authenticate.
func (s *Service) CreateTokenFor(ctx context.Context, username string, req TokenRequest) (string, Token, error) {
	u, err := s.userNamed(ctx, username)
	if err != nil {
		return "", Token{}, err
	}
	if u.Disabled {
		return "", Token{}, failure.New(failure.Invalid, "user %q is disabled: a token for it would not authenticate", u.Username)
	}
	return s.createToken(ctx, SystemActor, u, req)
}

// TokensOf lists the tokens of the user with username, revoked and expired ones
// included.
func (s *Service) TokensOf(ctx context.Context, username string) ([]Token, error) {
	u, err := s.userNamed(ctx, username)
	if err != nil {
		return nil, err
	}
	return s.Creds.Tokens(ctx, u.ID)
}

// RevokeTokenByID revokes any user's token. Revoking a revoked token does nothing.
func (s *Service) RevokeTokenByID(ctx context.Context, id string) error {
	t, err := s.Creds.TokenByID(ctx, strings.TrimSpace(id))
	if err != nil {
		return err
	}
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return err
	}
	return s.revokeToken(ctx, SystemActor, t)
}

// createToken is CreateToken with the actor of the event given: owner for their
// own token, SystemActor for the operator's.
func (s *Service) createToken(ctx context.Context, actor event.Actor, owner User, req TokenRequest) (string, Token, error) {
	name := strings.TrimSpace(req.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return "", Token{}, failure.Field("name", "must be 1-100 characters, e.g. the tool that will use it (\"MISP sync\")")
	}
	ttl := s.MaxTokenTTL
	if req.TTL != "" {
		d, err := time.ParseDuration(req.TTL)
		if err != nil || d <= 0 {
			return "", Token{}, failure.Field("ttl", "%q is not a positive duration (e.g. 720h for 30 days)", req.TTL)
		}
		if d > s.MaxTokenTTL {
			return "", Token{}, failure.Field("ttl", "%s is longer than this node's maximum, %s", d, s.MaxTokenTTL)
		}
		ttl = d
	}
	id, err := newTokenID()
	if err != nil {
		return "", Token{}, err
	}
	secret, err := newSecret()
	if err != nil {
		return "", Token{}, err
	}
	full := TokenPrefix + id + "_" + secret
	now := s.Now().UTC()
	t := Token{ID: id, UserID: owner.ID, Name: name, Hash: HashSecret(full), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.Creds.CreateToken(ctx, t); err != nil {
		return "", Token{}, err
	}
	err = s.retry(ctx, func() error {
		u, _ := s.Dir.User(owner.ID)
		return s.appendOne(ctx, userStream(u.ID), "user", u.Version, EventTokenCreated, actor, auditMarking(owner.Organisation),
			tokenCreated{TokenID: id, Name: name, ExpiresAt: t.ExpiresAt})
	})
	if err != nil {
		return "", Token{}, err
	}
	return full, t, nil
}

// revokeToken revokes t and records EventTokenRevoked by actor in its owner's
// stream, the path RevokeToken takes once it has checked who may revoke.
func (s *Service) revokeToken(ctx context.Context, actor event.Actor, t Token) error {
	if t.RevokedAt != nil {
		return nil
	}
	owner, ok := s.Dir.User(t.UserID)
	if !ok {
		return fmt.Errorf("revoke token %s: its user %s is not in the directory", t.ID, t.UserID)
	}
	if err := s.Creds.RevokeToken(ctx, t.ID, s.Now().UTC()); err != nil {
		return err
	}
	return s.retry(ctx, func() error {
		u, _ := s.Dir.User(t.UserID)
		return s.appendOne(ctx, userStream(u.ID), "user", u.Version, EventTokenRevoked, actor, auditMarking(owner.Organisation), tokenRevoked{TokenID: t.ID})
	})
}

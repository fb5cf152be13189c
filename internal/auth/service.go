package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/tlp"
)

// EventStore is what the service needs from the store.
type EventStore interface {
	Append(ctx context.Context, req store.AppendRequest) (store.AppendResult, error)
	LogReader
}

// Service carries out account and organisation commands: it checks who may do
// what, appends the events, and keeps secrets in the CredentialStore.
type Service struct {
	Events   EventStore
	Creds    CredentialStore
	Dir      *Directory
	Model    *model.Model
	Hasher   Hasher
	Throttle *Throttle
	Now      func() time.Time
	// SessionTTL is how long a browser session lasts; MaxTokenTTL caps API tokens.
	SessionTTL  time.Duration
	MaxTokenTTL time.Duration

	dummyOnce sync.Once
	dummy     string
	tokenUses sync.Map // token id → time of the last audited use
}

// SystemActor records what the node does by itself (seeding, bootstrap, the CLI
// run by the operator on the host).
var SystemActor = event.Actor{User: "system", Organisation: OperatorOrganisation}

// directoryMarking: the directory of organisations and users is shared with the
// whole community of the platform (R1), not with the public.
var directoryMarking = tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}}

// auditMarking: who logged in and when is for the operator and the user's own
// organisation only.
func auditMarking(org string) tlp.Marking {
	ids := []string{OperatorOrganisation}
	if org != "" && org != OperatorOrganisation {
		ids = append(ids, org)
	}
	return tlp.Marking{TLP: tlp.AmberStrict, Audience: tlp.Audience{Kind: tlp.Organisations, IDs: ids}}
}

func actorOf(u User) event.Actor { return event.Actor{User: u.ID, Organisation: u.Organisation} }

// newEvent builds one event for stream at version.
func (s *Service) newEvent(stream string, version int64, typ string, actor event.Actor, marking tlp.Marking, payload any) (event.Event, error) {
	id, err := event.NewID()
	if err != nil {
		return event.Event{}, err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return event.Event{}, fmt.Errorf("encode %s: %w", typ, err)
	}
	now := s.Now().UTC()
	return event.Event{ID: id, Stream: stream, Version: version, Type: typ, OccurredAt: now, RecordedAt: now,
		Actor: actor, Marking: marking, Payload: body}, nil
}

// appendOne appends one event to stream at expected version and refreshes the
// directory so the caller reads its own write.
func (s *Service) appendOne(ctx context.Context, stream, kind string, expected int64, typ string, actor event.Actor, marking tlp.Marking, payload any) error {
	e, err := s.newEvent(stream, expected+1, typ, actor, marking, payload)
	if err != nil {
		return err
	}
	if _, err := s.Events.Append(ctx, store.AppendRequest{Stream: stream, Kind: kind, ExpectedVersion: expected, Events: []event.Event{e}}); err != nil {
		return err
	}
	return s.Dir.Refresh(ctx, s.Events)
}

// appendAudit records an audit event in a stream of its own, so audit never
// contends with the user's other writes.
func (s *Service) appendAudit(ctx context.Context, typ string, actor event.Actor, org string, payload any) error {
	return s.appendAuditMarked(ctx, typ, actor, auditMarking(org), payload)
}

func (s *Service) appendAuditMarked(ctx context.Context, typ string, actor event.Actor, m tlp.Marking, payload any) error {
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	e, err := s.newEvent("audit-"+id.String(), 1, typ, actor, m, payload)
	if err != nil {
		return err
	}
	_, err = s.Events.Append(ctx, store.AppendRequest{Stream: e.Stream, Kind: "audit", Events: []event.Event{e}})
	return err
}

// retry runs op again after a conflict, with the directory refreshed, because
// another replica or request changed the same stream first.
func (s *Service) retry(ctx context.Context, op func() error) error {
	var err error
	for range 3 {
		if err = op(); err == nil {
			return nil
		}
		var ce *store.ConflictError
		if !errors.As(err, &ce) {
			return err
		}
		if rerr := s.Dir.Refresh(ctx, s.Events); rerr != nil {
			return rerr
		}
	}
	return err
}

// SeedOrganisations registers the operator organisation and one organisation for
// each model actor that is an organisation (not a network, not "Member States"),
// with the memberships the model gives it. Existing ones are left as they are.
func (s *Service) SeedOrganisations(ctx context.Context) (created []string, err error) {
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return nil, err
	}
	seeds := []organisationRegistered{{ID: OperatorOrganisation, Name: "Platform operator", Memberships: []Membership{}}}
	for _, a := range s.Model.Actors {
		if a.Kind == model.KindNetwork || a.Kind == model.KindMemberStates {
			continue
		}
		seeds = append(seeds, organisationRegistered{ID: a.ID, Name: a.Name, Actor: a.ID, Memberships: nonNil(seedMemberships(s.Model, a.ID, ""))})
	}
	for _, seed := range seeds {
		if _, ok := s.Dir.Organisation(seed.ID); ok {
			continue
		}
		err := s.appendOne(ctx, orgStream(seed.ID), "organisation", 0, EventOrganisationRegistered, SystemActor, directoryMarking, seed)
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			continue // another replica seeded it
		}
		if err != nil {
			return created, fmt.Errorf("seed organisation %s: %w", seed.ID, err)
		}
		created = append(created, seed.ID)
	}
	return created, s.Dir.Refresh(ctx, s.Events)
}

func nonNil(ms []Membership) []Membership {
	if ms == nil {
		return []Membership{}
	}
	return ms
}

// RegisterOrganisation registers a national organisation (§8); platform admins only.
func (s *Service) RegisterOrganisation(ctx context.Context, actor User, req OrganisationRequest) (Organisation, error) {
	if !actor.IsPlatformAdmin() {
		return Organisation{}, failure.New(failure.Forbidden, "only an admin of the platform operator registers organisations")
	}
	if err := req.Validate(s.Model); err != nil {
		return Organisation{}, err
	}
	if _, ok := s.Dir.Organisation(req.ID); ok {
		return Organisation{}, &failure.Error{Kind: failure.Conflict, Field: "id", Message: fmt.Sprintf("organisation %s already exists", req.ID)}
	}
	p := organisationRegistered{ID: req.ID, Name: req.Name, NationalKind: req.NationalKind, MemberState: req.MemberState,
		Memberships: nonNil(seedMemberships(s.Model, "", req.NationalKind))}
	err := s.appendOne(ctx, orgStream(req.ID), "organisation", 0, EventOrganisationRegistered, actorOf(actor), directoryMarking, p)
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		return Organisation{}, &failure.Error{Kind: failure.Conflict, Field: "id", Message: fmt.Sprintf("organisation %s already exists", req.ID)}
	}
	if err != nil {
		return Organisation{}, err
	}
	o, _ := s.Dir.Organisation(req.ID)
	return o, nil
}

// GrantMembership gives an organisation a role in a network (e.g. the chair);
// platform admins only.
func (s *Service) GrantMembership(ctx context.Context, actor User, orgID string, m Membership) (Organisation, error) {
	return s.changeMembership(ctx, actor, orgID, m, EventMembershipGranted)
}

// RevokeMembership takes a role away.
func (s *Service) RevokeMembership(ctx context.Context, actor User, orgID string, m Membership) (Organisation, error) {
	return s.changeMembership(ctx, actor, orgID, m, EventMembershipRevoked)
}

func (s *Service) changeMembership(ctx context.Context, actor User, orgID string, m Membership, typ string) (Organisation, error) {
	if !actor.IsPlatformAdmin() {
		return Organisation{}, failure.New(failure.Forbidden, "only an admin of the platform operator changes network memberships")
	}
	if _, ok := s.Model.Network(m.Network); !ok {
		return Organisation{}, failure.Field("network", "%q is not a network (csirts-network, eu-cyclone)", m.Network)
	}
	if err := validRole(m.Role); err != nil {
		return Organisation{}, err
	}
	err := s.retry(ctx, func() error {
		o, ok := s.Dir.Organisation(orgID)
		if !ok {
			return failure.New(failure.NotFound, "no organisation %s", orgID)
		}
		return s.appendOne(ctx, orgStream(orgID), "organisation", o.Version, typ, actorOf(actor), directoryMarking, membershipChanged{m})
	})
	if err != nil {
		return Organisation{}, err
	}
	o, _ := s.Dir.Organisation(orgID)
	return o, nil
}

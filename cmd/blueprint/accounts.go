package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/config"
	"github.com/eucyber/blueprint/internal/model"
)

// firstAdmin is the username of the admin created on first start.
const firstAdmin = "admin"

func newAuthService(events auth.EventStore, creds auth.CredentialStore, m *model.Model, cfg config.Config) *auth.Service {
	return &auth.Service{
		Events: events, Creds: creds, Dir: auth.NewDirectory(), Model: m,
		Hasher: auth.DefaultHasher, Throttle: auth.DefaultThrottle(), Now: time.Now,
		SessionTTL: cfg.SessionTTL, MaxTokenTTL: cfg.MaxTokenTTL,
	}
}

// bootstrapAdmin creates the first admin when the node has no user, with the
// password from BLUEPRINT_ADMIN_PASSWORD or a generated one printed once.
func bootstrapAdmin(ctx context.Context, svc *auth.Service, password string, logger *slog.Logger, notice io.Writer) error {
	generated := password == ""
	if generated {
		password = rand.Text() // 26 base32 characters, 128 bits
	}
	created, err := svc.BootstrapAdmin(ctx, firstAdmin, password)
	if err != nil {
		return fmt.Errorf("create the first admin: %w", err)
	}
	if !created {
		return nil
	}
	logger.Info("created the first admin", "username", firstAdmin, "organisation", auth.OperatorOrganisation, "password_generated", generated)
	if generated {
		fmt.Fprintf(notice, "\n  First start: created user %q (platform operator admin) with password\n\n      %s\n\n  It is shown only this once. Log in and change it, or set BLUEPRINT_ADMIN_PASSWORD\n  before the first start next time.\n\n", firstAdmin, password)
	}
	return nil
}

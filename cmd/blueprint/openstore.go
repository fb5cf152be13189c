package main

import (
	"context"
	"time"

	"github.com/eucyber/blueprint/internal/config"
	"github.com/eucyber/blueprint/internal/store/postgres"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/store/sqlstore"
)

// openStore opens the store the configuration names, applying pending migrations.
func openStore(ctx context.Context, cfg config.Config) (*sqlstore.Store, error) {
	if cfg.IsPostgres() {
		return postgres.Open(ctx, cfg.DB, time.Now)
	}
	return sqlite.Open(ctx, cfg.SQLitePath(), time.Now)
}

// storeName describes the store for logs and messages without credentials.
func storeName(cfg config.Config) string {
	if cfg.IsPostgres() {
		for _, kv := range config.Dump(cfg) {
			if kv[0] == config.EnvName("db") {
				return kv[1]
			}
		}
	}
	return "sqlite:" + cfg.SQLitePath()
}

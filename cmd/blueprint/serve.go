package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/config"
	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/ledger"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/publications"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/taxii"
	"github.com/eucyber/blueprint/internal/telemetry"
	"github.com/eucyber/blueprint/internal/web"
)

const serveLong = `Serve runs the node: the JSON API under /api/v1, /healthz (the process is up),
/readyz (the store answers) and /metrics (Prometheus, to --metrics-allow networks).

On start it opens the store — SQLite at <data-dir>/blueprint.db unless --db names
another file or a PostgreSQL database — applies pending migrations, loads or
creates the node key (<data-dir>/node.key, mode 0600), and seals every event not
yet in the tamper-evident ledger. While it runs it seals new events every
--seal-interval. On SIGINT or SIGTERM it stops accepting connections, lets
in-flight requests finish (up to --shutdown-timeout), seals, and closes the store.

Several replicas can serve one PostgreSQL database; give them the same node.key.`

func newServeCommand(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the node (HTTP API, health, metrics, ledger sealing)",
		Long:  serveLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, e)
			if err != nil {
				return err
			}
			return serve(cmd.Context(), cfg, newLogger(cfg, e.stderr), e.stderr)
		},
	}
	config.Register(nil, cmd.Flags())
	return cmd
}

// serve runs the node until ctx ends. notice receives the one message that must
// not go to the log: a generated first admin password.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger, notice io.Writer) error {
	m, err := model.Load()
	if err != nil {
		return fmt.Errorf("the embedded model is invalid: %w", err)
	}
	tax, err := loadTaxonomy(cfg)
	if err != nil {
		return err
	}
	pb, err := loadPlaybook(cfg)
	if err != nil {
		return err
	}
	metrics := telemetry.New()
	raw, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := raw.Close(); err != nil {
			logger.Error("close store", "err", err)
		}
	}()
	st := telemetry.InstrumentStore(raw, metrics)
	logger.Info("store open", "store", storeName(cfg))

	keys, created, err := ledger.LoadOrCreateKeys(cfg.DataDir, cfg.NodeName)
	if err != nil {
		return err
	}
	if created {
		logger.Info("created node key; publish the public key so auditors can check checkpoints", "public_key", keys.Public)
	}
	led := ledger.New(st, keys.Signer, keys.Verifier)
	if size, err := led.Seal(ctx); err != nil {
		return fmt.Errorf("seal the ledger at start: %w", err)
	} else {
		metrics.LedgerSize.Set(float64(size))
		logger.Info("ledger sealed", "events", size, "signer", keys.Verifier.Name())
	}

	accounts := newAuthService(st, raw, m, cfg)
	if created, err := accounts.SeedOrganisations(ctx); err != nil {
		return err
	} else if len(created) > 0 {
		logger.Info("registered the model's organisations", "organisations", len(created))
	}
	if err := bootstrapAdmin(ctx, accounts, cfg.AdminPassword, logger, notice); err != nil {
		return err
	}

	reps := &reports.Service{Store: st, Model: m, Taxonomy: tax, Now: time.Now}
	pubs := &publications.Service{Store: st, Signer: keys.Signer, Verifier: keys.Verifier, Now: time.Now}
	cursors, err := web.NewCursorSealer(keys.Derive("pagination cursors"))
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	if !cfg.TLS() && !isLoopback(ln.Addr()) {
		logger.Warn("serving plain HTTP on a non-loopback address: credentials and TLP-marked content cross the network unencrypted; give --tls-cert and --tls-key", "addr", ln.Addr().String())
	}
	deps := web.Deps{
		Store: st, Model: m, Metrics: metrics, Logger: logger,
		MetricsAllow: cfg.MetricsAllow, Version: version(),
		Auth: accounts, TLS: cfg.TLS(), Cursors: cursors,
		Reports:      reps,
		Cases:        &cases.Service{Store: st, Model: m, Reports: reps, Playbook: pb, Now: time.Now, ActorOf: accounts.Dir.ActorOf, Published: pubs.CaseEvents},
		Publications: pubs,
		Intel:        &intel.Service{Store: st, Now: time.Now},
		TAXIIIndex:   &taxii.Index{Store: st},
	}
	// The TAXII index reads the shared objects now, not on the first
	// request: 43 s for 10⁶ objects (docs/performance.md). It stops, and is
	// waited for, before the store closes.
	indexCtx, stopIndex := context.WithCancel(ctx)
	var indexing sync.WaitGroup
	indexing.Go(func() {
		if err := deps.TAXIIIndex.Refresh(indexCtx); err != nil && indexCtx.Err() == nil {
			logger.Warn("the TAXII index could not read the log at start; it will on the first TAXII request", "err", err)
		}
	})
	defer indexing.Wait()
	defer stopIndex()
	// The hub stops before Shutdown: it ends the open live streams, which
	// would otherwise hold Shutdown until its timeout.
	deps.Live = web.NewLiveHub(deps)
	liveCtx, stopLive := context.WithCancel(ctx)
	var live sync.WaitGroup
	live.Go(func() { deps.Live.Run(liveCtx) })
	defer live.Wait()
	defer stopLive()
	srv := &http.Server{
		Handler:           web.NewServer(deps),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	sealCtx, stopSealing := context.WithCancel(context.WithoutCancel(ctx))
	var sealing sync.WaitGroup
	sealing.Go(func() { sealLoop(sealCtx, led, cfg.SealInterval, metrics, logger) })

	served := make(chan error, 1)
	go func() {
		if cfg.TLS() {
			served <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			served <- srv.Serve(ln)
		}
	}()
	logger.Info("listening", "addr", ln.Addr().String(), "tls", cfg.TLS())

	var serveErr error
	select {
	case <-ctx.Done():
		logger.Info("shutting down: finishing in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	case serveErr = <-served:
	}
	stopLive()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Error("shutdown did not finish in time", "err", err)
	}
	stopSealing()
	sealing.Wait()
	// A last seal, so a clean stop leaves nothing unsealed.
	if size, err := led.Seal(shutdownCtx); err != nil {
		logger.Error("final seal", "err", err)
	} else {
		logger.Info("ledger sealed", "events", size)
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", serveErr)
	}
	logger.Info("stopped")
	return nil
}

// sealLoop seals new events on every tick until ctx ends. A failed seal is logged
// and retried on the next tick: sealing lags, appends go on.
func sealLoop(ctx context.Context, led *ledger.Ledger, every time.Duration, m *telemetry.Metrics, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			size, err := led.Seal(ctx)
			if err != nil {
				if ctx.Err() == nil {
					logger.Error("seal ledger", "err", err)
				}
				continue
			}
			m.LedgerSize.Set(float64(size))
		}
	}
}

func isLoopback(a net.Addr) bool {
	ap, err := netip.ParseAddrPort(a.String())
	return err == nil && ap.Addr().IsLoopback()
}

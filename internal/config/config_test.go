package config_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/eucyber/blueprint/internal/config"
)

// flags returns the flag set of `blueprint serve` parsed from args.
func flags(t testing.TB, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("blueprint", pflag.ContinueOnError)
	config.Register(fs, fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return fs
}

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func mustLoad(t *testing.T, fs *pflag.FlagSet, getenv func(string) string) config.Config {
	t.Helper()
	c, err := config.Load(fs, getenv)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestDefaults(t *testing.T) {
	c := mustLoad(t, flags(t), env(nil))
	if c.Listen != "127.0.0.1:8080" || c.DataDir != "./data" || c.DB != "" || c.NodeName != "blueprint.local" ||
		c.LogFormat != "auto" || c.LogLevel != "info" || c.SealInterval != time.Second || c.ShutdownTimeout != 15*time.Second ||
		c.TLS() || c.IsPostgres() {
		t.Fatalf("defaults = %+v", c)
	}
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	if len(c.MetricsAllow) != 2 || c.MetricsAllow[0] != want[0] || c.MetricsAllow[1] != want[1] {
		t.Fatalf("metrics-allow default = %v, want %v", c.MetricsAllow, want)
	}
	if got := c.SQLitePath(); got != "data/blueprint.db" {
		t.Fatalf("SQLitePath = %q, want data/blueprint.db", got)
	}
}

func TestPrecedenceFlagOverEnvOverDefault(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"default", nil, nil, "127.0.0.1:8080"},
		{"env", nil, map[string]string{"BLUEPRINT_LISTEN": "127.0.0.1:9000"}, "127.0.0.1:9000"},
		{"flag", []string{"--listen=127.0.0.1:9100"}, nil, "127.0.0.1:9100"},
		{"flag over env", []string{"--listen", "127.0.0.1:9100"}, map[string]string{"BLUEPRINT_LISTEN": "127.0.0.1:9000"}, "127.0.0.1:9100"},
		{"empty env is unset", nil, map[string]string{"BLUEPRINT_LISTEN": ""}, "127.0.0.1:8080"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustLoad(t, flags(t, tc.args...), env(tc.env))
			if c.Listen != tc.want {
				t.Fatalf("Listen = %q, want %q", c.Listen, tc.want)
			}
		})
	}
	// A global option behaves the same.
	c := mustLoad(t, flags(t, "--log-level=debug"), env(map[string]string{"BLUEPRINT_LOG_LEVEL": "warn", "BLUEPRINT_SEAL_INTERVAL": "250ms"}))
	if c.LogLevel != "debug" || c.SealInterval != 250*time.Millisecond {
		t.Fatalf("LogLevel = %q, SealInterval = %v; want debug (flag) and 250ms (env)", c.LogLevel, c.SealInterval)
	}
}

func TestBadValueNamesFlagAndSource(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string
		not  string // must not appear in the error (a secret)
	}{
		{"listen from env", nil, map[string]string{"BLUEPRINT_LISTEN": "8080"}, []string{"--listen (from BLUEPRINT_LISTEN)", `"8080"`}, ""},
		{"listen from flag over a good env", []string{"--listen=nowhere"}, map[string]string{"BLUEPRINT_LISTEN": "127.0.0.1:1"}, []string{"--listen (from --listen)", `"nowhere"`}, ""},
		{"log level", nil, map[string]string{"BLUEPRINT_LOG_LEVEL": "loud"}, []string{"--log-level (from BLUEPRINT_LOG_LEVEL)", "debug, info, warn, error"}, ""},
		{"log format", []string{"--log-format=xml"}, nil, []string{"--log-format (from --log-format)"}, ""},
		{"negative interval", nil, map[string]string{"BLUEPRINT_SEAL_INTERVAL": "-1s"}, []string{"--seal-interval (from BLUEPRINT_SEAL_INTERVAL)", "positive"}, ""},
		{"not a duration", nil, map[string]string{"BLUEPRINT_SHUTDOWN_TIMEOUT": "soon"}, []string{"--shutdown-timeout (from BLUEPRINT_SHUTDOWN_TIMEOUT)", `"soon"`}, ""},
		{"bad network", nil, map[string]string{"BLUEPRINT_METRICS_ALLOW": "10.0.0.0/8,10.0.0.0/33"}, []string{"--metrics-allow (from BLUEPRINT_METRICS_ALLOW)", "10.0.0.0/33"}, ""},
		{"node name with space", []string{"--node-name=my node"}, nil, []string{"--node-name (from --node-name)"}, ""},
		{"blank data dir", nil, map[string]string{"BLUEPRINT_DATA_DIR": "  "}, []string{"--data-dir (from BLUEPRINT_DATA_DIR)", "must not be empty"}, ""},
		{"db is a directory", nil, map[string]string{"BLUEPRINT_DB": dir}, []string{"--db (from BLUEPRINT_DB)", "is a directory"}, ""},
		{"db of unknown scheme", nil, map[string]string{"BLUEPRINT_DB": "mysql://root:hunter2@db/blueprint"}, []string{"--db (from BLUEPRINT_DB)", "mysql://REDACTED@db/blueprint"}, "hunter2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(flags(t, tc.args...), env(tc.env))
			if err == nil {
				t.Fatal("Load accepted the bad value")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error = %v\nwant it to contain %q", err, w)
				}
			}
			if tc.not != "" && strings.Contains(err.Error(), tc.not) {
				t.Errorf("error = %v\nmust not contain the secret %q", err, tc.not)
			}
		})
	}
}

func TestEveryBadValueIsReported(t *testing.T) {
	_, err := config.Load(flags(t, "--listen=x"), env(map[string]string{"BLUEPRINT_LOG_LEVEL": "x", "BLUEPRINT_SEAL_INTERVAL": "0s"}))
	if err == nil {
		t.Fatal("Load accepted three bad values")
	}
	for _, w := range []string{"--listen (from --listen)", "--log-level (from BLUEPRINT_LOG_LEVEL)", "--seal-interval (from BLUEPRINT_SEAL_INTERVAL)"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error = %v\nwant it to name %s", err, w)
		}
	}
}

func TestTLSCertAndKeyGoTogether(t *testing.T) {
	if _, err := config.Load(flags(t, "--tls-cert=cert.pem"), env(nil)); err == nil || !strings.Contains(err.Error(), "--tls-cert and --tls-key") {
		t.Errorf("cert without key: err = %v, want a refusal naming both flags", err)
	}
	if _, err := config.Load(flags(t), env(map[string]string{"BLUEPRINT_TLS_KEY": "key.pem"})); err == nil || !strings.Contains(err.Error(), "--tls-cert and --tls-key") {
		t.Errorf("key without cert: err = %v, want a refusal naming both flags", err)
	}
	c := mustLoad(t, flags(t, "--tls-cert=cert.pem"), env(map[string]string{"BLUEPRINT_TLS_KEY": "key.pem"}))
	if !c.TLS() || c.TLSCert != "cert.pem" || c.TLSKey != "key.pem" {
		t.Fatalf("cert and key: %+v", c)
	}
}

func TestDumpRedactsSecrets(t *testing.T) {
	const dsn = "postgres://blueprint:s3cret-pw@db.example:5432/blueprint?sslmode=require"
	c := mustLoad(t, flags(t, "--tls-cert=cert.pem", "--tls-key=/etc/blueprint/key.pem"), env(map[string]string{"BLUEPRINT_DB": dsn}))
	if !c.IsPostgres() || c.SQLitePath() != "" {
		t.Fatalf("%q not recognised as PostgreSQL", dsn)
	}
	got := map[string]string{}
	for _, kv := range config.Dump(c) {
		got[kv[0]] = kv[1]
		if strings.Contains(kv[1], "s3cret") {
			t.Errorf("Dump shows the password: %s=%s", kv[0], kv[1])
		}
	}
	if want := "postgres://REDACTED@db.example:5432/blueprint?sslmode=require"; got["BLUEPRINT_DB"] != want {
		t.Errorf("BLUEPRINT_DB = %q, want %q (host and database kept)", got["BLUEPRINT_DB"], want)
	}
	if got["BLUEPRINT_TLS_KEY"] != "REDACTED" {
		t.Errorf("BLUEPRINT_TLS_KEY = %q, want REDACTED", got["BLUEPRINT_TLS_KEY"])
	}
	if got["BLUEPRINT_TLS_CERT"] != "cert.pem" || got["BLUEPRINT_LISTEN"] != "127.0.0.1:8080" || got["BLUEPRINT_SEAL_INTERVAL"] != "1s" {
		t.Errorf("non-secret values changed in Dump: %v", got)
	}
	if len(got) != len(config.Options()) {
		t.Errorf("Dump lists %d options, want %d", len(got), len(config.Options()))
	}
	// An empty secret is shown as empty, so "not set" stays visible.
	for _, kv := range config.Dump(mustLoad(t, flags(t), env(nil))) {
		if kv[0] == "BLUEPRINT_DB" && kv[1] != "" {
			t.Errorf("empty db dumped as %q", kv[1])
		}
	}
}

func TestRegisterSplitsGlobalAndServe(t *testing.T) {
	global := pflag.NewFlagSet("global", pflag.ContinueOnError)
	serve := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	config.Register(global, serve)
	for _, o := range config.Options() {
		if o.EnvOnly {
			if global.Lookup(o.Name) != nil || serve.Lookup(o.Name) != nil {
				t.Errorf("--%s is environment-only but has a flag", o.Name)
			}
			continue
		}
		in, other := serve, global
		if o.Global {
			in, other = global, serve
		}
		f := in.Lookup(o.Name)
		if f == nil {
			t.Errorf("--%s is not registered where it belongs", o.Name)
			continue
		}
		if other.Lookup(o.Name) != nil {
			t.Errorf("--%s is registered on both flag sets", o.Name)
		}
		if f.DefValue != o.Default || !strings.Contains(f.Usage, config.EnvName(o.Name)) {
			t.Errorf("--%s: default %q, usage %q; want default %q and usage naming %s", o.Name, f.DefValue, f.Usage, o.Default, config.EnvName(o.Name))
		}
	}
	if config.EnvName("shutdown-timeout") != "BLUEPRINT_SHUTDOWN_TIMEOUT" {
		t.Errorf("EnvName(shutdown-timeout) = %s", config.EnvName("shutdown-timeout"))
	}
}

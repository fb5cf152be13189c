// Package config is the node's one table of options (STYLE do-rule 10): each has a
// command-line flag, a BLUEPRINT_<NAME> environment variable, a default that works
// on a laptop, a validator and a secret marker for redacted dumps. The values are
// gathered into a Config struct that is passed down, never kept in a global.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Config is the effective configuration of one command run.
type Config struct {
	DataDir         string
	DB              string // empty: SQLite at DataDir/blueprint.db
	Listen          string
	NodeName        string
	LogFormat       string
	LogLevel        string
	SealInterval    time.Duration
	ShutdownTimeout time.Duration
	TLSCert         string
	TLSKey          string
	MetricsAllow    []netip.Prefix
	AdminPassword   string
	// SeverityTaxonomy is a taxonomy file replacing the default (§30); empty for
	// the embedded default.
	SeverityTaxonomy string
	// PlaybookClocks overrides playbook clocks: "undue-delay=12h,...".
	PlaybookClocks string
	SessionTTL     time.Duration
	MaxTokenTTL    time.Duration
}

// Option is one row of the table.
type Option struct {
	Name    string // flag name; the environment variable is EnvName(Name)
	Default string
	Usage   string
	Secret  bool // redact in dumps (a DSN may hold a password)
	// Global options apply to every command; the others only to serve.
	Global bool
	// EnvOnly options have no flag, because a flag's value shows in the process
	// list to every user of the machine.
	EnvOnly bool
	set     func(c *Config, v string) error
	get     func(c *Config) string
}

// EnvName is the environment variable for a flag: BLUEPRINT_ and the upper-cased
// name with '-' as '_'.
func EnvName(flag string) string {
	return "BLUEPRINT_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// Options returns the table, in the order --help lists it.
func Options() []Option {
	return []Option{
		{Name: "data-dir", Default: "./data", Global: true,
			Usage: "directory for the embedded SQLite store and the node key (node.key, mode 0600)",
			set:   func(c *Config, v string) error { return nonEmpty(&c.DataDir, v) }, get: func(c *Config) string { return c.DataDir }},
		{Name: "db", Default: "", Global: true, Secret: true,
			Usage: "store: empty for SQLite at <data-dir>/blueprint.db, a SQLite file path, or postgres://user@host:5432/db for PostgreSQL",
			set:   setDB, get: func(c *Config) string { return c.DB }},
		{Name: "node-name", Default: "blueprint.local", Global: true,
			Usage: "name in the node's ledger signatures, fixed when the key is created (letters, digits, '.', '-'; no spaces)",
			set:   setNodeName, get: func(c *Config) string { return c.NodeName }},
		{Name: "log-format", Default: "auto", Global: true,
			Usage: "log format: text, json, or auto (text on a terminal, JSON otherwise)",
			set:   oneOf(func(c *Config) *string { return &c.LogFormat }, "auto", "text", "json"), get: func(c *Config) string { return c.LogFormat }},
		{Name: "log-level", Default: "info", Global: true,
			Usage: "log level: debug, info, warn or error",
			set:   oneOf(func(c *Config) *string { return &c.LogLevel }, "debug", "info", "warn", "error"), get: func(c *Config) string { return c.LogLevel }},
		{Name: "listen", Default: "127.0.0.1:8080",
			Usage: "address to serve HTTP on; serving plain HTTP off loopback logs a warning (give --tls-cert and --tls-key)",
			set:   setListen, get: func(c *Config) string { return c.Listen }},
		{Name: "tls-cert", Default: "",
			Usage: "PEM certificate file: serve HTTPS instead of HTTP (with --tls-key)",
			set:   func(c *Config, v string) error { c.TLSCert = v; return nil }, get: func(c *Config) string { return c.TLSCert }},
		{Name: "tls-key", Default: "", Secret: true,
			Usage: "PEM private key file for --tls-cert",
			set:   func(c *Config, v string) error { c.TLSKey = v; return nil }, get: func(c *Config) string { return c.TLSKey }},
		{Name: "seal-interval", Default: "1s",
			Usage: "how often the ledger seals new events under a signed checkpoint",
			set:   positiveDuration(func(c *Config) *time.Duration { return &c.SealInterval }), get: func(c *Config) string { return c.SealInterval.String() }},
		{Name: "shutdown-timeout", Default: "15s",
			Usage: "on SIGINT/SIGTERM, how long in-flight requests may take to finish",
			set:   positiveDuration(func(c *Config) *time.Duration { return &c.ShutdownTimeout }), get: func(c *Config) string { return c.ShutdownTimeout.String() }},
		{Name: "session-ttl", Default: "12h",
			Usage: "how long a browser session lasts before the user logs in again",
			set:   positiveDuration(func(c *Config) *time.Duration { return &c.SessionTTL }), get: func(c *Config) string { return c.SessionTTL.String() }},
		{Name: "max-token-ttl", Default: "2160h", Global: true,
			Usage: "the longest lifetime an API token may be given (2160h = 90 days)",
			set:   positiveDuration(func(c *Config) *time.Duration { return &c.MaxTokenTTL }), get: func(c *Config) string { return c.MaxTokenTTL.String() }},
		{Name: "severity-taxonomy", Default: "", Global: true,
			Usage: "YAML file with the common severity taxonomy (§30) to use instead of the embedded default; validated at start",
			set:   func(c *Config, v string) error { c.SeverityTaxonomy = v; return nil }, get: func(c *Config) string { return c.SeverityTaxonomy }},
		{Name: "playbook-clocks", Default: "", Global: true,
			Usage: "comma-separated overrides of the playbook's clocks, e.g. undue-delay=12h,reserve-deployment=24h (ids: blueprint model steps); validated at start",
			set:   func(c *Config, v string) error { c.PlaybookClocks = v; return nil }, get: func(c *Config) string { return c.PlaybookClocks }},
		{Name: "admin-password", Default: "", Secret: true, EnvOnly: true,
			Usage: "password of the first admin, created on first start when the node has no user; generated and printed once when empty",
			set:   func(c *Config, v string) error { c.AdminPassword = v; return nil }, get: func(c *Config) string { return c.AdminPassword }},
		{Name: "metrics-allow", Default: "127.0.0.0/8,::1/128",
			Usage: "comma-separated client networks allowed to read /metrics",
			set:   setMetricsAllow, get: func(c *Config) string { return prefixesString(c.MetricsAllow) }},
	}
}

// Register adds the options to the flag sets: global ones to global, the others to
// serve (either may be nil to skip).
func Register(global, serve *pflag.FlagSet) {
	for _, o := range Options() {
		fs := serve
		if o.Global {
			fs = global
		}
		if fs != nil && !o.EnvOnly {
			fs.String(o.Name, o.Default, o.Usage+" ["+EnvName(o.Name)+"]")
		}
	}
}

// Load builds the Config from flags, falling back to the environment for flags not
// given on the command line, then to the defaults. Each error names the flag and
// its environment variable.
func Load(flags *pflag.FlagSet, getenv func(string) string) (Config, error) {
	var c Config
	var errs []error
	for _, o := range Options() {
		v := o.Default
		from := "default"
		if env := getenv(EnvName(o.Name)); env != "" {
			v, from = env, EnvName(o.Name)
		}
		if f := flags.Lookup(o.Name); f != nil && f.Changed {
			v, from = f.Value.String(), "--"+o.Name
		}
		if err := o.set(&c, v); err != nil {
			errs = append(errs, fmt.Errorf("%s (from %s): %w", "--"+o.Name, from, err))
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together: give both or neither"))
	}
	return c, errors.Join(errs...)
}

// Dump lists the effective configuration, secrets redacted.
func Dump(c Config) [][2]string {
	var out [][2]string
	for _, o := range Options() {
		v := o.get(&c)
		if o.Secret && v != "" {
			v = redact(o.Name, v)
		}
		out = append(out, [2]string{EnvName(o.Name), v})
	}
	return out
}

// SQLitePath returns the SQLite file the config points at, or "" for PostgreSQL.
func (c Config) SQLitePath() string {
	switch {
	case c.DB == "":
		return filepath.Join(c.DataDir, "blueprint.db")
	case c.IsPostgres():
		return ""
	default:
		return strings.TrimPrefix(c.DB, "sqlite:")
	}
}

// IsPostgres reports whether the store is PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// TLS reports whether serve uses HTTPS.
func (c Config) TLS() bool { return c.TLSCert != "" }

func redact(name, v string) string {
	if name != "db" {
		return "REDACTED"
	}
	if !strings.Contains(v, "://") {
		return v // a SQLite path holds no secret
	}
	u, err := url.Parse(v)
	if err != nil {
		return "REDACTED (unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User("REDACTED")
	}
	q := u.Query()
	redacted := false
	for k := range q {
		// pgx reads a password from the query too, and sslpassword for the key.
		if strings.Contains(strings.ToLower(k), "password") {
			q.Set(k, "REDACTED")
			redacted = true
		}
	}
	if redacted {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func nonEmpty(dst *string, v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("must not be empty")
	}
	*dst = v
	return nil
}

func setDB(c *Config, v string) error {
	c.DB = v
	if v == "" || c.IsPostgres() {
		return nil
	}
	if strings.Contains(v, "://") {
		return fmt.Errorf("%q is not a store this node knows: use postgres://…, a SQLite file path, or leave it empty", redact("db", v))
	}
	if looksLikeKeywordDSN(v) {
		return errors.New("a keyword/value PostgreSQL DSN (host=… dbname=…) is not accepted here: use the URL form, postgres://user@host:5432/dbname")
	}
	if info, err := os.Stat(strings.TrimPrefix(v, "sqlite:")); err == nil && info.IsDir() {
		return fmt.Errorf("%q is a directory; give the SQLite file path, e.g. %s", v, filepath.Join(v, "blueprint.db"))
	}
	return nil
}

func looksLikeKeywordDSN(v string) bool {
	for _, kw := range []string{"host=", "dbname=", "user=", "password=", "sslmode="} {
		if strings.Contains(v, kw) && strings.Contains(v, " ") {
			return true
		}
	}
	return strings.HasPrefix(v, "host=") || strings.HasPrefix(v, "dbname=")
}

func setNodeName(c *Config, v string) error {
	if v == "" || strings.ContainsAny(v, " \t\n+") {
		return fmt.Errorf("%q is not a valid node name: use letters, digits, '.', '-' and no spaces or '+'", v)
	}
	c.NodeName = v
	return nil
}

func setListen(c *Config, v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("%q is not host:port (e.g. 127.0.0.1:8080): %v", v, err)
	}
	if port == "" {
		return fmt.Errorf("%q has no port", v)
	}
	c.Listen = v
	return nil
}

func oneOf(field func(*Config) *string, allowed ...string) func(*Config, string) error {
	return func(c *Config, v string) error {
		for _, a := range allowed {
			if v == a {
				*field(c) = v
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

func positiveDuration(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration (e.g. 1s, 500ms, 2m)", v)
		}
		if d <= 0 {
			return fmt.Errorf("%s must be positive", v)
		}
		*field(c) = d
		return nil
	}
}

func setMetricsAllow(c *Config, v string) error {
	c.MetricsAllow = nil
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return fmt.Errorf("%q is not a network in CIDR form (e.g. 10.0.0.0/8)", part)
		}
		c.MetricsAllow = append(c.MetricsAllow, p.Masked())
	}
	return nil
}

func prefixesString(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

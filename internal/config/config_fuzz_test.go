package config_test

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/eucyber/blueprint/internal/config"
)

// FuzzLoadEnv gives arbitrary text as the environment value of each option in
// turn, and of all options at once. Load and Dump must never panic; a refused
// value must be named by flag and source; and Dump must not show the credentials
// of a PostgreSQL DSN (the userinfo, as pgx reads it, or a password parameter)
// or a TLS key path.
func FuzzLoadEnv(f *testing.F) {
	for _, o := range config.Options() {
		f.Add(o.Default)
	}
	for _, s := range []string{
		"postgres://blueprint:s3cret@db.example:5432/blueprint?sslmode=require",
		// The other place pgx reads a password from: a query parameter.
		"postgres://db.example/blueprint?user=blueprint&password=s3cret",
		"postgresql://u@localhost/db",
		"sqlite:/var/lib/blueprint/blueprint.db",
		"mysql://root:pw@h/db",
		"[::1]:8443", ":0", "8080", "-1s", "1h30m", "10.0.0.0/8, ::1/128,", "10.0.0.0/33",
		"debug", "json", " ", "a b", "\x00", "\xff",
	} {
		f.Add(s)
	}
	// Flags come from an empty command line: only the environment varies.
	fs := pflag.NewFlagSet("blueprint", pflag.ContinueOnError)
	config.Register(fs, fs)

	f.Fuzz(func(t *testing.T, v string) {
		for _, o := range config.Options() {
			name := config.EnvName(o.Name)
			c, err := config.Load(fs, func(k string) string {
				if k == name {
					return v
				}
				return ""
			})
			if err != nil {
				msg := err.Error()
				if !strings.Contains(msg, "--"+o.Name+" (from "+name+")") && !strings.Contains(msg, "--tls-cert and --tls-key go together") {
					t.Fatalf("%s=%q: error does not name the flag and its source: %v", name, v, err)
				}
			}
			checkDump(t, c)
		}
		c, _ := config.Load(fs, func(string) string { return v })
		checkDump(t, c)
	})
}

func checkDump(t *testing.T, c config.Config) {
	t.Helper()
	for _, kv := range config.Dump(c) {
		switch kv[0] {
		case "BLUEPRINT_TLS_KEY":
			if c.TLSKey != "" && kv[1] != "REDACTED" {
				t.Fatalf("Dump shows the TLS key path %q as %q", c.TLSKey, kv[1])
			}
		case "BLUEPRINT_DB":
			if want, ok := redactedDSN(c.DB); ok && kv[1] != want {
				t.Fatalf("Dump shows db %q as %q; want %q (credentials dropped, host and database kept)", c.DB, kv[1], want)
			}
			if p := queryPassword(c.DB); p != "" && strings.Contains(kv[1], p) {
				t.Fatalf("Dump shows db %q as %q, with the password parameter %q", c.DB, kv[1], p)
			}
		}
	}
}

// queryPassword returns the raw "password=…" parameter of a PostgreSQL URL DSN,
// which pgx reads as the password, or "" if there is none.
func queryPassword(dsn string) string {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return ""
	}
	dsn, _, _ = strings.Cut(dsn, "#")
	_, query, ok := strings.Cut(dsn, "?")
	if !ok {
		return ""
	}
	for part := range strings.SplitSeq(query, "&") {
		if k, v, _ := strings.Cut(part, "="); k == "password" && v != "" {
			return part
		}
	}
	return ""
}

// redactedDSN is what a dump should show for a URL DSN with credentials: the
// userinfo replaced. pgx reads URLs as libpq does: the userinfo runs to the first
// '@', provided no '/' comes before it.
func redactedDSN(dsn string) (string, bool) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return "", false
	}
	i := strings.Index(dsn, "://") + 3
	at := strings.IndexAny(dsn[i:], "@/")
	if at < 0 || dsn[i+at] != '@' {
		return "", false
	}
	return dsn[:i] + "REDACTED" + dsn[i+at:], true
}

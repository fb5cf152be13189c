package main

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/config"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/store/sqlite"
)

// runCLIInput runs one command with stdin and returns its stdout and stderr apart.
func runCLIInput(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut syncBuffer
	err = run(t.Context(), args, envWith(nil), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// MustRunCLIInput runs one command with stdin to completion and returns its stdout.
func MustRunCLIInput(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := runCLIInput(t, stdin, args...)
	if err != nil {
		t.Fatalf("blueprint %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// MustNodeStore creates the store of a node in a temporary data directory and
// returns the directory's flag and an account service on the same store, as the
// running node would have.
func MustNodeStore(t *testing.T) (dataDir string, svc *auth.Service) {
	t.Helper()
	dir := t.TempDir()
	MustRunCLI(t, nil, "migrate", "--data-dir", dir)
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, "blueprint.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m, err := model.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc = newAuthService(st, st, m, config.Config{SessionTTL: 12 * time.Hour, MaxTokenTTL: 2160 * time.Hour})
	return "--data-dir=" + dir, svc
}

func TestUserCommands(t *testing.T) {
	dir, svc := MustNodeStore(t)
	const first, second = "a first passphrase\n", "the second passphrase"

	out := MustRunCLIInput(t, first, "user", "add", "Sanne.DeVries", "--org", "enisa", "--role", "analyst", "--name", "Sanne de Vries", dir)
	for _, want := range []string{"username      sanne.devries", "organisation  enisa", "role          analyst", "id  "} {
		if !strings.Contains(out, want) {
			t.Errorf("user add printed no %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, strings.TrimSpace(first)) {
		t.Errorf("user add printed the password it was given:\n%s", out)
	}
	out = MustRunCLI(t, nil, "user", "list", dir)
	if !regexp.MustCompile(`(?m)^sanne\.devries +Sanne de Vries +enisa +analyst +active +[0-9a-f-]{36}$`).MatchString(out) {
		t.Errorf("user list does not show the new user:\n%s", out)
	}
	if out := MustRunCLI(t, nil, "user", "list", "--org", "cert-eu", dir); strings.Contains(out, "sanne") {
		t.Errorf("user list --org cert-eu shows an ENISA user:\n%s", out)
	}

	if _, err := svc.Authenticate(t.Context(), "sanne.devries", strings.TrimSpace(first), "192.0.2.1"); err != nil {
		t.Fatalf("the password read from stdin does not log in: %v", err)
	}
	_, session, _, err := svc.Login(t.Context(), "sanne.devries", strings.TrimSpace(first), "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	MustRunCLIInput(t, second+"\r\nignored second line\n", "user", "passwd", "sanne.devries", dir)
	if _, err := svc.Authenticate(t.Context(), "sanne.devries", strings.TrimSpace(first), "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("the old password still logs in after user passwd: %v", err)
	}
	if _, err := svc.Authenticate(t.Context(), "sanne.devries", second, "192.0.2.1"); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
	if _, _, err := svc.SessionUser(t.Context(), session); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("a session survived user passwd: %v", err)
	}

	// A generated password is printed once and works.
	out = MustRunCLI(t, nil, "user", "add", "piet", "--org", "enisa", "--role", "viewer", "--name", "Piet", "--generate-password", dir)
	m := regexp.MustCompile(`(?m)^password +(\S+)$`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "only this once") {
		t.Fatalf("user add --generate-password printed no password:\n%s", out)
	}
	if _, err := svc.Authenticate(t.Context(), "piet", m[1], "192.0.2.2"); err != nil {
		t.Errorf("the generated password does not log in: %v", err)
	}

	out = MustRunCLI(t, nil, "user", "disable", "sanne.devries", "--reason", "left ENISA", dir)
	if !strings.Contains(out, "disabled user sanne.devries") {
		t.Errorf("user disable printed %q", out)
	}
	if _, err := svc.Authenticate(t.Context(), "sanne.devries", second, "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("a disabled user logs in: %v", err)
	}
	if out := MustRunCLI(t, nil, "user", "list", dir); !regexp.MustCompile(`(?m)^sanne\.devries .* disabled `).MatchString(out) {
		t.Errorf("user list does not show the user disabled:\n%s", out)
	}
	if out := MustRunCLI(t, nil, "user", "disable", "sanne.devries", dir); !strings.Contains(out, "already disabled") {
		t.Errorf("disabling again printed %q", out)
	}
}

func TestTokenCommands(t *testing.T) {
	dir, svc := MustNodeStore(t)
	MustRunCLIInput(t, "a first passphrase\n", "user", "add", "sanne", "--org", "enisa", "--role", "analyst", "--name", "Sanne", dir)

	stdout, stderr, err := runCLIInput(t, "", "token", "create", "sanne", "--name", "MISP sync", "--ttl", "720h", dir)
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, stderr)
	}
	secret := strings.TrimSuffix(stdout, "\n")
	if !strings.HasPrefix(secret, auth.TokenPrefix) || strings.Contains(secret, "\n") {
		t.Fatalf("token create printed %q on stdout, want the token alone", stdout)
	}
	for _, want := range []string{"will not be shown again", "Authorization: Bearer <token>", `"MISP sync"`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("token create said no %q:\n%s", want, stderr)
		}
	}
	u, tok, err := svc.TokenUser(t.Context(), secret, "192.0.2.1")
	if err != nil || u.Username != "sanne" {
		t.Fatalf("the printed token does not authenticate sanne: %+v %v", u, err)
	}
	if got := time.Until(tok.ExpiresAt); got < 719*time.Hour || got > 720*time.Hour {
		t.Errorf("token expires in %s, want --ttl 720h", got)
	}

	out := MustRunCLI(t, nil, "token", "list", "sanne", dir)
	rfc3339 := `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`
	row := regexp.MustCompile(`(?m)^` + tok.ID + ` +MISP sync +` + rfc3339 + ` +` + rfc3339 + ` +` + rfc3339 + ` +active$`)
	if !strings.HasPrefix(out, "ID ") || !row.MatchString(out) {
		t.Errorf("token list does not show the used, active token %s:\n%s", tok.ID, out)
	}
	if strings.Contains(out, secret) {
		t.Error("token list shows the token itself")
	}

	if out := MustRunCLI(t, nil, "token", "revoke", tok.ID, dir); !strings.Contains(out, "revoked token "+tok.ID) {
		t.Errorf("token revoke printed %q", out)
	}
	if _, _, err := svc.TokenUser(t.Context(), secret, "192.0.2.1"); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("a revoked token authenticates: %v", err)
	}
	if out := MustRunCLI(t, nil, "token", "list", "sanne", dir); !strings.Contains(out, " revoked\n") {
		t.Errorf("token list does not show the token revoked:\n%s", out)
	}
	if out := MustRunCLI(t, nil, "token", "revoke", tok.ID, dir); !strings.Contains(out, "already revoked") {
		t.Errorf("revoking again printed %q", out)
	}
}

// TestOperatorCommandsNameTheProblem: bad input fails with a message naming
// what is wrong, and changes nothing.
func TestOperatorCommandsNameTheProblem(t *testing.T) {
	dir, svc := MustNodeStore(t)
	const pw = "a long enough passphrase\n"
	MustRunCLIInput(t, pw, "user", "add", "sanne", "--org", "enisa", "--role", "analyst", "--name", "Sanne", dir)
	for _, tc := range []struct {
		stdin string
		args  []string
		want  []string
	}{
		{pw, []string{"user", "add", "piet", "--org", "nl-nowhere", "--role", "viewer", "--name", "Piet"}, []string{`no organisation "nl-nowhere"`, "enisa"}},
		{pw, []string{"user", "add", "piet", "--org", "enisa", "--role", "boss", "--name", "Piet"}, []string{`role: "boss" is not a role`}},
		{"short\n", []string{"user", "add", "piet", "--org", "enisa", "--role", "viewer", "--name", "Piet"}, []string{"password: must be at least 12 characters"}},
		{pw, []string{"user", "add", "x", "--org", "enisa", "--role", "boss", "--name", "Piet"}, []string{"username:", "role:"}},
		{pw, []string{"user", "add", "SANNE", "--org", "enisa", "--role", "viewer", "--name", "Again"}, []string{"username sanne is taken"}},
		{pw, []string{"user", "add", "piet", "--org", "enisa"}, []string{"--role", "--name"}},
		{"", []string{"user", "add", "piet", "--org", "enisa", "--role", "viewer", "--name", "Piet"}, []string{"no password on standard input", "--generate-password"}},
		{pw, []string{"user", "add"}, []string{"USERNAME"}},
		{pw, []string{"user", "passwd", "nobody"}, []string{`no user "nobody"`}},
		{"short\n", []string{"user", "passwd", "sanne"}, []string{"password: must be at least 12 characters"}},
		{"", []string{"user", "disable", "nobody"}, []string{`no user "nobody"`}},
		{"", []string{"user", "list", "--org", "nl-nowhere"}, []string{`no organisation "nl-nowhere"`}},
		{"", []string{"token", "create", "nobody", "--name", "x"}, []string{`no user "nobody"`}},
		{"", []string{"token", "create", "sanne"}, []string{"--name"}},
		{"", []string{"token", "create", "sanne", "--name", "x", "--ttl", "100000h"}, []string{"ttl:", "maximum"}},
		{"", []string{"token", "list", "nobody"}, []string{`no user "nobody"`}},
		{"", []string{"token", "revoke", "0123456789ab"}, []string{`no token with ID "0123456789ab"`}},
		{"", []string{"token", "revoke", "bpt_0123456789ab_secret"}, []string{"not the token itself"}},
		{"", []string{"user", "frobnicate"}, []string{`unknown command "frobnicate"`}},
	} {
		_, _, err := runCLIInput(t, tc.stdin, append(tc.args, dir)...)
		if err == nil {
			t.Errorf("blueprint %s succeeded", strings.Join(tc.args, " "))
			continue
		}
		for _, want := range tc.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("blueprint %s: %q does not say %q", strings.Join(tc.args, " "), err, want)
			}
		}
		if strings.HasPrefix(err.Error(), "blueprint ") {
			t.Errorf("blueprint %s: %q repeats the program name main prints", strings.Join(tc.args, " "), err)
		}
	}
	if err := svc.Dir.Refresh(t.Context(), svc.Events); err != nil {
		t.Fatal(err)
	}
	if users := svc.Dir.Users(""); len(users) != 1 {
		t.Errorf("refused commands created users: %+v", users)
	}

	// A data directory with no store is refused, not created.
	empty := t.TempDir()
	_, _, err := runCLIInput(t, pw, "user", "add", "piet", "--org", "enisa", "--role", "viewer", "--name", "Piet", "--data-dir", empty)
	if err == nil || !strings.Contains(err.Error(), "no store at "+filepath.Join(empty, "blueprint.db")) {
		t.Errorf("user add on an empty data directory: %v", err)
	}
}

// TestOperatorCommandsHelp: every command's help says what it does, with an example.
func TestOperatorCommandsHelp(t *testing.T) {
	for _, args := range [][]string{
		{"user", "add"}, {"user", "list"}, {"user", "disable"}, {"user", "passwd"},
		{"token", "create"}, {"token", "list"}, {"token", "revoke"},
	} {
		out := MustRunCLI(t, nil, append(args, "--help")...)
		if _, examples, _ := strings.Cut(out, "\nExamples:\n"); !strings.Contains(examples, "blueprint "+strings.Join(args, " ")+" ") {
			t.Errorf("blueprint %s --help has no example:\n%s", strings.Join(args, " "), out)
		}
	}
	if out := MustRunCLI(t, nil, "user", "add", "--help"); !strings.Contains(out, "standard input") {
		t.Errorf("user add --help does not say where the password comes from:\n%s", out)
	}
	if out := MustRunCLI(t, nil, "token", "create", "--help"); !strings.Contains(out, "Authorization: Bearer") {
		t.Errorf("token create --help does not say how to use the token:\n%s", out)
	}
}

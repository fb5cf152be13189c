package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
)

const userLong = `User manages the node's accounts from the host, as the platform operator: the
person with shell access to the node needs no account of their own. Every change
is recorded in the event log as done by the operator ("system"); passwords are
never in the log.

Run it beside a running node with the same --data-dir (or --db): the node sees
the change at its next request.`

func newUserCommand(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Add, list, disable users and reset their passwords (as the operator)",
		Long:  userLong,
		Example: `  printf '%s\n' "$PASSWORD" | blueprint user add sanne.devries --org enisa --role analyst --name "Sanne de Vries"
  blueprint user list --org enisa
  blueprint user passwd sanne.devries --generate-password
  blueprint user disable sanne.devries --reason "left ENISA"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newUserAddCommand(e), newUserListCommand(e), newUserDisableCommand(e), newUserPasswdCommand(e))
	return cmd
}

const passwordHelp = `The password is the first line of standard input (without its line ending), so it
never shows in the process list or the shell history; standard input must not be
a terminal. Or give --generate-password: a random one (128 bits, 26 characters)
is printed once. Passwords are at least 12 characters; a passphrase is easiest.`

func newUserAddCommand(e env) *cobra.Command {
	var org, role, name string
	var generate bool
	cmd := &cobra.Command{
		Use:   "add USERNAME --org ORG --role ROLE --name \"Display Name\"",
		Short: "Create a user in an organisation",
		Long: `Add creates an account in an existing organisation: one of the model's Union
actors (enisa, cert-eu, commission, …), a national organisation an admin
registered, or platform-operator for the people who run the node.

USERNAME is 2-64 characters of a-z, 0-9, '.', '_', '@' or '-' (upper case is
folded to lower). ROLE is one of:

  viewer        reads what the organisation may see
  analyst       also records and amends information
  coordinator   also records decisions on behalf of the organisation
  admin         also manages the organisation's users (in platform-operator:
                every organisation and user of the node)

` + passwordHelp + `

It prints the new user's id, username, organisation and role (and the generated
password, if any).`,
		Example: `  printf '%s\n' "$PASSWORD" | blueprint user add sanne.devries --org enisa --role analyst --name "Sanne de Vries"
  blueprint user add ops.admin --org platform-operator --role admin --name "Night shift" --generate-password`,
		Args: oneArg("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "org", "role", "name"); err != nil {
				return err
			}
			password, generated, err := readPassword(e.stdin, generate)
			if err != nil {
				return err
			}
			return withAccounts(cmd, e, func(ctx context.Context, svc *auth.Service) error {
				u, err := svc.AddUser(ctx, auth.UserRequest{Username: args[0], DisplayName: name, Organisation: org, Role: role, Password: password})
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintf(tw, "id\t%s\n", u.ID)
				fmt.Fprintf(tw, "username\t%s\n", u.Username)
				fmt.Fprintf(tw, "organisation\t%s\n", u.Organisation)
				fmt.Fprintf(tw, "role\t%s\n", u.Role)
				if generated {
					fmt.Fprintf(tw, "password\t%s\n", password)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if generated {
					fmt.Fprintln(e.stdout, "\nThe password is shown only this once: hand it over securely, and have the user change it.")
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "the user's organisation, e.g. enisa or nl-ncsc")
	cmd.Flags().StringVar(&role, "role", "", "viewer, analyst, coordinator or admin")
	cmd.Flags().StringVar(&name, "name", "", "the user's display name, e.g. \"Sanne de Vries\"")
	cmd.Flags().BoolVar(&generate, "generate-password", false, "generate a random password and print it once, instead of reading one from stdin")
	return cmd
}

func newUserListCommand(e env) *cobra.Command {
	var org string
	cmd := &cobra.Command{
		Use:   "list [--org ORG]",
		Short: "List users, of every organisation or of one",
		Long: `List prints one line per user, by username, in columns: USERNAME, NAME,
ORGANISATION, ROLE, STATUS (active or disabled) and ID.`,
		Example: `  blueprint user list
  blueprint user list --org enisa`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withAccounts(cmd, e, func(ctx context.Context, svc *auth.Service) error {
				if _, ok := svc.Dir.Organisation(org); org != "" && !ok {
					return failure.New(failure.NotFound, "no organisation %q on this node", org)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "USERNAME\tNAME\tORGANISATION\tROLE\tSTATUS\tID")
				for _, u := range svc.Dir.Users(org) {
					status := "active"
					if u.Disabled {
						status = "disabled"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, cell(u.DisplayName), u.Organisation, u.Role, status, u.ID)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "list only the users of this organisation")
	return cmd
}

func newUserDisableCommand(e env) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "disable USERNAME [--reason TEXT]",
		Short: "Stop an account: its sessions end and its API tokens stop working",
		Long: `Disable stops an account at once: the user's browser sessions end, their API
tokens are refused, and they can no longer log in. Nothing is deleted: the user
and everything they recorded stay in the log, with the reason given.

It prints the username and id of the disabled user.`,
		Example: `  blueprint user disable sanne.devries --reason "left ENISA"`,
		Args:    oneArg("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAccounts(cmd, e, func(ctx context.Context, svc *auth.Service) error {
				if u, ok := svc.Dir.UserByUsername(args[0]); ok && u.Disabled {
					fmt.Fprintf(e.stdout, "user %s (%s) was already disabled\n", u.Username, u.ID)
					return nil
				}
				u, err := svc.DisableUserByName(ctx, args[0], strings.TrimSpace(reason))
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "disabled user %s (%s): their sessions have ended and their API tokens no longer work\n", u.Username, u.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, recorded in the event log (e.g. \"left the team\")")
	return cmd
}

func newUserPasswdCommand(e env) *cobra.Command {
	var generate bool
	cmd := &cobra.Command{
		Use:   "passwd USERNAME",
		Short: "Set a user's password (e.g. a forgotten one); their sessions end",
		Long: `Passwd replaces a user's password without asking for the current one: the way
back in for a user who forgot theirs, or for the first admin. Every browser
session of the user ends; their API tokens keep working (see blueprint token).

` + passwordHelp,
		Example: `  blueprint user passwd admin < new-password.txt
  blueprint user passwd sanne.devries --generate-password`,
		Args: oneArg("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, generated, err := readPassword(e.stdin, generate)
			if err != nil {
				return err
			}
			return withAccounts(cmd, e, func(ctx context.Context, svc *auth.Service) error {
				if err := svc.ResetPassword(ctx, args[0], password); err != nil {
					return err
				}
				u, _ := svc.Dir.UserByUsername(args[0])
				fmt.Fprintf(e.stdout, "changed the password of %s (%s); their sessions have ended\n", u.Username, u.ID)
				if generated {
					fmt.Fprintf(e.stdout, "\n    %s\n\nThe password is shown only this once: hand it over securely.\n", password)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&generate, "generate-password", false, "generate a random password and print it once, instead of reading one from stdin")
	return cmd
}

// oneArg requires exactly one positional argument, named in the error.
func oneArg(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return fmt.Errorf("%s takes one %s, got %d arguments; see %s --help", subcommand(cmd), name, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// requireFlags names every one of flags not given on the command line.
func requireFlags(cmd *cobra.Command, flags ...string) error {
	var missing []string
	for _, f := range flags {
		if !cmd.Flags().Changed(f) {
			missing = append(missing, "--"+f)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s needs %s; see %s --help", subcommand(cmd), strings.Join(missing, ", "), cmd.CommandPath())
	}
	return nil
}

// subcommand names cmd without the program name, which main puts before every
// error already ("blueprint: user add needs --org").
func subcommand(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// readPassword returns a new password: a generated one when generate is set,
// else the first line of stdin, which must not be a terminal (it would echo).
func readPassword(stdin io.Reader, generate bool) (password string, generated bool, err error) {
	if generate {
		return rand.Text(), true, nil // 26 base32 characters, 128 bits
	}
	if isTerminal(stdin) {
		return "", false, errors.New("the password is read from standard input, which is a terminal or device here, not a pipe or file: pipe it in (e.g. < password.txt) or give --generate-password")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", false, errors.New("no password on standard input: give it as the first line, or give --generate-password")
	}
	return line, false, nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// withAccounts opens the node's store and account service, runs do, and closes
// the store. A SQLite file that does not exist is refused rather than created: a
// mistyped --data-dir would otherwise make a new, empty node to change.
func withAccounts(cmd *cobra.Command, e env, do func(context.Context, *auth.Service) error) (err error) {
	cfg, err := loadConfig(cmd, e)
	if err != nil {
		return err
	}
	if !cfg.IsPostgres() {
		if _, err := os.Stat(cfg.SQLitePath()); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no store at %s: give the --data-dir (or --db) of the node (blueprint serve or blueprint migrate creates it)", cfg.SQLitePath())
		}
	}
	m, err := model.Load()
	if err != nil {
		return fmt.Errorf("the embedded model is invalid: %w", err)
	}
	ctx := cmd.Context()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
	}()
	svc := newAuthService(st, st, m, cfg)
	if _, err := svc.SeedOrganisations(ctx); err != nil {
		return err
	}
	if err := svc.Dir.Refresh(ctx, svc.Events); err != nil {
		return err
	}
	return operatorError(do(ctx, svc))
}

// operatorError is the CLI's one place that turns account errors into messages:
// the caller-safe text for known kinds, with each field named once; other errors
// whole, since the operator on the host may see their detail.
func operatorError(err error) error {
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Kind == failure.Internal {
		return err
	}
	msg := failure.PublicMessage(err)
	if fe.Field != "" && strings.HasPrefix(fe.Message, fe.Field+": ") {
		msg = fe.Message // a joined error already names its first field
	}
	return &messageError{msg: msg, err: err}
}

// messageError shows msg and keeps err for errors.Is and errors.As.
type messageError struct {
	msg string
	err error
}

func (e *messageError) Error() string { return e.msg }
func (e *messageError) Unwrap() error { return e.err }

// cell makes a value safe for one tabwriter cell: no tabs, newlines or other
// control characters.
func cell(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

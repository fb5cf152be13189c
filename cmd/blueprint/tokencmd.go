package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/failure"
)

const tokenLong = `Token manages API tokens from the host, as the platform operator: a token lets a
tool (a MISP sync, a script) call the node's API as one user, with that user's
organisation and role. The node stores only a hash of each token; creating and
revoking one is recorded in the event log as done by the operator ("system").

Users can also make their own tokens through the API (POST /api/v1/tokens).`

func newTokenCommand(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke users' API tokens (as the operator)",
		Long:  tokenLong,
		Example: `  TOKEN=$(blueprint token create sanne.devries --name "MISP sync" --ttl 720h)
  blueprint token list sanne.devries
  blueprint token revoke 0a1b2c3d4e5f`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newTokenCreateCommand(e), newTokenListCommand(e), newTokenRevokeCommand(e))
	return cmd
}

func newTokenCreateCommand(e env) *cobra.Command {
	var name, ttl string
	cmd := &cobra.Command{
		Use:   "create USERNAME --name NAME [--ttl DURATION]",
		Short: "Make an API token for a user; it is printed once",
		Long: `Create makes an API token that acts as USERNAME. NAME says what the token is
for, so that it can be recognised in token list and revoked on its own.
--ttl is its lifetime as a Go duration (720h is 30 days); by default, and at
most, the node's --max-token-ttl (BLUEPRINT_MAX_TOKEN_TTL, 2160h by default).

The token (bpt_…) is printed alone on standard output, so $(…) captures it;
the notes about it go to standard error. It is shown only this once: the node
keeps only its hash. A tool sends it in every request's header:

  Authorization: Bearer <token>`,
		Example: `  TOKEN=$(blueprint token create sanne.devries --name "MISP sync" --ttl 720h)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/session`,
		Args: oneArg("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "name"); err != nil {
				return err
			}
			return withAccounts(cmd, e, func(ctx context.Context, svc *auth.Service) error {
				secret, t, err := svc.CreateTokenFor(ctx, args[0], auth.TokenRequest{Name: name, TTL: ttl})
				if err != nil {
					return err
				}
				u, _ := svc.Dir.User(t.UserID)
				fmt.Fprintf(e.stderr, "API token %s %q for %s (%s), expires %s:\n", t.ID, t.Name, u.Username, u.Organisation, utc(t.ExpiresAt))
				fmt.Fprintln(e.stdout, secret)
				fmt.Fprintf(e.stderr, "It will not be shown again: store it now. Send it in each API request as the header\n\n  Authorization: Bearer <token>\n\nRevoke it with: blueprint token revoke %s\n", t.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "what the token is for, e.g. \"MISP sync\" (1-100 characters)")
	cmd.Flags().StringVar(&ttl, "ttl", "", "lifetime, e.g. 720h for 30 days (default and maximum: the node's --max-token-ttl)")
	return cmd
}

func newTokenListCommand(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "list USERNAME",
		Short: "List a user's API tokens, revoked and expired ones included",
		Long: `List prints one line per token of USERNAME, oldest first, in columns: ID, NAME,
CREATED, EXPIRES, LAST USED ("never" if unused), STATUS (active, expired or
revoked). Times are UTC, RFC 3339. The tokens themselves are never shown: the
node keeps only their hashes.`,
		Example: `  blueprint token list sanne.devries`,
		Args:    oneArg("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAccounts(cmd, e, func(ctx context.Context, svc *auth.Service) error {
				toks, err := svc.TokensOf(ctx, args[0])
				if err != nil {
					return err
				}
				now := svc.Now()
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tCREATED\tEXPIRES\tLAST USED\tSTATUS")
				for _, t := range toks {
					used := "never"
					if t.LastUsed != nil {
						used = utc(*t.LastUsed)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, cell(t.Name), utc(t.CreatedAt), utc(t.ExpiresAt), used, tokenStatus(t, now))
				}
				return tw.Flush()
			})
		},
	}
}

func newTokenRevokeCommand(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token at once",
		Long: `Revoke stops a token at once, whoever it belongs to. ID is the token's id from
token list (12 hexadecimal characters), not the token itself. Revoking a revoked
token changes nothing.

It prints the token's id, name and user.`,
		Example: `  blueprint token revoke 0a1b2c3d4e5f`,
		Args:    oneArg("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := strings.TrimSpace(args[0])
			if strings.HasPrefix(id, auth.TokenPrefix) {
				return fmt.Errorf("give the token's ID from blueprint token list (12 hexadecimal characters), not the token itself")
			}
			return withAccounts(cmd, e, func(ctx context.Context, svc *auth.Service) error {
				t, err := svc.Creds.TokenByID(ctx, id)
				if failure.Is(err, failure.NotFound) {
					return failure.New(failure.NotFound, "no token with ID %q; blueprint token list USERNAME shows a user's tokens", id)
				}
				if err != nil {
					return err
				}
				u, _ := svc.Dir.User(t.UserID)
				if t.RevokedAt != nil {
					fmt.Fprintf(e.stdout, "token %s %q of %s was already revoked at %s\n", t.ID, t.Name, u.Username, utc(*t.RevokedAt))
					return nil
				}
				if err := svc.RevokeTokenByID(ctx, id); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "revoked token %s %q of %s\n", t.ID, t.Name, u.Username)
				return nil
			})
		},
	}
}

func tokenStatus(t auth.Token, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case !t.Active(now):
		return "expired"
	}
	return "active"
}

// utc formats a time as the CLI shows every time: UTC, RFC 3339.
func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

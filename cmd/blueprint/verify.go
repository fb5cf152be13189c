package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/ledger"
)

func newVerifyCommand(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Check that no stored event was altered or removed (the tamper-evident ledger)",
		Long: `Verify recomputes the Merkle tree of the whole event log from the stored events
and checks it against the stored tree hashes and the latest checkpoint, whose
signature it checks with the node key in <data-dir>. It trusts nothing in the
database but the events themselves.

It exits 0 when everything matches, 2 when something was altered (naming the
first event or hash found), and 1 on any other error. Events committed after the
latest checkpoint are counted as unsealed: a running node seals them within
--seal-interval.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, e)
			if err != nil {
				return err
			}
			if _, err := os.Stat(filepath.Join(cfg.DataDir, ledger.PrivateKeyFile)); errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("no node key at %s: run verify with the --data-dir of the node that sealed this store", filepath.Join(cfg.DataDir, ledger.PrivateKeyFile))
			}
			keys, _, err := ledger.LoadOrCreateKeys(cfg.DataDir, cfg.NodeName)
			if err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			rep, err := ledger.New(st, keys.Signer, keys.Verifier).Verify(cmd.Context())
			var te *ledger.TamperError
			if errors.As(err, &te) {
				fmt.Fprintf(e.stdout, "FAILED: %s\n", te)
				return &exitError{code: 2, err: fmt.Errorf("verification failed: %w", te)}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "OK: %d events; %d sealed under the checkpoint signed by %s (tree %s); %d not yet sealed\n",
				rep.Events, rep.Sealed, signerOrNone(rep.Signer), rep.TreeHash, rep.Unsealed)
			return nil
		},
	}
}

func signerOrNone(s string) string {
	if s == "" {
		return "(no checkpoint yet)"
	}
	return s
}

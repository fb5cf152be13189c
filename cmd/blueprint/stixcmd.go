package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/tlp"
)

// STIX 2.1 in and out of a node from the command line (R16), through its API
// as the user whose API token is in BLUEPRINT_TOKEN.

const exportSTIXLong = `Export a case as a STIX 2.1 bundle: what you may see of it, each object
marked with the TLP 2.0 marking of its item.

  BLUEPRINT_TOKEN=bpt_… blueprint export stix --case 0193… --tlp TLP:GREEN --out case.json

--tlp is the most restrictive label the bundle may hold (default: everything
you may see); how many items it left out is said on standard error.`

const importSTIXLong = `Import a STIX 2.1 bundle (from MISP, OpenCTI or another node). Objects must
carry a TLP marking (TLP 2.0 or 1.0) and be valid STIX 2.1; the others are
refused one by one, with the reason. The bundle is sent 100 objects at a time,
with progress on standard error.

  BLUEPRINT_TOKEN=bpt_… blueprint import stix misp-export.json --audience networks:csirts-network

--audience says whom the objects are for (kind:id,id — networks:csirts-network,
organisations:nl-ncsc, users:<user id> — or community). Without it TLP:CLEAR
objects are public, TLP:GREEN ones for the platform's community, TLP:AMBER and
AMBER+STRICT ones for your organisation, TLP:RED ones for you. The command
fails if any object was refused.`

func newExportCommand(e env) *cobra.Command {
	cmd := &cobra.Command{Use: "export", Short: "Export from a node"}
	var node, caseID, label, out string
	stixCmd := &cobra.Command{
		Use:   "stix",
		Short: "Export a case as a STIX 2.1 bundle",
		Long:  exportSTIXLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if caseID == "" {
				return fmt.Errorf("--case is required")
			}
			query := ""
			if label != "" {
				l, err := tlp.ParseLabel(label)
				if err != nil {
					return fmt.Errorf("--tlp: %w", err)
				}
				query = "?tlp=" + url.QueryEscape(string(l))
			}
			c, err := newAPIClient(e, node, "/api/v1/cases/"+url.PathEscape(caseID))
			if err != nil {
				return err
			}
			raw, header, err := c.send(cmd.Context(), "GET", "/stix"+query, "", nil)
			if err != nil {
				return err
			}
			if n := header.Get("Blueprint-Withheld"); n != "" && n != "0" {
				fmt.Fprintf(e.stderr, "withheld: %s item(s) marked above %s\n", n, label)
			}
			if out == "" {
				_, err = e.stdout.Write(raw)
				return err
			}
			return os.WriteFile(out, raw, 0o600)
		},
	}
	fl := stixCmd.Flags()
	fl.StringVar(&node, "node", "", "the node's base URL (default $BLUEPRINT_NODE, else http://127.0.0.1:8080)")
	fl.StringVar(&caseID, "case", "", "the case id (required)")
	fl.StringVar(&label, "tlp", "", "the most restrictive label to export, e.g. TLP:GREEN (default: all you may see)")
	fl.StringVar(&out, "out", "", "write the bundle to this file instead of standard output")
	cmd.AddCommand(stixCmd)
	return cmd
}

func newImportCommand(e env) *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import into a node"}
	var node, audience string
	stixCmd := &cobra.Command{
		Use:   "stix FILE",
		Short: "Import a STIX 2.1 bundle",
		Long:  importSTIXLong,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			c, err := newAPIClient(e, node, "/api/v1/stix/bundles")
			if err != nil {
				return err
			}
			query := ""
			if audience != "" {
				query = "?audience=" + url.QueryEscape(audience)
			}
			return importSTIX(cmd.Context(), e, c, query, f, args[0])
		},
	}
	fl := stixCmd.Flags()
	fl.StringVar(&node, "node", "", "the node's base URL (default $BLUEPRINT_NODE, else http://127.0.0.1:8080)")
	fl.StringVar(&audience, "audience", "", "whom the objects are for: kind:id,id or community (default: see above)")
	cmd.AddCommand(stixCmd)
	return cmd
}

// importBatch is how many objects one request carries.
const importBatch = 100

// importAnswer is the node's answer to one batch.
type importAnswer struct {
	Added      int            `json:"added"`
	Duplicates int            `json:"duplicates"`
	Refused    []stix.Refusal `json:"refused"`
}

// importSTIX sends the bundle's objects in batches, each with every marking
// definition of the bundle so that references resolve, and reports progress.
func importSTIX(ctx context.Context, e env, c apiClient, query string, r io.Reader, name string) error {
	var top struct {
		Type    string            `json:"type"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.NewDecoder(r).Decode(&top); err != nil {
		return fmt.Errorf("%s is not a STIX bundle: %w", name, err)
	}
	if top.Type != "bundle" {
		return fmt.Errorf("%s: type is %q, not \"bundle\"", name, top.Type)
	}
	var defs []json.RawMessage
	var defAt []int // their positions in the file
	var objs []int  // positions of the objects to send
	for i, raw := range top.Objects {
		var head struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(raw, &head) == nil && head.Type == "marking-definition" {
			defs, defAt = append(defs, raw), append(defAt, i)
			continue
		}
		objs = append(objs, i)
	}
	total := len(objs)
	var added, duplicates int
	var refused []stix.Refusal
	for start := 0; start < total; start += importBatch {
		batch := objs[start:min(start+importBatch, total)]
		payload := append([]json.RawMessage{}, defs...)
		for _, i := range batch {
			payload = append(payload, top.Objects[i])
		}
		body, err := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--" + uuid.NewString(), "objects": payload})
		if err != nil {
			return err
		}
		raw, _, err := c.send(ctx, "POST", query, stix.MediaType, strings.NewReader(string(body)))
		if err != nil {
			return fmt.Errorf("objects %d-%d of %d: %w (the earlier ones are imported)", start+1, start+len(batch), total, err)
		}
		var a importAnswer
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("the node's answer: %w", err)
		}
		added += a.Added
		duplicates += a.Duplicates
		for _, rf := range a.Refused {
			// The index in the batch back to the file's. A refused definition
			// goes with every batch: it is reported once.
			switch k := rf.Index - len(defs); {
			case k >= 0 && k < len(batch):
				rf.Index = batch[k]
			case rf.Index < len(defs) && start == 0:
				rf.Index = defAt[rf.Index]
			default:
				continue
			}
			refused = append(refused, rf)
		}
		fmt.Fprintf(e.stderr, "imported %d/%d objects: %d added, %d duplicates, %d refused\n", start+len(batch), total, added, duplicates, len(refused))
	}
	for _, rf := range refused {
		fmt.Fprintf(e.stderr, "refused: object %d %s: %s\n", rf.Index, rf.ID, rf.Reason)
	}
	fmt.Fprintf(e.stdout, "%d objects: %d added, %d duplicates, %d refused; %d marking definitions read\n", total, added, duplicates, len(refused), len(defs))
	if len(refused) > 0 {
		return fmt.Errorf("%d of %d objects were refused (listed above)", len(refused), total)
	}
	return nil
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/eucyber/blueprint/internal/sitrep"
	"github.com/eucyber/blueprint/internal/tlp"
)

const reportBuildLong = `Build builds a situation report of a case (R7) through a node's API, as the
user whose API token is in BLUEPRINT_TOKEN: the report holds only what that user
may see, and only what the chosen audience may see. What was left out is listed
on standard error, by count and reason.

  BLUEPRINT_TOKEN=bpt_… blueprint report build --case 0193… --kind technical \
    --tlp TLP:AMBER --audience networks:csirts-network --format pdf --out sitrep.pdf

--kind is technical (CSIRTs Network, §55(a)(iv)), operational (EU-CyCLONe,
§55(b)(iii)), isaa (input for the IPCR's ISAA report, §55(c)(iv)) or lessons
(§74). --audience is kind:id,id — networks:csirts-network,
organisations:nl-ncsc, users:<user id> — or community (the default for
TLP:GREEN and TLP:CLEAR). Without --publish the report is a draft for you alone;
with it, it becomes the next signed version of that case and kind (the CSIRTs
Network's chair or ENISA publish technical reports, and so on).
The token is read from the environment, never from a flag, so it does not show
in the process list.`

func newReportCommand(e env) *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Situation reports of a case"}
	cmd.AddCommand(newReportBuildCommand(e))
	return cmd
}

type reportBuildFlags struct {
	node, caseID, kind, label, audience, format, out string
	publish                                          bool
}

func newReportBuildCommand(e env) *cobra.Command {
	var f reportBuildFlags
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build (and optionally publish) a situation report through a node's API",
		Long:  reportBuildLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return buildReport(cmd.Context(), e, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.node, "node", "", "the node's base URL (default $BLUEPRINT_NODE, else http://127.0.0.1:8080)")
	fl.StringVar(&f.caseID, "case", "", "the case id (required)")
	fl.StringVar(&f.kind, "kind", "", "technical, operational, isaa or lessons (required)")
	fl.StringVar(&f.label, "tlp", "", "the report's TLP label, e.g. TLP:AMBER (required)")
	fl.StringVar(&f.audience, "audience", "", "the report's audience, kind:id,id or community (required for AMBER, AMBER+STRICT and RED)")
	fl.StringVar(&f.format, "format", "pdf", "html, md, pdf or json")
	fl.StringVar(&f.out, "out", "", "write the report to this file instead of standard output")
	fl.BoolVar(&f.publish, "publish", false, "publish the report as the next signed version instead of building a draft")
	return cmd
}

// reportMarking turns --tlp and --audience into a marking, or says what is wrong.
func reportMarking(label, audience string) (tlp.Marking, error) {
	l, err := tlp.ParseLabel(label)
	if err != nil {
		return tlp.Marking{}, fmt.Errorf("--tlp: %w", err)
	}
	m := tlp.Marking{TLP: l}
	switch {
	case audience == "" && (l == tlp.Green || l == tlp.Clear):
		m.Audience = tlp.Audience{Kind: tlp.Community}
	case audience == "":
		return m, fmt.Errorf("--audience is required for %s: e.g. networks:csirts-network or organisations:nl-ncsc", l)
	default:
		if m.Audience, err = tlp.ParseAudience(audience); err != nil {
			return m, fmt.Errorf("--audience: %w", err)
		}
	}
	if err := m.Validate(); err != nil {
		return m, fmt.Errorf("--tlp/--audience: %w", err)
	}
	return m, nil
}

func buildReport(ctx context.Context, e env, f reportBuildFlags) error {
	switch {
	case f.caseID == "":
		return fmt.Errorf("--case is required")
	case !slices.Contains(sitrep.Kinds(), sitrep.Kind(f.kind)):
		return fmt.Errorf("--kind %q: use technical, operational, isaa or lessons", f.kind)
	case !slices.Contains([]string{"html", "md", "pdf", "json"}, f.format):
		return fmt.Errorf("--format %q: use html, md, pdf or json", f.format)
	}
	marking, err := reportMarking(f.label, f.audience)
	if err != nil {
		return err
	}
	c, err := newAPIClient(e, f.node, "/api/v1/cases/"+url.PathEscape(f.caseID)+"/sitreps")
	if err != nil {
		return err
	}
	body := map[string]any{"kind": f.kind, "marking": marking}

	// The JSON answer tells the author what was withheld; print it first.
	path := "/drafts"
	if f.publish {
		path = ""
	}
	raw, err := c.post(ctx, path, body)
	if err != nil {
		return err
	}
	var built struct {
		Withheld  []sitrep.Withheld `json:"withheld"`
		Published *struct {
			Document sitrep.Document `json:"document"`
		} `json:"published"`
	}
	if err := json.Unmarshal(raw, &built); err != nil {
		return fmt.Errorf("the node's answer: %w", err)
	}
	for _, w := range built.Withheld {
		fmt.Fprintf(e.stderr, "withheld: %d item(s) %s\n", w.Count, w.Reason)
	}
	var out []byte
	switch {
	case f.publish:
		v := built.Published.Document.Version
		fmt.Fprintf(e.stderr, "published %s report version %d\n", f.kind, v)
		out, err = c.get(ctx, fmt.Sprintf("/%s/%d?format=%s", f.kind, v, f.format))
	case f.format == "json":
		out = raw
	default:
		out, err = c.post(ctx, "/drafts?format="+f.format, body)
	}
	if err != nil {
		return err
	}
	if f.out == "" {
		_, err = e.stdout.Write(out)
		return err
	}
	return os.WriteFile(f.out, out, 0o600)
}

package model

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/eucyber/blueprint/internal/failure"
)

// Tables lists the names WriteTable accepts, in the order a reader meets them.
func Tables() []string {
	return []string{
		"actors", "networks", "sectors", "mechanisms", "matrix", "clocks",
		"memberships", "member-states", "levels", "phases", "national-kinds",
		"rsit", "nis2",
	}
}

// WriteTable writes one table as aligned text with a header row, one row per
// entry (for sectors, one per sector and one per subsector) and the ref column,
// so an operator can check the data against the Recommendation by eye.
func (m *Model) WriteTable(w io.Writer, name string) error {
	rows, ok := m.tableRows(name)
	if !ok {
		return failure.New(failure.Invalid, "WriteTable: unknown table %q; valid tables: %s", name, strings.Join(Tables(), ", "))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		for i, c := range r {
			r[i] = cell(c)
		}
		if _, err := fmt.Fprintln(tw, strings.Join(r, "\t")); err != nil {
			return fmt.Errorf("WriteTable(%s): %w", name, err)
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("WriteTable(%s): %w", name, err)
	}
	return nil
}

// cell keeps one value on one line of one column: a tab or newline inside it
// would break the alignment, and an empty cell would shift the eye.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	return s
}

func list(ids []string) string { return strings.Join(ids, ", ") }

// tableRows returns the header and rows of a table.
func (m *Model) tableRows(name string) ([][]string, bool) {
	var rows [][]string
	switch name {
	case "actors":
		rows = append(rows, []string{"ID", "NAME", "KIND", "LEVELS", "REF"})
		for _, a := range m.Actors {
			levels := list(a.Levels)
			if a.LevelNote != "" {
				levels = strings.TrimPrefix(levels+" ("+a.LevelNote+")", " ")
			}
			rows = append(rows, []string{a.ID, a.Name, string(a.Kind), levels, a.Ref})
		}
	case "networks":
		rows = append(rows, []string{"ID", "NAME", "LEVEL", "SECRETARIAT", "REF"})
		for _, n := range m.Networks {
			rows = append(rows, []string{n.ID, n.Name, n.Level, n.Secretariat, n.Ref})
		}
	case "memberships":
		rows = append(rows, []string{"ID", "NETWORK", "SUBJECT", "ROLE", "CONDITION", "REF"})
		for _, ms := range m.Memberships {
			cond := ""
			if ms.Condition != nil {
				cond = ms.Condition.ID
			}
			rows = append(rows, []string{ms.ID, ms.Network, ms.Subject(), string(ms.Role), cond, ms.Ref})
		}
	case "sectors":
		rows = append(rows, []string{"SECTOR", "SUBSECTOR", "NAME", "MECHANISMS", "REF"})
		for _, s := range m.Sectors {
			rows = append(rows, []string{s.ID, "", s.Name, list(s.Mechanisms), s.Ref})
			for _, sub := range s.Subsectors {
				rows = append(rows, []string{s.ID, sub.ID, sub.Name, list(sub.Mechanisms), sub.Ref})
			}
		}
	case "mechanisms":
		rows = append(rows, []string{"ID", "NAME", "TYPE", "SECTORS", "REF"})
		for _, mech := range m.Mechanisms {
			rows = append(rows, []string{mech.ID, mech.Name, string(mech.Type), list(mech.Sectors), mech.Ref})
		}
	case "matrix":
		header := []string{"ACTOR"}
		for _, p := range m.Phases {
			header = append(header, p.ID)
		}
		rows = append(rows, append(header, "REF"))
		for _, r := range m.Matrix {
			in := make(map[string]bool, len(r.Phases))
			for _, p := range r.Phases {
				in[p] = true
			}
			row := []string{r.Actor}
			for _, p := range m.Phases {
				mark := ""
				if in[p.ID] {
					mark = "X"
				}
				row = append(row, mark)
			}
			rows = append(rows, append(row, r.Ref))
		}
	case "clocks":
		rows = append(rows, []string{"ID", "NAME", "DEADLINE", "STARTS", "OWNER", "REF"})
		for _, c := range m.Clocks {
			owner := c.Owner
			if owner == "" {
				owner = "national " + c.OwnerNationalKind
			}
			rows = append(rows, []string{c.ID, c.Name, c.Deadline.String(), c.Starts, owner, c.Ref})
		}
	case "member-states":
		rows = append(rows, []string{"CODE", "NAME", "NATIVE NAMES", "REF"})
		for _, s := range m.MemberStates {
			rows = append(rows, []string{s.Code, s.Name, strings.Join(s.NativeNames, " / "), s.Ref})
		}
	case "levels":
		rows = append(rows, []string{"ID", "NAME", "REF"})
		for _, l := range m.Levels {
			rows = append(rows, []string{l.ID, l.Name, l.Ref})
		}
	case "phases":
		rows = append(rows, []string{"ID", "NAME", "LEVEL", "REF"})
		for _, p := range m.Phases {
			rows = append(rows, []string{p.ID, p.Name, p.Level, p.Ref})
		}
	case "national-kinds":
		rows = append(rows, []string{"ID", "NAME", "REF"})
		for _, k := range m.NationalActorKinds {
			rows = append(rows, []string{k.ID, k.Name, k.Ref})
		}
	case "rsit":
		rows = m.rsitRows()
	case "nis2":
		rows = m.nis2Rows()
	default:
		return nil, false
	}
	return rows, true
}

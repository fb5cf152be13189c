package web

import (
	"cmp"
	"slices"
	"time"

	"github.com/eucyber/blueprint/internal/playbook"
)

// The playbook tab: the caller's own next steps first, then every step under
// its level (technical, operational, political), overdue ones at the top of
// each group with a badge that says OVERDUE in words, not colour alone.

type stepRow struct {
	playbook.Status
	Owner string
	// Now is when the page was built, for "in 2 h" beside the due time.
	Now time.Time
}

// Overdue is true for a step past its due time and not done.
func (s stepRow) Overdue() bool { return s.State == playbook.StateOverdue }

type stepGroup struct {
	Level   string
	Heading string
	Steps   []stepRow
	// NotApplicable are the steps that do not apply to the case (yet); the
	// page folds them away.
	NotApplicable []stepRow
}

// stateOrder ranks states within a group: what needs doing first.
func stateOrder(state string) int {
	switch state {
	case playbook.StateOverdue:
		return 0
	case playbook.StatePending:
		return 1
	case playbook.StateDone:
		return 2
	}
	return 3
}

func (u *webUI) playbookTab(v caseResponse, now time.Time) (next []stepRow, groups []stepGroup) {
	for _, st := range v.NextSteps {
		next = append(next, u.stepRow(st, now))
	}
	index := map[string]int{}
	for _, l := range u.d.Model.Levels {
		index[l.ID] = len(groups)
		groups = append(groups, stepGroup{Level: l.ID, Heading: l.Name})
	}
	for _, st := range v.Playbook {
		i, ok := index[st.Step.Level]
		if !ok {
			index[st.Step.Level] = len(groups)
			i = len(groups)
			groups = append(groups, stepGroup{Level: st.Step.Level, Heading: "Other steps"})
		}
		row := u.stepRow(st, now)
		if st.State == playbook.StateNotApplicable {
			groups[i].NotApplicable = append(groups[i].NotApplicable, row)
			continue
		}
		groups[i].Steps = append(groups[i].Steps, row)
	}
	for i := range groups {
		// Stable: within a state the playbook's own order stays.
		slices.SortStableFunc(groups[i].Steps, func(a, b stepRow) int {
			return cmp.Compare(stateOrder(a.State), stateOrder(b.State))
		})
	}
	return next, groups
}

func (u *webUI) stepRow(st playbook.Status, now time.Time) stepRow {
	return stepRow{Status: st, Owner: u.actorName(st.Step.Owner), Now: now}
}

package web

import (
	"encoding/json"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The case timeline in words: each event the caller may see, newest first,
// with who recorded it and its own marking.

type timelineEntry struct {
	At      time.Time
	What    string
	Detail  string
	Who     string
	Org     string
	Marking tlp.Marking
}

// eventWords are the payload fields the timeline says something about. A
// linked report is named by its Member State only: the report itself may be
// one the caller may not read.
type eventWords struct {
	Title       string `json:"title"`
	MemberState string `json:"member_state"`
	Kind        string `json:"kind"`
	Source      string `json:"source"`
	Detail      string `json:"detail"`
	Ended       bool   `json:"ended"`
	Authority   string `json:"authority"`
	Level       string `json:"level"`
	Previous    string `json:"previous"`
	Reason      string `json:"reason"`
	Network     string `json:"network"`
	Text        string `json:"text"`
	Mode        string `json:"mode"`
	Summary     string `json:"summary"`
}

func (u *webUI) timeline(evs []event.Event) []timelineEntry {
	out := make([]timelineEntry, 0, len(evs))
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		what, detail := u.describeEvent(e)
		out = append(out, timelineEntry{At: e.RecordedAt, What: what, Detail: detail,
			Who: u.userName(e.Actor.User), Org: u.orgName(e.Actor.Organisation), Marking: e.Marking})
	}
	return out
}

// describeEvent says what a case event recorded, in a heading and a detail.
func (u *webUI) describeEvent(e event.Event) (what, detail string) {
	var p eventWords
	_ = json.Unmarshal(e.Payload, &p) // ApplyCase decoded it already; a field it lacks stays empty
	switch e.Type {
	case crisis.EventCaseOpened:
		return "Case opened", p.Title
	case crisis.EventReportLinked:
		return "National report linked: " + u.memberStateName(p.MemberState), ""
	case crisis.EventReportUnlinked:
		return "National report unlinked", p.Reason
	case crisis.EventSignalRecorded:
		if p.Ended {
			return "Signal ended: " + p.Kind, p.Detail
		}
		return "Signal recorded: " + p.Kind, p.Detail
	case crisis.EventLevelDecided:
		return "Decided " + levelName(crisis.Level(p.Level)) + " (" + p.Authority + ", was " + levelName(crisis.Level(p.Previous)) + ")", p.Reason
	case crisis.EventNetworkActivated:
		return u.networkName(p.Network) + " activated", p.Reason
	case crisis.EventNetworkDeactivated:
		return u.networkName(p.Network) + " deactivated", p.Reason
	case crisis.EventArrangementsRecorded:
		return "Procedural arrangements recorded", p.Text
	case crisis.EventIPCRDecided:
		return "IPCR: " + p.Mode, p.Reason
	case crisis.EventRoundtableHeld:
		return "IPCR roundtable held", p.Summary
	case crisis.EventCaseClosed:
		return "Case closed", p.Reason
	case crisis.EventCaseReopened:
		return "Case reopened", p.Reason
	}
	return e.Type, ""
}
